import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { Tool, ToolContext, ToolResult } from "../core/types.js";
import { clipLine, createOutputCollector, formatCount, summariseOutput } from "./truncate.js";

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
  /** Base environment (default process.env); pager and colour variables are set on top. */
  env?: NodeJS.ProcessEnv;
}

/** How long open pipes may outlive the shell before leftover background processes are ended. */
const DRAIN_MS = 150;

/**
 * `bash {command, timeout?}`: runs a command with `bash -c` in the project root, stdin
 * closed, stdout and stderr merged in arrival order, output summarised error-first.
 *
 * The command runs in its own process group, and the whole group is ended when the call
 * ends: on timeout or cancel (SIGTERM, then SIGKILL after a grace period), and also after
 * a normal exit, so no background process a command started outlives its call (a
 * deliberate daemon must detach with `setsid`). A non-zero exit is an ordinary result for
 * the model but is marked isError, so `parecode tool bash` exits 1 like the command did.
 */
export function createBashTool(options: BashToolOptions): Tool {
  const defaultTimeout = options.defaultTimeoutSeconds ?? 120;
  const maxTimeout = options.maxTimeoutSeconds ?? 600;
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
      shell ??= findShell(options.env ?? process.env);
      try {
        const run = await runCommand(command, {
          cwd: options.root,
          shell,
          env: commandEnv(options.env ?? process.env),
          timeoutMs: seconds * 1000,
          graceMs: options.killGraceMs ?? 2000,
          signal: ctx.signal,
        });
        return toResult(run, seconds, capped, maxTimeout, ctx);
      } catch (err) {
        return errorResult(`could not start ${shell}: ${(err as Error).message}`, "bash: spawn failed");
      }
    },
  };
}

function errorResult(content: string, display: string): ToolResult {
  return { content, display, isError: true };
}

interface RunOutcome {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  ending: "exit" | "timeout" | "cancel";
  output: ReturnType<ReturnType<typeof createOutputCollector>["end"]>;
  durationMs: number;
}

interface RunOptions {
  cwd: string;
  shell: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  graceMs: number;
  signal: AbortSignal;
}

function runCommand(command: string, opts: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const collector = createOutputCollector();
  return new Promise<RunOutcome>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(opts.shell, ["-c", command], {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (err) {
      reject(err);
      return;
    }
    let ending: RunOutcome["ending"] = "exit";
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    // SIGTERM now, SIGKILL after the grace period, then stop waiting for the pipes.
    let groupEnding = false;
    const endGroup = () => {
      if (groupEnding) return;
      groupEnding = true;
      killGroup("SIGTERM");
      timers.push(
        setTimeout(() => {
          killGroup("SIGKILL");
          timers.push(setTimeout(finish, 500));
        }, opts.graceMs),
      );
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal.removeEventListener("abort", onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      // Whatever is left of the group goes with the call.
      killGroup("SIGKILL");
      resolve({ exitCode, exitSignal, ending, output: collector.end(), durationMs: Date.now() - started });
    };
    const onAbort = () => {
      if (ending === "exit" && exitCode === null && exitSignal === null) ending = "cancel";
      endGroup();
    };

    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => collector.write(text, 1));
    child.stderr?.on("data", (text: string) => collector.write(text, 2));
    child.on("error", (err) => {
      if (child.pid === undefined && !settled) {
        settled = true;
        for (const t of timers) clearTimeout(t);
        opts.signal.removeEventListener("abort", onAbort);
        reject(err);
      }
    });
    child.on("exit", (code, sig) => {
      exitCode = code;
      exitSignal = sig;
      // Background children may hold the pipes open: give them a moment, then end them.
      timers.push(setTimeout(endGroup, DRAIN_MS));
    });
    child.on("close", finish);

    timers.push(
      setTimeout(() => {
        if (exitCode === null && exitSignal === null) ending = "timeout";
        endGroup();
      }, opts.timeoutMs),
    );
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener("abort", onAbort, { once: true });
  });
}

function toResult(run: RunOutcome, seconds: number, capped: boolean, maxTimeout: number, ctx: ToolContext): ToolResult {
  let status: string;
  if (run.ending === "timeout") status = `timed out after ${seconds}s — killed`;
  else if (run.ending === "cancel") status = "cancelled";
  else if (run.exitCode !== null) status = `exit ${run.exitCode}`;
  else status = `killed by ${run.exitSignal ?? "signal"}`;
  if (capped) status += ` (timeout capped at ${maxTimeout}s)`;

  const summary = summariseOutput(run.output, ctx.callId, 1);
  const body = run.output.lineCount === 0 ? "(no output)" : summary.text;
  const content = `${status}\n${body}`;
  const seconds1 = (run.durationMs / 1000).toFixed(1);
  const display = `${clipLine(status, 60)} · ${formatCount(run.output.lineCount)} lines · ${seconds1}s`;
  const result: ToolResult = {
    content,
    display,
    isError: run.ending !== "exit" || run.exitCode !== 0,
  };
  if (summary.cut) {
    const storedCut = run.output.fullComplete ? "" : "\n[stored output cut here: the command printed more]";
    result.fullOutput = `${status}\n${run.output.full}${storedCut}`;
  }
  return result;
}

/**
 * The command's environment: no pagers, no colour, no interactive git prompts, and no
 * editors. With no terminal an editor (the user's EDITOR=vim) would wait until the
 * timeout; `true` makes `git commit` without -m fail at once and `git merge` or
 * `rebase --continue` keep their default message.
 */
function commandEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PAGER: "cat",
    GIT_PAGER: "cat",
    NO_COLOR: "1",
    TERM: "dumb",
    GIT_TERMINAL_PROMPT: "0",
    GIT_EDITOR: "true",
    EDITOR: "true",
    VISUAL: "true",
  };
  delete env.FORCE_COLOR;
  return env;
}

function findShell(env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "bash");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return "/bin/sh";
}
