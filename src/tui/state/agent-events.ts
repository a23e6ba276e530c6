/**
 * The agent-event half of the reducer: how each AgentEvent changes what the UI shows.
 * Pure; the reducer adds the entries it returns to the scrollback.
 */
import type { AgentEvent } from "../../core/types.js";
import { splitStreaming } from "./streaming.js";
import type { EntryBody, Stats, UiState } from "./types.js";

/** Most tool results kept for the tool view; older ones are dropped. */
const MAX_TOOL_OUTPUTS = 200;
/** Most characters of one tool result kept for the tool view. */
const MAX_TOOL_OUTPUT_CHARS = 20_000;

export function emptyStats(): Stats {
  return {
    tasks: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    costUsd: 0,
    toolCalls: 0,
    savedTokens: 0,
    contextTokens: 0,
    peakContextPct: 0,
    perTask: [],
    byTool: {},
  };
}

/** Live lines the streaming tail may use before a block is cut into the scrollback. */
export function liveLineBudget(state: Pick<UiState, "height">): number {
  return Math.max(4, Math.min(24, Math.floor(state.height / 2) - 4));
}

function contextPct(tokens: number, window: number): number {
  return window > 0 ? Math.min(999, (tokens / window) * 100) : 0;
}

function withContext(stats: Stats, tokens: number, window: number): Stats {
  return {
    ...stats,
    contextTokens: tokens,
    peakContextPct: Math.max(stats.peakContextPct, contextPct(tokens, window)),
  };
}

function taskSince(state: UiState): number {
  const a = state.activity;
  return "taskSince" in a ? a.taskSince : "since" in a ? a.since : state.now;
}

export interface EventOutcome {
  state: UiState;
  entries: EntryBody[];
  /** The task ended: the reducer may start the next queued prompt. */
  taskEnded: boolean;
}

