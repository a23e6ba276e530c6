import type { TaskResultEvent } from "../agent/agent.js";
import { resultReasonOf } from "../core/types.js";

/** Documented in the README and --help; scripts rely on them. */
export const EXIT = {
  done: 0,
  failed: 1,
  usage: 2,
  /** The run had at least one action denied by a rule, the guard, a headless run or the user. */
  denied: 3,
  /** The task finished, but the last check after an edit failed (proof "failed"). */
  checksFailed: 4,
  /** --timeout ran out (as coreutils' `timeout` exits). */
  timeout: 124,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

/**
 * A run with any denial, or whose edits failed their last check, never exits 0 as if all
 * went well; an interrupt still reads as one.
 */
export function exitCodeFor(result: Pick<TaskResultEvent, "status" | "reason" | "denials" | "proof">): number {
  if (result.status === "interrupted") return EXIT.interrupted;
  if (resultReasonOf(result) === "timeout") return EXIT.timeout;
  if (result.denials.length > 0) return EXIT.denied;
  if (result.status !== "done") return EXIT.failed;
  return result.proof === "failed" ? EXIT.checksFailed : EXIT.done;
}
