/**
 * Catches a model repeating itself. A second identical call is not run: the model gets
 * the result it already has, with a one-line push to change approach (one wasted
 * round-trip, not three). A third identical call ends the task.
 *
 * "Identical" means same tool and same arguments (keys sorted, so order is irrelevant)
 * while the workspace is unchanged. The rule, in full:
 *
 * - A *generation* is the run of calls since the last mutating call. A call whose key
 *   was already made in the current generation is a repeat.
 * - A mutating call starts a new generation, so `npm test` after an edit is a fresh
 *   call. Mutating means: the agent reported a successful mutation (`mutated`), or the
 *   tool is `bash`, whatever its exit code; a command can change files even when it fails,
 *   so bash alone never lets a stale result stand in for a new run.
 * - But a call identical to the call just before it is always a repeat, mutating or
 *   not: `npm test` twice in a row with nothing between changed nothing the second run
 *   could see, and an edit repeated at once cannot do anything new.
 *
 * Contract: the agent calls `check` before running a call. On `run` it executes the call
 * and must then `record` it (denied and failed calls too, with `mutated: false` unless
 * the call reports files it changed anyway). On
 * `cached` it hands `content` back as the tool result and does not record. On `stop` it
 * ends the task with `message`. `check` counts the attempt, so it is not idempotent.
 */
import type { ToolCall } from "../core/types.js";

export type LoopVerdict =
  | { action: "run" }
  | { action: "cached"; content: string }
  | { action: "stop"; message: string };

export interface LoopDetector {
  check(call: ToolCall): LoopVerdict;
  /** `turn` (1-based agent turn) lets the repeat note say when the result was first given. */
  record(call: ToolCall, resultContent: string, mutated: boolean, turn?: number): void;
}

export interface LoopDetectorOptions {
  /** The attempt that ends the task (default 3: the second is answered from cache). */
  stopAt?: number;
  /** Tools treated as mutating whatever the agent reports (default: bash). */
  alwaysMutating?: readonly string[];
}

interface Seen {
  key: string;
  /** Attempts so far, the first (real) run included. */
  attempts: number;
  content: string;
  turn?: number;
  summary: string;
}

export function createLoopDetector(options: LoopDetectorOptions = {}): LoopDetector {
  const stopAt = options.stopAt ?? 3;
  const alwaysMutating = new Set(options.alwaysMutating ?? ["bash"]);
  let generation = new Map<string, Seen>();
  let last: Seen | undefined;

  return {
    check(call) {
      const key = callKey(call);
      const seen = generation.get(key) ?? (last?.key === key ? last : undefined);
      if (!seen) return { action: "run" };
      seen.attempts += 1;
      last = seen;
      if (seen.attempts >= stopAt) return { action: "stop", message: stopMessage(seen) };
      return { action: "cached", content: `${repeatNote(seen.turn)}\n${seen.content}` };
    },
    record(call, resultContent, mutated, turn) {
      const key = callKey(call);
      const seen: Seen = { key, attempts: 1, content: resultContent, summary: describeCall(call) };
      if (turn !== undefined) seen.turn = turn;
      last = seen;
      if (mutated || alwaysMutating.has(call.name)) {
        generation = new Map();
        return;
      }
      generation.set(key, seen);
    },
  };
}

/** `[repeated call: this is the result you already got in turn N. Do not repeat it; change approach.]` */
export function repeatNote(turn?: number): string {
  const when = turn === undefined ? "earlier" : `in turn ${turn}`;
  return `[repeated call: this is the result you already got ${when}. Do not repeat it; change approach.]`;
}

function stopMessage(seen: Seen): string {
  return (
    `Stopped: the model made the same call ${seen.attempts} times with nothing changed in between (${seen.summary}). ` +
    "It is stuck; rephrase the task, add detail, or point it at the right file."
  );
}

/** Tool name plus canonical JSON of the arguments (keys sorted at every depth). */
export function callKey(call: ToolCall): string {
  // Unusable arguments have no parsed form; the raw text is what was repeated.
  const args = call.argsError !== undefined ? call.rawArgs : canonicalJson(call.args);
  return `${call.name} ${args}`;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

function describeCall(call: ToolCall): string {
  const text = callKey(call);
  const chars = Array.from(text);
  return chars.length <= 120 ? text : `${chars.slice(0, 119).join("")}…`;
}