export function applyAgentEvent(state: UiState, event: AgentEvent): EventOutcome {
  const now = state.now;
  const entries: EntryBody[] = [];
  const out = (next: UiState, taskEnded = false): EventOutcome => ({ state: next, entries, taskEnded });
  const flush = (s: UiState): UiState => {
    const text = s.streaming.trim();
    if (text !== "") entries.push({ kind: "assistant", markdown: text });
    return { ...s, streaming: "" };
  };

  switch (event.type) {
    case "task_start":
      return out({
        ...state,
        session: { ...state.session, profile: event.profile, model: event.model, provider: event.provider },
        activity: { kind: "thinking", since: now, taskSince: now },
        stats: { ...state.stats, tasks: state.stats.tasks + 1 },
        streaming: "",
        running: [],
      });
    case "turn_start":
      return out({ ...state, activity: { kind: "thinking", since: now, taskSince: taskSince(state) } });
    case "request":
      return out({ ...state, stats: withContext(state.stats, event.estimatedInputTokens, state.session.window) });
    case "budget":
      return out({
        ...state,
        session: { ...state.session, window: event.window },
        stats: {
          ...state.stats,
          savedTokens: state.stats.savedTokens + Math.max(0, event.tokensBefore - event.tokensAfter),
        },
      });
    case "text_delta": {
      const split = splitStreaming(state.streaming + event.delta, liveLineBudget(state));
      for (const block of split.done) entries.push({ kind: "assistant", markdown: block });
      const activity =
        state.activity.kind === "streaming"
          ? state.activity
          : { kind: "streaming" as const, since: now, taskSince: taskSince(state) };
      return out({ ...state, streaming: split.rest, activity });
    }
    case "reasoning_delta":
      return out(state);
    case "retry":
      entries.push({
        kind: "notice",
        level: "warn",
        text: `↻ ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)}s (attempt ${event.attempt})`,
      });
      // What the failed attempt streamed is void.
      return out({ ...state, streaming: "" });
    case "assistant_message":
      return out(flush(state));
    case "tool_start":
      return out({
        ...flush(state),
        running: [...state.running, { callId: event.callId, summary: event.summary }],
        activity: { kind: "tool", since: now, taskSince: taskSince(state), summary: event.summary },
      });
    case "tool_end": {
      const started = state.running.find((r) => r.callId === event.callId);
      const summary = started?.summary ?? event.name;
      const denied = /^(blocked \(|not approved)/.test(event.display);
      entries.push({
        kind: "tool",
        callId: event.callId,
        name: event.name,
        summary,
        display: event.display,
        status: denied ? "denied" : event.isError ? "error" : "ok",
        durationMs: event.durationMs,
      });
      const output = event.output ?? event.display;
      const toolOutputs = [
        ...state.toolOutputs,
        { callId: event.callId, summary, output: output.slice(0, MAX_TOOL_OUTPUT_CHARS), isError: event.isError },
      ].slice(-MAX_TOOL_OUTPUTS);
      const running = state.running.filter((r) => r.callId !== event.callId);
      const byTool = { ...state.stats.byTool, [event.name]: (state.stats.byTool[event.name] ?? 0) + 1 };
      return out({
        ...state,
        running,
        toolOutputs,
        activity: { kind: "thinking", since: now, taskSince: taskSince(state) },
        stats: { ...state.stats, toolCalls: state.stats.toolCalls + 1, byTool },
      });
    }
    case "usage": {
      const cost = state.stats.costUsd === null || event.costUsd === null ? null : state.stats.costUsd + event.costUsd;
      const stats: Stats = {
        ...state.stats,
        inputTokens: state.stats.inputTokens + event.usage.inputTokens,
        outputTokens: state.stats.outputTokens + event.usage.outputTokens,
        cacheReadTokens: state.stats.cacheReadTokens + (event.usage.cacheReadTokens ?? 0),
        costUsd: cost,
      };
      const used = event.usage.inputTokens + event.usage.outputTokens;
      return out({ ...state, stats: withContext(stats, used, state.session.window) });
    }
    case "approval_request":
      return out(state);
    case "permission":
      if (event.by === "user" && event.action === "allow" && event.scope && event.scope !== "once") {
        entries.push({
          kind: "notice",
          level: "info",
          text: `✓ ${event.tool} allowed for this ${event.scope} (${event.rule})`,
        });
      }
      return out(state);
    case "hook":
      entries.push({ kind: "hook", hook: event.hook, command: event.command, ok: event.ok, output: event.output });
      return out(state);
    case "notice":
      if (event.level === "debug") return out(state);
      entries.push({ kind: "notice", level: event.level, text: event.message });
      return out(state);
    case "result": {
      const flushed = flush(state);
      if (event.status === "done" && event.message !== "" && !hadAnswer(state, entries)) {
        entries.push({ kind: "assistant", markdown: event.message });
      }
      if (event.status === "failed") entries.push({ kind: "notice", level: "error", text: event.message });
      for (const denial of event.denials) {
        const target = denial.target === undefined ? "" : ` ${denial.target.split("\n")[0]}`;
        entries.push({ kind: "notice", level: "warn", text: `✗ denied ${denial.tool}${target} (${denial.rule})` });
      }
      entries.push({ kind: "result", status: event.status, line: resultLine(event) });
      const tokens = event.usage.inputTokens + event.usage.outputTokens;
      return out(
        {
          ...flushed,
          running: [],
          activity: { kind: "idle" },
          badge: null,
          hint: flushed.hint?.startsWith("Cancelling") ? null : flushed.hint,
          stats: { ...flushed.stats, perTask: [...flushed.stats.perTask, tokens].slice(-200) },
        },
        true,
      );
    }
  }
}

/** Whether this task already showed assistant text (streamed blocks since the last user entry). */
function hadAnswer(state: UiState, pending: EntryBody[]): boolean {
  if (pending.some((e) => e.kind === "assistant")) return true;
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const entry = state.entries[i];
    if (entry.kind === "user") return false;
    if (entry.kind === "assistant") return true;
  }
  return false;
}

export function resultLine(event: Extract<AgentEvent, { type: "result" }>): string {
  const parts: string[] = [
    event.status,
    `${event.turns} ${event.turns === 1 ? "call" : "calls"}`,
    `${event.toolCalls} tool ${event.toolCalls === 1 ? "call" : "calls"}`,
    `${formatTokens(event.usage.inputTokens)} in / ${formatTokens(event.usage.outputTokens)} out`,
  ];
  if (event.costUsd !== null) parts.push(formatCost(event.costUsd));
  parts.push(`${(event.durationMs / 1000).toFixed(1)}s`);
  if (event.filesChanged.length > 0) parts.push(`changed: ${event.filesChanged.join(", ")}`);
  return parts.join(" · ");
}

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
