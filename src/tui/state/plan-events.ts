/**
 * How plan events change what the UI shows. Each step's agent events render in the chat
 * as a normal task's do (tool lines, streamed answer, approvals), under a step header,
 * but a step's end is not the task's end: the plan is one task for the status bar, the
 * queue and Ctrl+C. The planner's own events show only as tool lines and activity (its
 * answer is the plan's JSON, shown as the review instead).
 */
import { escapeControl } from "../../core/terminal-text.js";
import type { AgentEvent } from "../../core/types.js";
import {
  describeEstimate,
  describeVerification,
  formatTokens as formatPlanTokens,
  type PlanEvent,
  reducePlanProgress,
} from "../../plan/index.js";
import { applyAgentEvent, formatCost, formatTokens, resultLine } from "./agent-events.js";
import type { PlanUi } from "./plan-state.js";
import type { EntryBody, UiState } from "./types.js";

export interface PlanEventOutcome {
  state: UiState;
  entries: EntryBody[];
}

/** Planner events that matter to a person watching: what it looks at, what it costs. */
const PLANNER_EVENTS = new Set<AgentEvent["type"]>([
  "turn_start",
  "request",
  "tool_start",
  "tool_end",
  "usage",
  "retry",
  "notice",
  "permission",
  "hook",
]);

const taskSince = (state: UiState): number => {
  const a = state.activity;
  return "taskSince" in a ? a.taskSince : "since" in a ? a.since : state.now;
};

export function applyPlanEvent(state: UiState, event: PlanEvent): PlanEventOutcome {
  const ui = state.plan;
  if (!ui) return { state, entries: [] };
  const entries: EntryBody[] = [];
  const progress = ui.progress ? reducePlanProgress(ui.progress, event) : undefined;
  const withUi = (s: UiState, change: Partial<PlanUi> = {}): PlanEventOutcome => ({
    state: { ...s, plan: { ...ui, progress, ...change } },
    entries,
  });
  const total = ui.plan?.steps.length ?? progress?.steps.length ?? 0;

  switch (event.type) {
    case "plan_planning":
      entries.push({ kind: "notice", level: "info", text: `Planning via ${event.model}: ${event.task}` });
      return withUi(state, { model: event.model });
    case "plan_agent":
      return event.step === 0 ? plannerEvent(state, event.event) : stepEvent(state, event.step, event.event);
    case "plan_retry":
      entries.push({
        kind: "notice",
        level: "warn",
        text: `The plan could not be read (${event.reason}); asking again.`,
      });
      return withUi(state);
    case "plan_notice":
      entries.push({ kind: "notice", level: "warn", text: event.message });
      return withUi(state);
    case "plan_ready": {
      const plan = event.plan;
      // Info entries print as given: the model's words are escaped here.
      const lines = [describeEstimate(plan)];
      plan.steps.forEach((step, i) => {
        const files = step.files.length > 0 ? ` · ${step.files.join(", ")}` : "";
        lines.push(escapeControl(`  ${i + 1}. ${step.description} (${step.category}${files})`));
      });
      entries.push({ kind: "info", title: escapeControl(`Plan: ${plan.task}`), lines });
      return withUi(state, { plan });
    }
    case "plan_step_start": {
      const concurrent = event.concurrent ? [...ui.concurrent, event.step] : ui.concurrent;
      const detail = `${event.category} · ${event.model}${event.concurrent ? " · beside other steps" : ""}`;
      entries.push({ kind: "plan-step", step: event.step, total, description: event.description, detail });
      const running = progress?.steps.filter((s) => s.status === "running").length ?? 1;
      const badge = `plan ${event.step}/${total}${running > 1 ? ` +${running - 1}` : ""}`;
      return withUi(
        { ...state, badge, activity: { kind: "thinking", since: state.now, taskSince: taskSince(state) } },
        { concurrent },
      );
    }
    case "plan_step_verify":
      entries.push({
        kind: "notice",
        level: event.ok ? "info" : "warn",
        text: `${event.ok ? "✓" : "✗"} step ${event.step} verify ${describeVerification(event.verify)}${event.message ? `: ${event.message}` : ""}`,
      });
      return withUi(state);
    case "plan_step_end": {
      if (event.status === "done") {
        const changed = event.summary
          .split("\n")
          .slice(1)
          .map((line) => line.trim())
          .filter((line) => line !== "" && !line.startsWith("verified:"));
        entries.push({
          kind: "notice",
          level: "info",
          text: `✓ step ${event.step}/${total} done${changed.length > 0 ? `: ${changed.join("; ")}` : ""}`,
        });
      } else {
        entries.push({
          kind: "notice",
          level: "error",
          text: `✗ step ${event.step}/${total} failed: ${event.summary}`,
        });
      }
      return withUi(state);
    }
    case "plan_conflict":
      entries.push({
        kind: "notice",
        level: "warn",
        text: `Steps ${event.steps.join(" and ")} ran at once and both changed ${event.files.join(", ")}.`,
      });
      return withUi(state);
    case "plan_paused": {
      entries.push({
        kind: "notice",
        level: "warn",
        text: `Plan paused at step ${event.step}: ${event.reason}. ${resumeAdvice(ui.markdownPath)}`,
      });
      return withUi(withPlanTokens(state, progress), { phase: "paused", reason: event.reason });
    }
    case "plan_done": {
      const parts = [
        `${total} ${total === 1 ? "step" : "steps"}`,
        `${formatTokens(event.usage.inputTokens)} in / ${formatTokens(event.usage.outputTokens)} out`,
      ];
      if (event.costUsd !== null) parts.push(formatCost(event.costUsd));
      if (event.estimate) {
        const { low, high, ratio } = event.estimate;
        parts.push(
          `estimate ${formatPlanTokens(low)}–${formatPlanTokens(high)} in, measured ÷ its midpoint ${ratio.toFixed(2)}×`,
        );
      }
      entries.push({ kind: "notice", level: "info", text: `Plan done: ${parts.join(" · ")}` });
      return withUi(withPlanTokens(state, progress), { phase: "done", reason: undefined });
    }
  }
}

