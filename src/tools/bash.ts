import type { Tool, ToolContext, ToolResult } from "../core/types.js";
import { commandEnvironment } from "../exec/environment.js";
import { findOnPath } from "../exec/path-lookup.js";
import { type RunProcessResult, runProcess } from "../exec/process.js";
import { type SandboxRun, sandboxCommand } from "../exec/sandbox.js";
import { type CollectedOutput, clipLine, createOutputCollector, formatCount, summariseOutput } from "./truncate.js";

export interface BashToolOptions {
  root: string;
  /** Used when the call gives no timeout (default 120). */
  defaultTimeoutSeconds?: number;
  /** Upper bound on the `timeout` argument (default 600). */
  maxTimeoutSeconds?: number;
  /** Between SIGTERM and SIGKILL of the process group (default 2000). */
  killGraceMs?: number;
  /** Shell to run `-c command` with; default bash from PATH, else /bin/sh. */
  shell?: string;
  /** Base environment (default process.env); secrets are removed and pager and colour variables set on top. */
  env?: NodeJS.ProcessEnv;
  /** Secret-looking variables the user lets commands see (config `env_allow`), exact names. */
  envAllow?: readonly string[];
  /** When given, every command runs in this OS sandbox. */
  sandbox?: SandboxRun;
}

/**
 * `bash {command, timeout?}`: runs a command with `bash -c` in the project root through
 * exec's runner (own process group, stdin closed, the group ended with the call), in a
 * clean environment and, when configured, the OS sandbox; stdout and stderr merged in
 * arrival order, output summarised error-first. A non-zero exit is an ordinary result
 * for the model but is marked isError, so `parecode tool bash` exits 1 like the command did.
 */
export function createBashTool(options: BashToolOptions): Tool {
  const defaultTimeout = options.defaultTimeoutSeconds ?? 120;
  const maxTimeout = options.maxTimeoutSeconds ?? 600;
  const baseEnv = options.env ?? process.env;
  const { env } = commandEnvironment(baseEnv, { allow: options.envAllow });
  let shell: string | undefined = options.shell;
  return {
    name: "bash",
    description: `Run a shell command in the project root; timeout in seconds (default ${defaultTimeout}, max ${maxTimeout}).`,
    parameters: {
      type: "object",
      properties: {
        command: { type: "string" },
        timeout: { type: "integer" },
      },
      required: ["command"],
    },
    mutates: true,
    async execute(args, ctx) {
      const command = typeof args.command === "string" ? args.command : "";
      if (command.trim() === "") return errorResult("command is empty: give a shell command to run", "bash: empty");
      let seconds = typeof args.timeout === "number" && args.timeout > 0 ? Math.ceil(args.timeout) : defaultTimeout;
      const capped = seconds > maxTimeout;
      if (capped) seconds = maxTimeout;
      shell ??= findOnPath("bash", baseEnv) ?? "/bin/sh";
      const argv = [shell, "-c", command];
      const { file, args: fileArgs } = options.sandbox
        ? sandboxCommand(options.sandbox, argv)
        : { file: shell, args: argv.slice(1) };
      const collector = createOutputCollector();
      const blocked = createBlockedWriteSpotter(options.sandbox);
      try {
        const run = await runProcess(file, fileArgs, {
          cwd: options.root,
          env,
          timeoutMs: seconds * 1000,
          graceMs: options.killGraceMs ?? 2000,
          signal: ctx.signal,
          onOutput: (text, stream) => {
            collector.write(text, stream);
            blocked.scan(text);
          },
        });
        const hint = blocked.seen() ? sandboxHint(options.sandbox) : undefined;
        return toResult(run, collector.end(), { seconds, capped, maxTimeout, hint }, ctx);
      } catch (err) {
        return errorResult(`could not start ${file}: ${(err as Error).message}`, "bash: spawn failed");
      }
    },
  };
}

function errorResult(content: string, display: string): ToolResult {
  return { content, display, isError: true };
}

/** The error a write denied by the sandbox produces: EROFS under bubblewrap, EPERM under sandbox-exec. */
function blockedWriteText(sandbox: SandboxRun): string {
  return sandbox.tool.kind === "bwrap" ? "Read-only file system" : "Operation not permitted";
}

/** Watches output for the sandbox's write error, including one split across chunks. */
function createBlockedWriteSpotter(sandbox: SandboxRun | undefined): { scan(text: string): void; seen(): boolean } {
  if (!sandbox) return { scan() {}, seen: () => false };
  const needle = blockedWriteText(sandbox);
  let carry = "";
  let found = false;
  return {
    scan(text) {
      if (found) return;
      const window = carry + text;
      found = window.includes(needle);
      carry = window.slice(-needle.length);
    },
    seen: () => found,
  };
}

function sandboxHint(sandbox: SandboxRun | undefined): string | undefined {
  if (!sandbox) return undefined;
  const temp = sandbox.policy.writable[0];
  return `[sandbox: writes are allowed only inside the project and the temp dir${temp ? ` (${temp})` : ""}]`;
}

interface ResultFacts {
  seconds: number;
  capped: boolean;
  maxTimeout: number;
  hint: string | undefined;
}

function toResult(run: RunProcessResult, output: CollectedOutput, facts: ResultFacts, ctx: ToolContext): ToolResult {
  let status: string;
  if (run.ending === "timeout") status = `timed out after ${facts.seconds}s — killed`;
  else if (run.ending === "cancel") status = "cancelled";
  else if (run.exitCode !== null) status = `exit ${run.exitCode}`;
  else status = `killed by ${run.exitSignal ?? "signal"}`;
  if (facts.capped) status += ` (timeout capped at ${facts.maxTimeout}s)`;

  const summary = summariseOutput(output, ctx.callId, facts.hint ? 2 : 1);
  const body = output.lineCount === 0 ? "(no output)" : summary.text;
  const content = facts.hint ? `${status}\n${body}\n${facts.hint}` : `${status}\n${body}`;
  const seconds1 = (run.durationMs / 1000).toFixed(1);
  const display = `${clipLine(status, 60)} · ${formatCount(output.lineCount)} lines · ${seconds1}s`;
  const result: ToolResult = {
    content,
    display,
    isError: run.ending !== "exit" || run.exitCode !== 0,
  };
  if (summary.cut) {
    const storedCut = output.fullComplete ? "" : "\n[stored output cut here: the command printed more]";
    result.fullOutput = `${status}\n${output.full}${storedCut}`;
  }
  return result;
}
