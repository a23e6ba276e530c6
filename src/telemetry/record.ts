/**
 * One telemetry record per task, built from the task's own event stream. It holds
 * counts and names only: never the task's text (not even a hash: short tasks are easy
 * to guess back), never a path, a command or a key. It is written to the project's
 * `.parecode/telemetry.jsonl` and goes nowhere else.
 */
import type { AgentEvent, ProofVerdict, TaskStatus } from "../core/types.js";

export const TELEMETRY_VERSION = 1;

export interface TelemetryRecord {
  v: typeof TELEMETRY_VERSION;
  /** When the task ended, ISO 8601 UTC. */
  ts: string;
  status: TaskStatus;
  profile: string;
  model: string;
  provider: string;
  durationMs: number;
  /** Model calls. */
  turns: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Null when the model's price is unknown. */
  costUsd: number | null;
  /** Share (0–1) of the history the budget compressed or dropped over the task; 0 when it never had to. */
  compressionRatio: number;
  /** The largest request as a percentage of the context window. */
  peakContextPct: number;
  filesChanged: number;
  verifiedFiles: number;
  failedFiles: number;
  proof: ProofVerdict;
  hookRuns: number;
  hookFailures: number;
}

export interface TaskMeter {
  /** Feed every event of the task, in order. */
  observe(event: AgentEvent): void;
  /** The record, once the result event has been observed; undefined before. */
  record(): TelemetryRecord | undefined;
}

/** `window`: the context window the task starts with (budget events may report a smaller one later). */
export function createTaskMeter(options: { window: number; now?: () => Date }): TaskMeter {
  let window = options.window;
  let start: Extract<AgentEvent, { type: "task_start" }> | undefined;
  let peak = 0;
  let historyBefore = 0;
  let historyAfter = 0;
  let hookRuns = 0;
  let hookFailures = 0;
  let result: TelemetryRecord | undefined;
  return {
    observe(event) {
      switch (event.type) {
        case "task_start":
          start = event;
          return;
        case "budget":
          window = event.window;
          historyBefore += event.tokensBefore;
          historyAfter += event.tokensAfter;
          return;
        case "request":
          if (window > 0) peak = Math.max(peak, (event.estimatedInputTokens / window) * 100);
          return;
        case "hook":
          hookRuns++;
          if (!event.ok) hookFailures++;
          return;
        case "result":
          result = {
            v: TELEMETRY_VERSION,
            ts: (options.now?.() ?? new Date()).toISOString(),
            status: event.status,
            profile: start?.profile ?? "",
            model: start?.model ?? "",
            provider: start?.provider ?? "",
            durationMs: event.durationMs,
            turns: event.turns,
            toolCalls: event.toolCalls,
            inputTokens: event.usage.inputTokens,
            outputTokens: event.usage.outputTokens,
            cacheReadTokens: event.usage.cacheReadTokens ?? 0,
            cacheWriteTokens: event.usage.cacheWriteTokens ?? 0,
            costUsd: event.costUsd,
            compressionRatio: historyBefore > 0 ? round((historyBefore - historyAfter) / historyBefore, 4) : 0,
            peakContextPct: round(peak, 1),
            filesChanged: event.filesChanged.length,
            verifiedFiles: event.verification.filter((v) => v.status === "verified").length,
            failedFiles: event.verification.filter((v) => v.status === "failed").length,
            proof: event.proof,
            hookRuns,
            hookFailures,
          };
          return;
        default:
          return;
      }
    },
    record: () => result,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
