/**
 * Review before running, as data: a pure reducer over the person's actions, so the TUI's
 * review overlay and the one-shot prompt share one behaviour and tests need no terminal.
 * Every step must be approved before the plan runs; a note is appended to the step's
 * instruction when it runs; opening the plan in $EDITOR is a request the front end
 * carries out (write plan.md, run the editor, read it back) and answers with `edited`.
 */
import type { Plan } from "./types.js";

export interface ReviewState {
  plan: Plan;
  /** The step shown (0-based). */
  cursor: number;
  /** The note being typed for the step at the cursor; undefined when not annotating. */
  draft?: string;
  /** Set once the person decided; the front end then runs the plan or drops it. */
  outcome?: "run" | "cancel";
  /** A line for the person: why running was refused, what an edit changed. */
  message?: string;
  /** The front end should open plan.md in $EDITOR now, then dispatch `edited` (or `editor_failed`). */
  wantsEditor?: boolean;
}

export type ReviewAction =
  | { type: "move"; by: number }
  | { type: "select"; index: number }
  /** Starts a note for the step at the cursor (its current note is the draft). */
  | { type: "annotate" }
  | { type: "draft"; text: string }
  | { type: "commit_note" }
  | { type: "discard_note" }
  | { type: "toggle_approve" }
  | { type: "approve_all" }
  | { type: "open_editor" }
  | { type: "edited"; plan: Plan; changed: readonly string[] }
  | { type: "editor_failed"; reason: string }
  | { type: "run" }
  | { type: "cancel" };

export function createReviewState(plan: Plan): ReviewState {
  return { plan, cursor: 0 };
}

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  if (state.outcome) return state;
  const last = state.plan.steps.length - 1;
  const clear = { ...state, message: undefined };
  switch (action.type) {
    case "move":
      return { ...clear, cursor: clamp(state.cursor + action.by, 0, last), draft: undefined };
    case "select":
      return { ...clear, cursor: clamp(action.index, 0, last), draft: undefined };
    case "annotate":
      return { ...clear, draft: state.plan.steps[state.cursor]?.annotation ?? "" };
    case "draft":
      return state.draft === undefined ? state : { ...state, draft: action.text };
    case "commit_note": {
      if (state.draft === undefined) return state;
      const note = state.draft.trim();
      const plan = updateStep(state.plan, state.cursor, (step) => {
        const { annotation: _old, ...rest } = step;
        return note === "" ? rest : { ...rest, annotation: note };
      });
      return { ...clear, plan, draft: undefined, message: note ? `note added to step ${state.cursor + 1}` : undefined };
    }
    case "discard_note":
      return { ...clear, draft: undefined };
    case "toggle_approve":
      return {
        ...clear,
        plan: updateStep(state.plan, state.cursor, (step) => ({ ...step, approved: !step.approved })),
      };
    case "approve_all":
      return {
        ...clear,
        plan: { ...state.plan, steps: state.plan.steps.map((step) => ({ ...step, approved: true })) },
      };
    case "open_editor":
      return { ...clear, wantsEditor: true, draft: undefined };
    case "edited":
      return {
        ...clear,
        plan: action.plan,
        wantsEditor: false,
        cursor: clamp(state.cursor, 0, action.plan.steps.length - 1),
        message: action.changed.length > 0 ? `from plan.md: ${action.changed.join(", ")}` : "plan.md unchanged",
      };
    case "editor_failed":
      return { ...clear, wantsEditor: false, message: action.reason };
    case "run": {
      const waiting = state.plan.steps.flatMap((step, i) => (step.approved || step.status === "done" ? [] : [i + 1]));
      if (waiting.length > 0) {
        const which = waiting.length === 1 ? `step ${waiting[0]} is` : `steps ${waiting.join(", ")} are`;
        return { ...clear, message: `approve every step first: ${which} not approved` };
      }
      return { ...clear, outcome: "run", draft: undefined };
    }
    case "cancel":
      return { ...clear, outcome: "cancel", draft: undefined, plan: { ...state.plan, status: "cancelled" } };
  }
}

function updateStep(plan: Plan, index: number, change: (step: Plan["steps"][number]) => Plan["steps"][number]): Plan {
  return { ...plan, steps: plan.steps.map((step, i) => (i === index ? change(step) : step)) };
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
