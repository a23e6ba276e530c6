import { describe, expect, it } from "vitest";
import { telemetryFixture, telemetryRecord } from "../../test/support/telemetry-fixture.js";
import type { AgentEvent } from "../core/types.js";
import { createTaskMeter } from "./record.js";
import { blocks, renderStats } from "./render.js";
import { localDate, summariseTelemetry } from "./stats.js";
import { parseTelemetry } from "./store.js";

const NOW = new Date(2026, 10, 30, 18, 0);
const day = (back: number) => localDate(new Date(2026, 10, 30 - back, 12));

describe("summariseTelemetry", () => {
  const stats = summariseTelemetry(telemetryFixture(NOW), { days: 7, now: NOW });

  it("sums the last N days per day (every day listed) and per model, most tokens first", () => {
    expect(stats.from).toBe(day(6));
    expect(stats.to).toBe(day(0));
    expect(stats.byDay.map((row) => [row.key, row.tasks])).toEqual([
      [day(6), 0],
      [day(5), 0],
      [day(4), 0],
      [day(3), 1],
      [day(2), 0],
      [day(1), 1],
      [day(0), 2],
    ]);
    expect(stats.byDay[6]).toMatchObject({
      inputTokens: 4000,
      outputTokens: 400,
      costUsd: 0.018,
      avgTokensPerTask: 2200,
      compressedPct: 25,
      failedTasks: 1,
    });
    expect(stats.byModel.map((row) => row.key)).toEqual(["claude-sonnet-4-5", "qwen3:14b", "gpt-4.1"]);
    expect(stats.byModel[1]).toMatchObject({ tasks: 1, costUsd: 0, unpricedTasks: 1 });
    expect(stats.byModel[2]).toMatchObject({ cacheReadTokens: 1500 });
    expect(stats.total).toMatchObject({ tasks: 4, inputTokens: 10_000, outputTokens: 1000, unpricedTasks: 1 });
    expect(stats.total.costUsd).toBeCloseTo(0.0238, 6);
  });

  it("--days 1 is today only; older records never count", () => {
    const today = summariseTelemetry(telemetryFixture(NOW), { days: 1, now: NOW });
    expect(today.total.tasks).toBe(2);
    const month = summariseTelemetry(telemetryFixture(NOW), { days: 31, now: NOW });
    expect(month.total.tasks).toBe(5);
  });
});

describe("renderStats", () => {
  const stats = summariseTelemetry(telemetryFixture(NOW), { days: 7, now: NOW });

  it("draws a bar of each day's tokens on a terminal", () => {
    const text = renderStats(stats, { bars: true, color: false, source: ".parecode/telemetry.jsonl" });
    const today = text.split("\n").find((line) => line.startsWith(day(0)));
    expect(today).toBe(`${day(0)}      2     4.4k    $0.0180      2.2k     25%  ${"█".repeat(24)}`);
    const yesterday = text.split("\n").find((line) => line.startsWith(day(1)));
    // 2,200 of 4,400 tokens: half the width.
    expect(yesterday?.endsWith(`  ${"█".repeat(12)}`)).toBe(true);
    expect(text).toContain("* 1 task's model has no known price");
    expect(text).not.toContain("\u001b[");
  });

  it("is a plain table on a pipe: no bars, no colour", () => {
    const text = renderStats(stats, { bars: false, color: false, source: "t" });
    expect(text).not.toMatch(/[█▏▎▍▌▋▊▉]/);
    expect(text).toContain(
      "4 tasks · 11.0k tokens (10.0k in, 1.0k out, 1.5k cached) · $0.0238* · 2.8k/task · 13% compressed",
    );
    expect(text).toMatch(/^qwen3:14b\s+1\s+4\.4k\s+\?\s+4\.4k\s+0%$/m);
  });

  it("draws partial cells in eighths", () => {
    expect(blocks(1, 8 * 24)).toBe("▏");
    expect(blocks(12, 24)).toBe("█".repeat(12));
    expect(blocks(1, 3)).toBe(`${"█".repeat(8)}`);
    expect(blocks(0, 3)).toBe("");
  });
});

describe("parseTelemetry", () => {
  it("skips a cut-off or foreign line with its line number and keeps the rest", () => {
    const good = JSON.stringify(telemetryRecord(0, "m"));
    const text = `${good}\n{"v":1,"ts":"2026-11-30T12:00:00Z","model":"m","input\n${JSON.stringify({ v: 9 })}\n\n${good}\n`;
    const { records, skipped } = parseTelemetry(text);
    expect(records).toHaveLength(2);
    expect(skipped).toEqual([
      { line: 2, reason: "not valid JSON (cut off or edited?)" },
      { line: 3, reason: "unknown record version 9" },
    ]);
  });
});

describe("createTaskMeter", () => {
  it("takes the peak context share from requests and the compression from budget passes", () => {
    const meter = createTaskMeter({ window: 10_000, now: () => NOW });
    const events: AgentEvent[] = [
      { type: "task_start", task: "secret task", profile: "p", model: "m", provider: "openai" },
      {
        type: "request",
        turn: 1,
        estimatedInputTokens: 2000,
        systemTokens: 500,
        toolSchemaTokens: 300,
        messageCount: 1,
      },
      {
        type: "budget",
        turn: 2,
        tokensBefore: 8000,
        tokensAfter: 2000,
        budget: 5000,
        compressed: 3,
        dropped: 0,
        window: 8000,
      },
      {
        type: "request",
        turn: 2,
        estimatedInputTokens: 2800,
        systemTokens: 500,
        toolSchemaTokens: 300,
        messageCount: 3,
      },
      {
        type: "hook",
        turn: 2,
        hook: "on_edit",
        command: "tsc",
        ok: false,
        exitCode: 1,
        timedOut: false,
        output: "",
        durationMs: 5,
      },
    ];
    for (const event of events) meter.observe(event);
    expect(meter.record()).toBeUndefined();
    meter.observe({
      type: "result",
      status: "done",
      message: "ok",
      turns: 2,
      toolCalls: 1,
      usage: { inputTokens: 4800, outputTokens: 60 },
      costUsd: null,
      filesChanged: ["a.ts"],
      durationMs: 900,
      denials: [],
      verification: [{ file: "a.ts", status: "failed", check: "on_edit: tsc" }],
      proof: "failed",
    });
    const record = meter.record();
    expect(record).toMatchObject({
      ts: NOW.toISOString(),
      model: "m",
      peakContextPct: 35,
      compressionRatio: 0.75,
      hookRuns: 1,
      hookFailures: 1,
      failedFiles: 1,
      proof: "failed",
      costUsd: null,
    });
    expect(JSON.stringify(record)).not.toContain("secret task");
  });
});
