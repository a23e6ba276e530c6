/**
 * The limits a caller may put on one task beyond the session's max_iterations, and the
 * machine-readable reasons a task ends with. Scripts read these (`reason` in every
 * result), so each limit has its own.
 */
import type { ProviderError } from "../core/errors.js";
import type { ResultReason, Usage } from "../core/types.js";

export interface TaskLimits {
  /** Model calls this task may make (the CLI's --max-turns); the smaller of this and max_iterations applies. */
  maxTurns?: number;
  /**
   * USD this task may still spend (the CLI's --max-budget-usd, less what earlier tasks of
   * the session spent). A call that would pass it is not made. Needs a known price.
   */
  maxBudgetUsd?: number;
}

/**
 * A reply is assumed at least this long before the task has seen one: the projection
 * must not wave through a first call that a typical answer would push over the budget.
 */
const ASSUMED_REPLY_TOKENS = 256;

export interface BudgetCheck {
  /** Spent so far in this task (null when some call's price was unknown). */
  spentUsd: number | null;
  /** The coming request's estimated input tokens. */
  inputTokens: number;
  /** The longest reply of this task so far, in tokens. */
  largestReplyTokens: number;
  costUsd(usage: Usage): number | null;
}

/** Why the coming call may not be made, or undefined when it fits the budget (or none is set). */
export function budgetStop(limit: number | undefined, check: BudgetCheck): string | undefined {
  if (limit === undefined) return undefined;
  const outputTokens = Math.max(ASSUMED_REPLY_TOKENS, check.largestReplyTokens);
  const next = check.costUsd({ inputTokens: check.inputTokens, outputTokens });
  if (next === null) return undefined;
  const spent = check.spentUsd ?? 0;
  if (spent + next <= limit) return undefined;
  return `Stopped before the next model call: it would cost about $${next.toFixed(4)} (${check.inputTokens} tokens in, ~${outputTokens} out) and $${spent.toFixed(4)} of the $${limit.toFixed(4)} budget is spent. Raise --max-budget-usd or split the task.`;
}

/** True when the task's signal was aborted by its time limit (AbortSignal.timeout), not by a person. */
export function abortedByTimeout(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return signal.aborted && reason instanceof Error && reason.name === "TimeoutError";
}

/** The reason a failed model call ends the task with. */
export function providerFailureReason(error: ProviderError): ResultReason {
  return error.kind === "auth" ? "auth" : "provider_error";
}
