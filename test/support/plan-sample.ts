/** Plans as data for the UI's tests: a few steps with estimates, in the shape the planner makes. */
import type { Plan, PlanStep } from "../../src/plan/index.js";

export function sampleStep(n: number, change: Partial<PlanStep> = {}): PlanStep {
  return {
    description: `Step ${n} title`,
    instruction: `Do the work of step ${n}.\nKeep the style of the file.`,
    files: [`src/file${n}.ts`],
    verify: { kind: "file_changed", path: `src/file${n}.ts` },
    toolBudget: 4,
    category: n % 2 === 0 ? "quick" : "standard",
    bash: false,
    approved: false,
    status: "pending",
    ...change,
  };
}

export function samplePlan(count = 3, change: Partial<Plan> = {}): Plan {
  const steps = Array.from({ length: count }, (_, i) => sampleStep(i + 1));
  return {
    version: 1,
    id: "2025-01-02T10-20-30-123Z",
    task: "tidy the project",
    createdAt: "2025-01-02T10:20:30.123Z",
    status: "review",
    steps,
    planner: { model: "planner-model", usage: { inputTokens: 900, outputTokens: 200 }, costUsd: null },
    estimate: {
      steps: steps.map(() => ({ low: 2_000, high: 5_000, output: 400, usdLow: 0.002, usdHigh: 0.005 })),
      low: 2_000 * count,
      high: 5_000 * count,
      usdLow: 0.002 * count,
      usdHigh: 0.005 * count,
    },
    ...change,
  };
}
