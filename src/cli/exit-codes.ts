import type { TaskResultEvent } from "../agent/agent.js";

/** Documented in the README and --help; scripts rely on them. */
export const EXIT = {
  done: 0,
  failed: 1,
  usage: 2,
  /** The run had at least one action denied by a rule, the guard, a headless run or the user. */
  denied: 3,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

/** A run with any denial never exits 0 as if all went well; an interrupt still reads as one. */
export function exitCodeFor(result: Pick<TaskResultEvent, "status" | "denials">): number {
  if (result.status === "interrupted") return EXIT.interrupted;
  if (result.denials.length > 0) return EXIT.denied;
  return result.status === "done" ? EXIT.done : EXIT.failed;
}
