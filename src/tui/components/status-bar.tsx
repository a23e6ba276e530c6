/**
 * The status bar (what is happening, for how long, with which model, how full the
 * context is, what the session cost) and the stats bar under it (tasks, tokens, average
 * per task, tool calls, share saved by compression, peak context).
 */
import { Box, Text } from "ink";
import { formatCost, formatTokens } from "../state/agent-events.js";
import type { Activity, UiState } from "../state/types.js";
import { useTheme } from "../theme.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function activityLabel(activity: Activity): string {
  switch (activity.kind) {
    case "idle":
      return "ready";
    case "starting":
      return "starting";
    case "thinking":
      return "thinking";
    case "streaming":
      return "writing";
    case "tool":
      return `running ${activity.summary}`;
    case "approval":
      return "waiting for your approval";
    case "waiting":
      return activity.what;
    case "shell":
      return `$ ${activity.command}`;
  }
}

function elapsed(activity: Activity, now: number): string {
  if (activity.kind === "idle") return "";
  const since = "taskSince" in activity ? activity.taskSince : activity.since;
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}

export function contextPercent(state: Pick<UiState, "stats" | "session">): number {
  return state.session.window > 0 ? (state.stats.contextTokens / state.session.window) * 100 : 0;
}

export function StatusBar({ state }: { state: UiState }) {
  const theme = useTheme();
  const compact = state.width < 80;
  const busy = state.activity.kind !== "idle";
  const waiting = state.activity.kind === "approval" || state.activity.kind === "waiting";
  const color = waiting ? theme.c("warn") : busy ? theme.c("accent") : theme.c("muted");
  const spinner = busy ? `${SPINNER[Math.floor(state.now / 100) % SPINNER.length]} ` : "● ";
  const pct = contextPercent(state);
  const ctxColor = pct >= 80 ? theme.c("error") : pct >= 50 ? theme.c("warn") : undefined;
  const cost = state.stats.costUsd === null ? "cost ?" : formatCost(state.stats.costUsd);
  const time = elapsed(state.activity, state.now);
  const model = compact ? state.session.model : `${state.session.profile} · ${state.session.model}`;
  const ctx = compact
    ? `${pct.toFixed(0)}%`
    : `ctx ${pct.toFixed(0)}% ${formatTokens(state.stats.contextTokens)}/${formatTokens(state.session.window)}`;
  return (
    <Box>
      <Box flexShrink={1} flexGrow={1}>
        <Text color={color} wrap="truncate-end">
          {spinner}
          {busy && state.badge ? `${state.badge} · ` : ""}
          {activityLabel(state.activity)}
          {time ? ` ${time}` : ""}
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text color={theme.c("muted")}>
          {" │ "}
          {model}
          {" │ "}
        </Text>
        <Text color={ctxColor ?? theme.c("muted")}>{ctx}</Text>
        <Text color={theme.c("muted")}>
          {" │ "}
          {cost}
          {compact ? "" : ` │ ${state.session.mode}`}
        </Text>
      </Box>
    </Box>
  );
}

export function statsLine(state: UiState): string {
  const s = state.stats;
  const tokens = s.inputTokens + s.outputTokens;
  const finished = s.perTask.length;
  const avg = finished > 0 ? s.perTask.reduce((a, b) => a + b, 0) / finished : 0;
  const compressed = s.savedTokens + s.inputTokens > 0 ? (s.savedTokens / (s.savedTokens + s.inputTokens)) * 100 : 0;
  const parts = [
    `tasks ${s.tasks}`,
    `tokens ${formatTokens(tokens)}`,
    `avg ${formatTokens(Math.round(avg))}/task`,
    `tools ${s.toolCalls}`,
    `compressed ${compressed.toFixed(0)}%`,
    `peak ctx ${s.peakContextPct.toFixed(0)}%`,
  ];
  if (state.queue.length > 0) parts.push(`queued ${state.queue.length}`);
  return parts.join(" · ");
}

export function StatsBar({ state }: { state: UiState }) {
  const theme = useTheme();
  return (
    <Text color={theme.c("muted")} dimColor wrap="truncate-end">
      {statsLine(state)}
    </Text>
  );
}
