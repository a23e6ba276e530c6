/**
 * The plan as data. The scaffold owns it: the planner proposes steps once, the person
 * reviews and edits them, and each step then runs as a fresh agent call that sees only
 * that step. Everything here is plain JSON (saved to .parecode/plans/{id}.json); the
 * front ends render it and never keep state of their own beside it.
 */
import type { ModelRoute } from "../config/types.js";
import type { Usage } from "../core/types.js";

/** How a step's result is checked after it runs; deterministic, no model call. */
export type Verification =
  | { kind: "none" }
  /** The file (default: any of the step's files) differs from before the step. */
  | { kind: "file_changed"; path?: string }
  /** The pattern (a regex, or literal text when not a valid one) is found nowhere under `path` (default: the step's files). */
  | { kind: "pattern_absent"; pattern: string; path?: string }
  /** The command exits 0 (run through the permission policy like the model's own commands). */
  | { kind: "command_success"; command: string }
  /** The project's build or type check passes (detected from package.json, Cargo.toml, go.mod, …). */
  | { kind: "build_success" };

export type VerificationKind = Verification["kind"];

export const VERIFICATION_KINDS: readonly VerificationKind[] = [
  "none",
  "file_changed",
  "pattern_absent",
  "command_success",
  "build_success",
];

/** A step's kind of work; it picks the model through the profile's model_routes. */
export type StepCategory = ModelRoute;

export type StepStatus = "pending" | "running" | "done" | "failed";

/** What running a step measured. */
export interface StepOutcome {
  model: string;
  usage: Usage;
  costUsd: number | null;
  toolCalls: number;
  /** Model calls. */
  turns: number;
  filesChanged: string[];
  durationMs: number;
  /** The model's last reply (or why the run failed). */
  message: string;
  /** What verification said, when it ran. */
  verification?: string;
}

export interface PlanStep {
  /** A short title. */
  description: string;
  /** What the model is told to do; must stand on its own. */
  instruction: string;
  /** Project-relative paths the step works on; attached to its request. */
  files: string[];
  verify: Verification;
  /** The most tool calls the step may make. */
  toolBudget: number;
  category: StepCategory;
  /** Whether the step may run shell commands; steps that may not can run beside others. */
  bash: boolean;
  /** The person's note from review, appended to the instruction when the step runs. */
  annotation?: string;
  approved: boolean;
  status: StepStatus;
  /** The deterministic carry-forward summary, once the step is done. */
  summary?: string;
  /** Why the step failed (run or verification), for the person and the resume. */
  failure?: string;
  outcome?: StepOutcome;
  /** Names in `files` the index could not place, kept so review can show them. */
  unresolved?: string[];
}

/** review: not run yet; paused: stopped at a failed step or a conflict; resumable. */
export type PlanStatus = "review" | "running" | "paused" | "done" | "cancelled";

/** An estimate of what executing the plan will cost, made before it runs. */
export interface StepEstimate {
  /** Input tokens over all of the step's model calls. */
  low: number;
  high: number;
  /** Output tokens, midpoint guess. */
  output: number;
  /** USD for low and high; null when the step's model has no known price. */
  usdLow: number | null;
  usdHigh: number | null;
}

export interface PlanEstimate {
  steps: StepEstimate[];
  low: number;
  high: number;
  usdLow: number | null;
  usdHigh: number | null;
}

export interface Plan {
  version: 1;
  /** Sortable timestamp; the JSON file's name. */
  id: string;
  task: string;
  createdAt: string;
  status: PlanStatus;
  steps: PlanStep[];
  /** The model that wrote the plan and what planning cost. */
  planner: { model: string; usage: Usage; costUsd: number | null };
  estimate?: PlanEstimate;
  /** What running the steps has cost so far, every attempt included (planning not included). */
  spent?: { usage: Usage; costUsd: number | null };
  /** Why the plan is paused, when it is. */
  pausedReason?: string;
}

/** An effective instruction: the step's own, with the person's note appended. */
export function stepInstruction(step: Pick<PlanStep, "instruction" | "annotation">): string {
  const note = step.annotation?.trim();
  return note ? `${step.instruction.trim()}\n\nUser note: ${note}` : step.instruction.trim();
}

/** `build_success`, `pattern_absent "console.log" in src/`: one line for people. */
export function describeVerification(verify: Verification): string {
  switch (verify.kind) {
    case "none":
      return "none";
    case "file_changed":
      return verify.path ? `file_changed ${verify.path}` : "file_changed";
    case "pattern_absent":
      return `pattern_absent ${JSON.stringify(verify.pattern)}${verify.path ? ` in ${verify.path}` : ""}`;
    case "command_success":
      return `command_success: ${verify.command}`;
    case "build_success":
      return "build_success";
  }
}

/** The index of the first step not done yet, or -1 when all are. */
export function nextStepIndex(plan: Pick<Plan, "steps">): number {
  return plan.steps.findIndex((step) => step.status !== "done");
}
