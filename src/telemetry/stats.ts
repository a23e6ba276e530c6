/** Sums of telemetry records per day and per model, over the last N days. */
import type { TelemetryRecord } from "./record.js";

export interface StatsRow {
  /** A local date (2026-11-30) for days, the model id for models, "total" for the total. */
  key: string;
  tasks: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Of the tasks whose price was known. */
  costUsd: number;
  /** Tasks whose model had no known price. */
  unpricedTasks: number;
  /** (input + output) / tasks, rounded. */
  avgTokensPerTask: number;
  /** How much of the history the budget compressed or dropped, averaged over tasks (0–100). */
  compressedPct: number;
  /** Tasks that did not end "done", or whose checks failed. */
  failedTasks: number;
}

export interface TelemetryStats {
  days: number;
  /** First and last local date of the range. */
  from: string;
  to: string;
  total: StatsRow;
  /** Every day of the range, oldest first, days without tasks included. */
  byDay: StatsRow[];
  /** Most tokens first. */
  byModel: StatsRow[];
}

export interface SummariseOptions {
  /** Today and the N - 1 days before it. */
  days: number;
  now?: Date;
}

export function summariseTelemetry(records: readonly TelemetryRecord[], options: SummariseOptions): TelemetryStats {
  const now = options.now ?? new Date();
  const days = Math.max(1, Math.floor(options.days));
  const dates: string[] = [];
  for (let back = days - 1; back >= 0; back--) {
    dates.push(localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - back, 12)));
  }
  const inRange = new Set(dates);
  const byDay = new Map(dates.map((date) => [date, newRow(date)]));
  const byModel = new Map<string, Row>();
  const total = newRow("total");
  for (const record of records) {
    const date = localDate(new Date(record.ts));
    if (!inRange.has(date)) continue;
    const model = record.model || "(unknown)";
    if (!byModel.has(model)) byModel.set(model, newRow(model));
    for (const row of [byDay.get(date), byModel.get(model), total]) if (row) add(row, record);
  }
  return {
    days,
    from: dates[0],
    to: dates[dates.length - 1],
    total: finish(total),
    byDay: [...byDay.values()].map(finish),
    byModel: [...byModel.values()]
      .map(finish)
      .sort((a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || a.key.localeCompare(b.key)),
  };
}

interface Row extends StatsRow {
  compressionSum: number;
}

function newRow(key: string): Row {
  return {
    key,
    tasks: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    costUsd: 0,
    unpricedTasks: 0,
    avgTokensPerTask: 0,
    compressedPct: 0,
    failedTasks: 0,
    compressionSum: 0,
  };
}

function add(row: Row, record: TelemetryRecord): void {
  row.tasks++;
  row.inputTokens += record.inputTokens;
  row.outputTokens += record.outputTokens;
  row.cacheReadTokens += record.cacheReadTokens;
  if (record.costUsd === null) row.unpricedTasks++;
  else row.costUsd += record.costUsd;
  row.compressionSum += record.compressionRatio;
  if (record.status !== "done" || record.proof === "failed") row.failedTasks++;
}

function finish(row: Row): StatsRow {
  const { compressionSum, ...rest } = row;
  return {
    ...rest,
    costUsd: Math.round(row.costUsd * 1e6) / 1e6,
    avgTokensPerTask: row.tasks === 0 ? 0 : Math.round((row.inputTokens + row.outputTokens) / row.tasks),
    compressedPct: row.tasks === 0 ? 0 : Math.round((compressionSum / row.tasks) * 1000) / 10,
  };
}

/** YYYY-MM-DD in the machine's time zone: a day is the user's day. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
