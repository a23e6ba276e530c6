/**
 * Signals for a one-shot run. The first Ctrl+C cancels the task cleanly (the model call
 * is aborted, a running command's process group is ended, the result is printed); a
 * second one ends every running command's group and exits at once. SIGTERM and SIGHUP
 * (a closed terminal, a dropped SSH session) cancel the same way and exit 143 / 129
 * once the task has wound down, so no command is left running as an orphan.
 */
import { EXIT } from "./exit-codes.js";

export interface SignalWatch {
  /** Acts as a first Ctrl+C (the approval prompt reads Ctrl+C as a key in raw mode). */
  interrupt(): void;
  /** The exit code a terminating signal asked for (SIGTERM, SIGHUP), if one arrived. */
  exitCode(): number | undefined;
  /**
   * The run is over. The handlers stay: a signal while output is flushing must still exit
   * with its code (Node's default would kill the process and report no exit code at all).
   */
  dispose(): void;
}

export interface SignalOptions {
  /** Ends every running command's process group at once (synchronous: runs inside a signal handler). */
  killCommands?: () => void;
  /** How long a terminated run may take to wind down before it is cut short (default 3 s). */
  windDownMs?: number;
  /** Called instead of process.exit (tests). */
  exit?: (code: number) => void;
}

export function watchSignals(controller: AbortController, options: SignalOptions = {}): SignalWatch {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let terminatedWith: number | undefined;
  let forceTimer: NodeJS.Timeout | undefined;
  let finished = false;

  const hardExit = (code: number) => {
    options.killCommands?.();
    exit(code);
  };
  const onInterrupt = () => {
    if (finished || controller.signal.aborted) return hardExit(terminatedWith ?? EXIT.interrupted);
    controller.abort();
  };
  const onTerminate = (code: number) => () => {
    if (finished || terminatedWith !== undefined || controller.signal.aborted) return hardExit(terminatedWith ?? code);
    terminatedWith = code;
    controller.abort();
    // The loop normally ends within moments of the abort; never hang on the way out.
    forceTimer = setTimeout(() => hardExit(code), options.windDownMs ?? 3_000);
    forceTimer.unref();
  };
  const onTerm = onTerminate(EXIT.terminated);
  const onHup = onTerminate(EXIT.hangup);
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onTerm);
  process.on("SIGHUP", onHup);
  return {
    interrupt: onInterrupt,
    exitCode: () => terminatedWith,
    dispose() {
      if (forceTimer) clearTimeout(forceTimer);
      finished = true;
    },
  };
}
