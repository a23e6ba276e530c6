/**
 * Plan mode in the UI, as data: what /plan is doing (planning, waiting for the review,
 * running, paused, done), the review state, and the live status of every step. The
 * reducer's plan actions change it; the review and Plan views only read it. The plan
 * itself, its review rules and its progress folding belong to src/plan; this file only
 * decides what the UI shows around them.
 */
import {
  createPlanProgress,
  createReviewState,
  type Plan,
  type PlanEvent,
  type PlanProgress,
  type ReviewAction,
  type ReviewState,
  reviewReducer,
} from "../../plan/index.js";
import type { Update } from "./flow.js";
import type { UiState } from "./types.js";

/** The review opens in this view (it takes the arrow keys and Esc itself); the live status in PLAN_VIEW. */
export const PLAN_REVIEW_VIEW = "plan-review";
export const PLAN_VIEW = "plan";

export type PlanPhase = "planning" | "resuming" | "review" | "running" | "paused" | "done" | "stopped";

export interface PlanUi {
  phase: PlanPhase;
  task: string;
  /** When the phase began (planning, the run). */
  since: number;
  /** Project-relative plan.md, for the messages that send the person there. */
  markdownPath: string;
  /** The planner's model, while planning. */
  model?: string;
  /** The model each step category runs on (the profile's model_routes), for the review. */
  routes?: Readonly<Record<string, string>>;
  /** The plan as last known: from planning, the review, the run. */
  plan?: Plan;
  review?: ReviewState;
  /** A line for the review from the front end (where to edit plan.md, what reading it back found). */
  hint?: string;
  progress?: PlanProgress;
  /** Steps whose answer streamed into the chat (not printed again when they end). */
  streamed: number[];
  /** Steps running beside others: their text is not streamed, their tool lines are tagged. */
  concurrent: number[];
  /** Why the plan stopped without running to the end (paused, kept for later, planning failed). */
  reason?: string;
}

export type PlanAction =
  /** /plan TASK (planning starts) or /plan resume (the saved plan is being loaded). */
  | {
      type: "plan-begin";
      task: string;
      markdownPath: string;
      resume?: boolean;
      routes?: Readonly<Record<string, string>>;
    }
  /** An event of the plan service, already redacted. */
  | { type: "plan"; event: PlanEvent }
  /** The review opens on this plan; `message` is its first line (e.g. where a resume starts). */
  | { type: "plan-review"; plan: Plan; message?: string }
  | { type: "plan-review-action"; action: ReviewAction }
  | { type: "plan-review-hint"; text: string }
  /** The plan starts running (the review said run, or a resume needed none). */
  | { type: "plan-run"; plan: Plan }
  /** Planning or the run is over; `plan` as it stands, `reason` when it did not run to the end. */
  | { type: "plan-end"; plan?: Plan; reason?: string };

function blank(task: string, markdownPath: string, now: number): PlanUi {
  return { phase: "planning", task, since: now, markdownPath, streamed: [], concurrent: [] };
}

function withPlan(state: UiState, plan: Plan): PlanUi {
  const current = state.plan;
  const base = current && current.task === plan.task ? current : blank(plan.task, ".parecode/plan.md", state.now);
  return { ...base, plan };
}

const closeReview = (state: UiState): UiState =>
  state.overlay?.kind === "view" && state.overlay.id === PLAN_REVIEW_VIEW ? { ...state, overlay: null } : state;

/** The plan actions other than events (those are in plan-events.ts). */
export function reducePlanAction(state: UiState, action: Exclude<PlanAction, { type: "plan" }>): Update {
  const now = state.now;
  switch (action.type) {
    case "plan-begin": {
      const plan: PlanUi = {
        ...blank(action.task, action.markdownPath, now),
        phase: action.resume ? "resuming" : "planning",
        routes: action.routes,
      };
      return { state: { ...state, plan }, effects: [] };
    }
    case "plan-review": {
      const review = createReviewState(action.plan);
      const plan: PlanUi = {
        ...withPlan(state, action.plan),
        phase: "review",
        review: action.message ? { ...review, message: action.message } : review,
        hint: undefined,
        reason: undefined,
      };
      const taskSince = "taskSince" in state.activity ? state.activity.taskSince : now;
      return {
        state: {
          ...state,
          plan,
          badge: "plan",
          activity: { kind: "waiting", since: now, taskSince, what: "waiting for your review of the plan" },
          overlay: { kind: "view", id: PLAN_REVIEW_VIEW, scroll: 0, captureKeys: true },
        },
        effects: [],
      };
    }
    case "plan-review-action": {
      const ui = state.plan;
      if (!ui?.review) return { state, effects: [] };
      const review = reviewReducer(ui.review, action.action);
      return { state: { ...state, plan: { ...ui, review, plan: review.plan, hint: undefined } }, effects: [] };
    }
    case "plan-review-hint": {
      const ui = state.plan;
      if (!ui?.review) return { state, effects: [] };
      return { state: { ...state, plan: { ...ui, hint: action.text } }, effects: [] };
    }
    case "plan-run": {
      const plan: PlanUi = {
        ...withPlan(state, action.plan),
        phase: "running",
        since: now,
        review: undefined,
        hint: undefined,
        reason: undefined,
        progress: createPlanProgress(action.plan),
        streamed: [],
        concurrent: [],
      };
      return {
        state: {
          ...closeReview(state),
          plan,
          badge: "plan",
          activity: { kind: "starting", since: now },
          stats: { ...state.stats, tasks: state.stats.tasks + 1 },
        },
        effects: [],
      };
    }
    case "plan-end": {
      const ui = state.plan;
      const closed = closeReview(state);
      if (!ui) return { state: closed, effects: [] };
      const plan = action.plan ?? ui.plan;
      const phase: PlanPhase =
        plan?.status === "done"
          ? "done"
          : plan?.status === "paused"
            ? "paused"
            : ui.phase === "done"
              ? "done"
              : "stopped";
      const reason = action.reason ?? (phase === "paused" ? (plan?.pausedReason ?? ui.reason) : ui.reason);
      return { state: { ...closed, plan: { ...ui, plan, phase, reason, review: undefined } }, effects: [] };
    }
  }
}
