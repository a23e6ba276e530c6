import { type ChildProcess, spawn } from "node:child_process";

/**
 * The one way parecode runs a command: `file args…` in its own process group, stdin
 * closed, output streamed to a callback, and the whole group ended when the run ends —
 * on timeout or cancel (SIGTERM, then SIGKILL after a grace period), and also after a
 * normal exit, so no background process a command started outlives its run (a deliberate
 * daemon must detach with `setsid`).
 *
 * Built on node:child_process rather than execa: what matters here is the process group
 * (execa signals only the direct child) and output in arrival order across both pipes.
 */

export interface RunProcessOptions {
  cwd: string;
  /** The complete environment of the command (see commandEnvironment); nothing is inherited. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL of the process group (default 2000). */
  graceMs?: number;
  signal?: AbortSignal;
  /**
   * Receives stdout (1) and stderr (2) as decoded UTF-8 text in arrival order. Called
   * synchronously from stream events: it must not throw and should only collect.
   */
  onOutput?: (text: string, stream: 1 | 2) => void;
}

export interface RunProcessResult {
  /** How the run ended: the command exited on its own, or it was ended by the timeout or the signal. */
  ending: "exit" | "timeout" | "cancel";
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  durationMs: number;
}

/** How long open pipes may outlive the command before leftover background processes are ended. */
const DRAIN_MS = 150;
/** After SIGKILL, how long to wait for the pipes to close before giving up on them. */
const PIPE_WAIT_MS = 500;

/** Process group ids of runs in progress; an id is removed when its run settles. */
const liveGroups = new Set<number>();

/**
 * Sends `signal` to every process group a run started and that has not finished, and
 * returns how many were signalled. Synchronous and allocation-light so a SIGINT, SIGHUP or
 * SIGTERM handler can call it just before the process exits; the runs themselves settle
 * as their processes die.
 */
export function killAllProcessGroups(signal: NodeJS.Signals = "SIGKILL"): number {
  let signalled = 0;
  for (const pgid of liveGroups) {
    if (signalGroup(pgid, signal)) signalled++;
  }
  return signalled;
}

/** Process group ids of the runs in progress (for diagnostics and tests). */
export function liveProcessGroups(): number[] {
  return [...liveGroups];
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH: the group is already gone.
    return false;
  }
}

/**
 * Runs `file args…` and resolves when it has ended and its group is gone. Rejects only
 * when the process cannot be started at all (missing executable, bad cwd); every other
 * outcome, failure included, is a result.
 */
export function runProcess(file: string, args: readonly string[], opts: RunProcessOptions): Promise<RunProcessResult> {
  const started = Date.now();
  const graceMs = opts.graceMs ?? 2000;
  const signal = opts.signal;
  return new Promise<RunProcessResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ["ignore", "pipe", "pipe"],
        // A new session, hence a new process group whose id is the child's pid.
        detached: true,
      });
    } catch (err) {
      reject(err);
      return;
    }
    const pgid = child.pid;
    if (pgid !== undefined) liveGroups.add(pgid);

    let ending: RunProcessResult["ending"] = "exit";
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const killGroup = (sig: NodeJS.Signals) => {
      if (pgid !== undefined) signalGroup(pgid, sig);
    };
    const exited = () => exitCode !== null || exitSignal !== null;

    // SIGTERM now, SIGKILL after the grace period, then stop waiting for the pipes.
    let groupEnding = false;
    const endGroup = () => {
      if (groupEnding) return;
      groupEnding = true;
      killGroup("SIGTERM");
      timers.push(
        setTimeout(() => {
          killGroup("SIGKILL");
          timers.push(setTimeout(finish, PIPE_WAIT_MS));
        }, graceMs),
      );
    };
    const cleanUp = () => {
      settled = true;
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener("abort", onAbort);
    };
    const finish = () => {
      if (settled) return;
      cleanUp();
      child.stdout?.destroy();
      child.stderr?.destroy();
      // Whatever is left of the group goes with the run.
      killGroup("SIGKILL");
      if (pgid !== undefined) liveGroups.delete(pgid);
      resolve({ ending, exitCode, exitSignal, durationMs: Date.now() - started });
    };
    const onAbort = () => {
      if (ending === "exit" && !exited()) ending = "cancel";
      endGroup();
    };

    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => opts.onOutput?.(text, 1));
    child.stderr?.on("data", (text: string) => opts.onOutput?.(text, 2));
    child.on("error", (err) => {
      // After a successful spawn, errors (a failed kill) change nothing: exit and close still come.
      if (child.pid !== undefined || settled) return;
      cleanUp();
      reject(err);
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
        if (!exited()) ending = "timeout";
        endGroup();
      }, opts.timeoutMs),
    );
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
