/** Plan mode's public surface: front ends and the runtime import from here, not from the parts. */
export type { BeforeTexts } from "./carry-forward.js";
export { describeEstimate, estimateRatio, formatTokens, formatUsdRange } from "./estimate.js";
export type { PlanEvent } from "./events.js";
export type { IsolatedRun, PlanHost } from "./host.js";
export { PlanError } from "./plan-error.js";
export { PLANNER_TOOLS } from "./planner.js";
export {
  createPlanProgress,
  type PlanProgress,
  reducePlanProgress,
  STEP_MARKS,
  type StepProgress,
} from "./progress.js";
export { createReviewState, type ReviewAction, type ReviewState, reviewReducer } from "./review.js";
export { chooseModels, type ModelChoice } from "./routes.js";
export type { ExecuteOptions, StepDone, WriteConflict } from "./runner.js";
export { createPlanService, type PlanService } from "./service.js";
export type { PlanStore } from "./store.js";
export {
  describeVerification,
  nextStepIndex,
  type Plan,
  type PlanEstimate,
  type PlanStatus,
  type PlanStep,
  type StepCategory,
  type StepEstimate,
  type StepOutcome,
  type StepStatus,
  stepInstruction,
  type Verification,
} from "./types.js";
export type { CommandRun, RunCommand } from "./verify.js";
