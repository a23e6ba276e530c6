/**
 * Live plan status for display, folded from PlanEvents: each step's mark, the tokens it
 * has used so far, its summary or failure. Pure, so the TUI's Plan tab is a view of this
 * state and nothing else.
 */
import type { PlanEvent } from "./events.js";
import type { Plan, StepStatus } from "./types.js";

export const STEP_MARKS: Readonly<Record<StepStatus, string>> = { done: "✓", running: "⟳", pending: "○", failed: "✗" };

export interface StepProgress {
  description: string;
  status: StepStatus;
  /** Input plus output tokens so far. */
  tokens: number;
  toolCalls: number;
  model?: string;
  concurrent?: boolean;
  /** The carry-forward summary once done, or why it failed. */
  summary?: string;
  verification?: string;
}

export interface PlanProgress {
  steps: StepProgress[];
  paused?: { step: number; reason: string };
  conflict?: { steps: number[]; files: string[] };
  finished: boolean;
}

export function createPlanProgress(plan: Pick<Plan, "steps">): PlanProgress {
  return {
    steps: plan.steps.map((step) => ({
      description: step.description,
      status: step.status,
      tokens: step.outcome ? step.outcome.usage.inputTokens + step.outcome.usage.outputTokens : 0,
      toolCalls: step.outcome?.toolCalls ?? 0,
      summary: step.status === "done" ? step.summary : step.failure,
    })),
    finished: false,
  };
}

export function reducePlanProgress(progress: PlanProgress, event: PlanEvent): PlanProgress {
  const update = (step: number, change: (s: StepProgress) => StepProgress): PlanProgress => {
    const index = step - 1;
    if (!progress.steps[index]) return progress;
    return { ...progress, steps: progress.steps.map((s, i) => (i === index ? change(s) : s)) };
  };
  switch (event.type) {
    case "plan_step_start":
      return update(event.step, (s) => ({
        ...s,
        status: "running",
        tokens: 0,
        toolCalls: 0,
        model: event.model,
        concurrent: event.concurrent,
        summary: undefined,
        verification: undefined,
      }));
    case "plan_agent": {
      const inner = event.event;
      if (event.step === 0) return progress;
      if (inner.type === "usage") {
        return update(event.step, (s) => ({
          ...s,
          tokens: s.tokens + inner.usage.inputTokens + inner.usage.outputTokens,
        }));
      }
      if (inner.type === "tool_end") return update(event.step, (s) => ({ ...s, toolCalls: s.toolCalls + 1 }));
      return progress;
    }
    case "plan_step_verify":
      return update(event.step, (s) => ({ ...s, verification: event.message }));
    case "plan_step_end":
      return update(event.step, (s) => ({
        ...s,
        status: event.status,
        summary: event.summary,
        tokens: event.usage.inputTokens + event.usage.outputTokens,
        toolCalls: event.toolCalls,
      }));
    case "plan_paused":
      return { ...progress, paused: { step: event.step, reason: event.reason } };
    case "plan_conflict":
      return { ...progress, conflict: { steps: event.steps, files: event.files } };
    case "plan_done":
      return { ...progress, finished: true, paused: undefined };
    default:
      return progress;
  }
}
