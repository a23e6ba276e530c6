/** /stats: the session's numbers as a dashboard with bars. */
import { formatCost, formatTokens } from "../state/agent-events.js";
import type { UiState } from "../state/types.js";
import { bar, type ViewLine } from "./view-frame.js";

export function statsLines(state: UiState, width: number): ViewLine[] {
  const s = state.stats;
  const barWidth = Math.max(10, Math.min(40, width - 36));
  const window = state.session.window;
  const now = window > 0 ? s.contextTokens / window : 0;
  const lines: ViewLine[] = [
    {
      text: `${state.session.profile} · ${state.session.model} (${state.session.provider}) · window ${formatTokens(window)}`,
      bold: true,
    },
    { text: "" },
    { text: `context now   ${bar(now, barWidth)} ${(now * 100).toFixed(0)}% (${formatTokens(s.contextTokens)})` },
    { text: `context peak  ${bar(s.peakContextPct / 100, barWidth)} ${s.peakContextPct.toFixed(0)}%` },
  ];
  const saved = s.savedTokens + s.inputTokens > 0 ? s.savedTokens / (s.savedTokens + s.inputTokens) : 0;
  lines.push({
    text: `compressed    ${bar(saved, barWidth)} ${(saved * 100).toFixed(0)}% (${formatTokens(s.savedTokens)} tokens saved)`,
  });
  lines.push({ text: "" });
  lines.push({
    text: `tasks ${s.tasks} · input ${formatTokens(s.inputTokens)} · output ${formatTokens(s.outputTokens)} · cached ${formatTokens(s.cacheReadTokens)} · cost ${s.costUsd === null ? "unknown (no price for this model)" : formatCost(s.costUsd)}`,
  });
  if (s.perTask.length > 0) {
    lines.push({ text: "" }, { text: "tokens per task", bold: true });
    const max = Math.max(...s.perTask);
    s.perTask.slice(-12).forEach((tokens, i, shown) => {
      const n = s.perTask.length - shown.length + i + 1;
      lines.push({ text: `  #${String(n).padEnd(4)}${bar(tokens / max, barWidth)} ${formatTokens(tokens)}` });
    });
  }
  const tools = Object.entries(s.byTool).sort((a, b) => b[1] - a[1]);
  if (tools.length > 0) {
    lines.push({ text: "" }, { text: `tool calls (${s.toolCalls})`, bold: true });
    const max = tools[0][1];
    for (const [name, count] of tools) {
      lines.push({ text: `  ${name.padEnd(12)}${bar(count / max, barWidth)} ${count}` });
    }
  }
  return lines;
}