/** What the person is told when a plan pauses: fix or annotate, then resume. */
export function resumeAdvice(markdownPath: string): string {
  return `Fix what failed, or add a note to the step in ${markdownPath}; then /plan resume continues from there.`;
}

/** The plan counts as one task in the stats bar's tokens-per-task. */
function withPlanTokens(state: UiState, progress: PlanUi["progress"]): UiState {
  if (!progress) return state;
  const tokens = progress.steps.reduce((sum, step) => sum + step.tokens, 0);
  return { ...state, stats: { ...state.stats, perTask: [...state.stats.perTask, tokens].slice(-200) } };
}

function plannerEvent(state: UiState, event: AgentEvent): PlanEventOutcome {
  if (!PLANNER_EVENTS.has(event.type)) return { state, entries: [] };
  const outcome = applyAgentEvent(state, event);
  return { state: outcome.state, entries: outcome.entries };
}

function stepEvent(state: UiState, step: number, event: AgentEvent): PlanEventOutcome {
  const ui = state.plan;
  if (!ui) return { state, entries: [] };
  const concurrent = ui.concurrent.includes(step);
  const progress = ui.progress ? reducePlanProgress(ui.progress, { type: "plan_agent", step, event }) : undefined;
  const done = (s: UiState, entries: EntryBody[], streamed = ui.streamed): PlanEventOutcome => ({
    state: { ...s, plan: { ...(s.plan ?? ui), progress, streamed } },
    entries,
  });
  switch (event.type) {
    // The plan is the task: a step's start neither counts as a task nor restarts the clock.
    case "task_start":
      return done(state, []);
    case "text_delta":
    case "reasoning_delta":
    case "assistant_message":
      // Steps beside each other would interleave their text; their answers print when they end.
      if (concurrent) return done(state, []);
      if (event.type === "text_delta" && event.delta.trim() !== "" && !ui.streamed.includes(step)) {
        const outcome = applyAgentEvent(state, event);
        return done(outcome.state, outcome.entries, [...ui.streamed, step]);
      }
      break;
    case "tool_start":
      if (concurrent) {
        const outcome = applyAgentEvent(state, { ...event, summary: `[${step}] ${event.summary}` });
        return done(outcome.state, outcome.entries);
      }
      break;
    case "result":
      return done(...stepResult(state, step, event, ui.streamed.includes(step)));
    default:
      break;
  }
  const outcome = applyAgentEvent(state, event);
  return done(outcome.state, outcome.entries);
}

/** A step's run ended: its answer and result line, as a task's would be, but the plan goes on. */
function stepResult(
  state: UiState,
  step: number,
  event: Extract<AgentEvent, { type: "result" }>,
  streamed: boolean,
): [UiState, EntryBody[]] {
  const entries: EntryBody[] = [];
  const text = state.streaming.trim();
  if (text !== "") entries.push({ kind: "assistant", markdown: text });
  if (event.status === "done" && event.message !== "" && !streamed && text === "") {
    entries.push({ kind: "assistant", markdown: event.message });
  }
  if (event.status === "failed") entries.push({ kind: "notice", level: "error", text: event.message });
  for (const denial of event.denials) {
    const target = denial.target === undefined ? "" : ` ${denial.target.split("\n")[0]}`;
    entries.push({ kind: "notice", level: "warn", text: `✗ denied ${denial.tool}${target} (${denial.rule})` });
  }
  entries.push({ kind: "result", status: event.status, line: `step ${step} · ${resultLine(event)}` });
  const running = state.running.filter((r) => !r.summary.startsWith(`[${step}] `));
  return [
    {
      ...state,
      streaming: "",
      running: state.plan?.concurrent.includes(step) ? running : [],
      activity: { kind: "thinking", since: state.now, taskSince: taskSince(state) },
    },
    entries,
  ];
}
