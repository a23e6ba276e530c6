/**
 * `parecode stats` as text: a table per day and per model, and on a terminal a bar of
 * each day's tokens drawn with eighth blocks. Plain text (no bars, no colour) on a pipe.
 */
import type { StatsRow, TelemetryStats } from "./stats.js";

export interface RenderOptions {
  /** Draw a bar of tokens beside each day (a terminal). */
  bars: boolean;
  /** ANSI colour (a terminal without NO_COLOR). */
  color: boolean;
  /** Where the records came from, for the heading. */
  source: string;
}

const BAR_WIDTH = 24;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

export function renderStats(stats: TelemetryStats, options: RenderOptions): string {
  const dim = (text: string) => (options.color ? `\u001b[2m${text}\u001b[22m` : text);
  const bar = (text: string) => (options.color ? `\u001b[36m${text}\u001b[39m` : text);
  const t = stats.total;
  const lines: string[] = [];
  const span = stats.days === 1 ? `today (${stats.to})` : `last ${stats.days} days (${stats.from} to ${stats.to})`;
  lines.push(`${options.source}: ${span}`);
  if (t.tasks === 0) {
    lines.push("No tasks recorded in this period.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(
    `${t.tasks} ${t.tasks === 1 ? "task" : "tasks"} · ${tokens(t.inputTokens + t.outputTokens)} tokens (${tokens(t.inputTokens)} in, ${tokens(t.outputTokens)} out, ${tokens(t.cacheReadTokens)} cached) · ${cost(t)} · ${tokens(t.avgTokensPerTask)}/task · ${t.compressedPct.toFixed(0)}% compressed`,
  );
  lines.push("");
  const header = (first: string, width: number) =>
    dim(
      `${first.padEnd(width)}  ${"tasks".padStart(5)}  ${"tokens".padStart(7)}  ${"cost".padStart(9)}  ${"avg/task".padStart(8)}  ${"compr.".padStart(6)}`,
    );
  const maxTokens = Math.max(...stats.byDay.map((row) => row.inputTokens + row.outputTokens));
  lines.push(header("day", 10));
  for (const row of stats.byDay) {
    let line = cells(row, 10);
    if (options.bars && row.tasks > 0) line += `  ${bar(blocks(row.inputTokens + row.outputTokens, maxTokens))}`;
    lines.push(row.tasks === 0 ? dim(line) : line);
  }
  lines.push("");
  const modelWidth = Math.max(5, ...stats.byModel.map((row) => row.key.length));
  lines.push(header("model", modelWidth));
  for (const row of stats.byModel) lines.push(cells(row, modelWidth));
  if (t.unpricedTasks > 0) {
    lines.push("");
    lines.push(
      dim(
        `* ${t.unpricedTasks} ${t.unpricedTasks === 1 ? "task's model has" : "tasks' models have"} no known price; set cost_per_mtok_input and cost_per_mtok_output in the profile.`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

function cells(row: StatsRow, width: number): string {
  if (row.tasks === 0)
    return `${row.key.padEnd(width)}  ${"0".padStart(5)}  ${"–".padStart(7)}  ${"–".padStart(9)}  ${"–".padStart(8)}  ${"–".padStart(6)}`;
  return [
    row.key.padEnd(width),
    String(row.tasks).padStart(5),
    tokens(row.inputTokens + row.outputTokens).padStart(7),
    cost(row).padStart(9),
    tokens(row.avgTokensPerTask).padStart(8),
    `${row.compressedPct.toFixed(0)}%`.padStart(6),
  ].join("  ");
}

/** A bar `value / max` of BAR_WIDTH cells, in eighths; at least a sliver for any non-zero value. */
export function blocks(value: number, max: number): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.max(1, Math.round((value / max) * BAR_WIDTH * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

export function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function cost(row: StatsRow): string {
  const priced = row.tasks - row.unpricedTasks;
  if (priced === 0) return "?";
  const text = row.costUsd >= 1 ? `$${row.costUsd.toFixed(2)}` : `$${row.costUsd.toFixed(4)}`;
  return row.unpricedTasks > 0 ? `${text}*` : text;
}
