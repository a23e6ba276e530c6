import { errorMessage } from "../../core/errors.js";
import { commandEnvironment } from "../../exec/environment.js";
import { runProcess } from "../../exec/process.js";

/** `--version` and `rev-parse` answer in milliseconds; this only bounds a broken install. */
export const PROBE_TIMEOUT_MS = 3_000;

export interface ProbeResult {
  ok: boolean;
  /** stdout and stderr in arrival order, trimmed. */
  output: string;
  /** Why it did not succeed: the exit code, a timeout, or the start failure. */
  problem?: string;
}

export interface ProbeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Runs a short diagnostic command (`git --version`, `rg --version`) the way parecode
 * runs every command: its own process group, a clean environment without keys, a deadline.
 */
export async function probeCommand(file: string, args: readonly string[], options: ProbeOptions): Promise<ProbeResult> {
  let output = "";
  try {
    const result = await runProcess(file, args, {
      cwd: options.cwd,
      env: commandEnvironment(options.env).env,
      timeoutMs: options.timeoutMs,
      graceMs: 200,
      signal: options.signal,
      onOutput: (text) => {
        if (output.length < 8_000) output += text;
      },
    });
    output = output.trim();
    if (result.ending === "timeout") return { ok: false, output, problem: `no answer within ${options.timeoutMs} ms` };
    if (result.ending === "cancel") return { ok: false, output, problem: "cancelled" };
    if (result.exitCode !== 0) {
      const why = result.exitSignal ? `killed by ${result.exitSignal}` : `exit ${result.exitCode}`;
      return { ok: false, output, problem: output === "" ? why : `${why}: ${output.split("\n")[0]}` };
    }
    return { ok: true, output };
  } catch (err) {
    return { ok: false, output: "", problem: errorMessage(err) };
  }
}
