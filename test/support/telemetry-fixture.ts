import type { TelemetryRecord } from "../../src/telemetry/record.js";

/** A telemetry record of a task that ended at local noon `daysAgo` days before `now`. */
export function telemetryRecord(
  daysAgo: number,
  model: string,
  over: Partial<TelemetryRecord> = {},
  now: Date = new Date(),
): TelemetryRecord {
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, 12);
  return {
    v: 1,
    ts: at.toISOString(),
    status: "done",
    profile: "p",
    model,
    provider: "openai",
    durationMs: 1000,
    turns: 2,
    toolCalls: 1,
    inputTokens: 1000,
    outputTokens: 100,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.01,
    compressionRatio: 0,
    peakContextPct: 10,
    filesChanged: 1,
    verifiedFiles: 1,
    failedFiles: 0,
    proof: "verified",
    hookRuns: 0,
    hookFailures: 0,
    ...over,
  };
}

/**
 * Three days and three models: two tasks today on sonnet (one compressed by half, one
 * whose checks failed), one yesterday on gpt-4.1 with cached input, one unpriced local
 * task three days ago, and one from 30 days ago outside a week.
 */
export function telemetryFixture(now: Date = new Date()): TelemetryRecord[] {
  return [
    telemetryRecord(30, "claude-sonnet-4-5", { inputTokens: 50_000 }, now),
    telemetryRecord(3, "qwen3:14b", { costUsd: null, inputTokens: 4000, outputTokens: 400 }, now),
    telemetryRecord(
      1,
      "gpt-4.1",
      { inputTokens: 2000, outputTokens: 200, cacheReadTokens: 1500, costUsd: 0.0058 },
      now,
    ),
    telemetryRecord(
      0,
      "claude-sonnet-4-5",
      { inputTokens: 3000, outputTokens: 300, compressionRatio: 0.5, costUsd: 0.0135 },
      now,
    ),
    telemetryRecord(
      0,
      "claude-sonnet-4-5",
      { inputTokens: 1000, outputTokens: 100, proof: "failed", costUsd: 0.0045 },
      now,
    ),
  ];
}
