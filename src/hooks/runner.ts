/**
 * Runs one hook command the way the bash tool runs the model's commands: `bash -c` in
 * the project root (with pipefail) through exec's runner (own process group, killed whole on timeout or
 * cancel), in the clean environment (no keys, no secret-looking values) and, when the
 * session has one, inside the OS sandbox. The output is shaped for a model's context:
 * at most 50 lines, error lines kept.
 */
import path from "node:path";
import type { HookEventName } from "../core/types.js";
import { commandEnvironment } from "../exec/environment.js";
import { findOnPath } from "../exec/path-lookup.js";
import { runProcess } from "../exec/process.js";
import { type SandboxRun, sandboxCommand } from "../exec/sandbox.js";
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from "./config.js";

/** Lines of hook output the model and the person see. */
export const HOOK_OUTPUT_LINES = 50;
/** Raw output kept per command before it is summarised; past this only the tail is kept. */
const MAX_RAW_CHARS = 1_000_000;

export interface HookRun {
  event: HookEventName;
  command: string;
  ok: boolean;
  /** Null when the command was killed (timeout, cancel) or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** Summarised output (≤ 50 lines), or why the command could not start. */
  output: string;
  durationMs: number;
}

/**
 * Shortens output to `maxLines`, keeping error lines; `more` names how to see the rest.
 * Supplied by the runtime (tools/truncate's error-first summariser), so hooks/ stays below tools/.
 */
export type OutputSummariser = (text: string, limits: { maxLines: number; more: string }) => string;

export interface HookRunnerOptions {
  root: string;
  /** The base environment; secrets are removed from it before any command sees it. */
  env: NodeJS.ProcessEnv;
  /** config `env_allow`: secret-looking variables the user lets commands keep. */
  envAllow?: readonly string[];
  sandbox?: SandboxRun;
  /** Per command (default 30 s). */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL of the group (default 2000). */
  graceMs?: number;
  /** Default: bash from PATH, else /bin/sh. */
  shell?: string;
  summarise: OutputSummariser;
}

export type HookRunner = (event: HookEventName, command: string, signal?: AbortSignal) => Promise<HookRun>;

export function createHookRunner(options: HookRunnerOptions): HookRunner {
  const { env } = commandEnvironment(options.env, { allow: options.envAllow });
  const timeoutMs = options.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_SECONDS * 1000;
  let shell = options.shell;
  return async (event, command, signal) => {
    shell ??= findOnPath("bash", options.env) ?? "/bin/sh";
    // pipefail: `cargo test 2>&1 | tail -5` must fail when the tests fail, not pass with tail.
    const argv = path.basename(shell) === "bash" ? [shell, "-o", "pipefail", "-c", command] : [shell, "-c", command];
    const { file, args } = options.sandbox
      ? sandboxCommand(options.sandbox, argv)
      : { file: shell, args: argv.slice(1) };
    const started = Date.now();
    let raw = "";
    let dropped = false;
    try {
      const run = await runProcess(file, args, {
        cwd: options.root,
        env,
        timeoutMs,
        graceMs: options.graceMs,
        signal,
        onOutput: (text) => {
          raw += text;
          if (raw.length > MAX_RAW_CHARS) {
            raw = raw.slice(-MAX_RAW_CHARS / 2);
            dropped = true;
          }
        },
      });
      const timedOut = run.ending === "timeout";
      const exitCode = run.ending === "exit" ? run.exitCode : null;
      let text = raw.trimEnd();
      if (dropped) text = `[… earlier output dropped]\n${text}`;
      if (timedOut) text += `${text === "" ? "" : "\n"}[killed after ${seconds(timeoutMs)}s]`;
      if (run.ending === "cancel") text += `${text === "" ? "" : "\n"}[cancelled]`;
      if (options.sandbox && exitCode !== 0 && raw.includes(blockedWriteText(options.sandbox))) {
        text += `\n[sandbox: hooks may write only inside the project and the temp dir; sandbox = "off" in config.toml lifts it]`;
      }
      const output =
        text === ""
          ? ""
          : options.summarise(text, { maxLines: HOOK_OUTPUT_LINES, more: `run \`${command}\` for all of it` });
      return { event, command, ok: exitCode === 0, exitCode, timedOut, output, durationMs: run.durationMs };
    } catch (err) {
      return {
        event,
        command,
        ok: false,
        exitCode: null,
        timedOut: false,
        output: `could not start ${file}: ${(err as Error).message}`,
        durationMs: Date.now() - started,
      };
    }
  };
}

/** The error a write the sandbox refused produces: EROFS under bubblewrap, EPERM under sandbox-exec. */
function blockedWriteText(sandbox: SandboxRun): string {
  return sandbox.tool.kind === "bwrap" ? "Read-only file system" : "Operation not permitted";
}

function seconds(ms: number): string {
  return Number.isInteger(ms / 1000) ? String(ms / 1000) : (ms / 1000).toFixed(1);
}
