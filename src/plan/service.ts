/**
 * Plan mode for a front end, in one object: make a plan (estimated and saved), read back
 * the person's edits to plan.md, find the plan to resume, run it. The TUI's /plan and the
 * one-shot `parecode plan` both go through this; the review in between is review.ts.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ATTACHED_FILES_MAX_TOKENS } from "../context/preamble.js";
import { countTokensNow, preloadTokenizer } from "../context/tokens.js";
import { estimatePlan } from "./estimate.js";
import type { PlanEvent } from "./events.js";
import type { PlanHost } from "./host.js";
import { PlanError } from "./plan-error.js";
import { generatePlan } from "./planner.js";
import type { ModelChoice } from "./routes.js";
import { type ExecuteOptions, executePlan } from "./runner.js";
import { createPlanStore, type PlanStore } from "./store.js";
import { nextStepIndex, type Plan } from "./types.js";

export interface PlanService {
  readonly store: PlanStore;
  readonly models: ModelChoice;
  /** Asks the planner, estimates the cost and saves the plan (plan.md and its JSON). */
  generate(task: string, options: { signal: AbortSignal; onEvent?(event: PlanEvent): void }): Promise<Plan>;
  /** The plan with its estimate made again (after edits). */
  estimate(plan: Plan): Promise<Plan>;
  save(plan: Plan): Promise<void>;
  /** The plan with plan.md's edits applied and estimated again; PlanError when plan.md cannot be read. */
  readBack(plan: Plan): Promise<{ plan: Plan; changed: string[] }>;
  /** The plan to continue (plan.md's, else the newest); PlanError when there is none or it is finished. */
  resumable(): Promise<Plan>;
  /** Runs the plan from its first step not done; see executePlan. */
  execute(plan: Plan, options: Omit<ExecuteOptions, "host" | "store">): Promise<Plan>;
}

export function createPlanService(host: PlanHost): PlanService {
  const store = createPlanStore(host.root);

  const fileTokens = async (files: readonly string[]): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (const file of new Set(files)) {
      const text = await readFile(path.join(host.root, file), "utf8").catch(() => "");
      counts.set(file, Math.min(ATTACHED_FILES_MAX_TOKENS, countTokensNow(text).tokens));
    }
    return counts;
  };

  const estimate = async (plan: Plan): Promise<Plan> => {
    await preloadTokenizer().catch(() => undefined);
    const counts = await fileTokens(plan.steps.flatMap((step) => step.files));
    const withBash = host.fixedTokens();
    const withoutBash = host.fixedTokens({ withoutTools: ["bash"] });
    return {
      ...plan,
      estimate: estimatePlan(plan, {
        models: host.models,
        fixedTokens: (index) => (plan.steps[index].bash ? withBash : withoutBash),
        fileTokens: (file) => counts.get(file) ?? 0,
        price: (model) => host.price(model),
      }),
    };
  };

  return {
    store,
    models: host.models,
    async generate(task, options) {
      const plan = await estimate(await generatePlan({ host, task, ...options }));
      await store.save(plan);
      options.onEvent?.({ type: "plan_ready", plan });
      return plan;
    },
    estimate,
    save: (plan) => store.save(plan),
    async readBack(plan) {
      const read = await store.readBack(plan);
      return read.changed.length > 0 ? { plan: await estimate(read.plan), changed: read.changed } : read;
    },
    async resumable() {
      const plan = await store.latest();
      if (!plan)
        throw new PlanError('There is no plan to resume in .parecode/plans; make one with parecode plan "task".');
      if (plan.status === "done" || nextStepIndex(plan) < 0) {
        throw new PlanError(`The latest plan ("${plan.task}") has finished; make a new one with parecode plan "task".`);
      }
      if (plan.status === "cancelled") {
        throw new PlanError(
          `The latest plan ("${plan.task}") was cancelled; make a new one with parecode plan "task".`,
        );
      }
      return plan;
    },
    execute: (plan, options) => executePlan(plan, { ...options, host, store }),
  };
}
