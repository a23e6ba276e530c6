import { describe, expect, it } from "vitest";
import { describeEstimate, estimatePlan, estimateRatio, formatTokens } from "./estimate.js";
import { chooseModels } from "./routes.js";
import type { Plan, PlanStep } from "./types.js";

function step(category: PlanStep["category"], files: string[], toolBudget = 10): PlanStep {
  return {
    description: "d",
    instruction: "i",
    files,
    verify: { kind: "none" },
    toolBudget,
    category,
    bash: false,
    approved: true,
    status: "pending",
  };
}

function plan(steps: PlanStep[]): Plan {
  return {
    version: 1,
    id: "id",
    task: "t",
    createdAt: "",
    status: "review",
    steps,
    planner: { model: "m", usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
  };
}

const models = chooseModels({ model: "cheap", modelRoutes: { deep: "dear" } });

describe("estimatePlan", () => {
  it("gives each step a token range from its first request and its kind, and sums them", () => {
    const estimate = estimatePlan(plan([step("quick", ["a.ts"]), step("deep", ["a.ts", "b.ts"])]), {
      models,
      fixedTokens: () => 700,
      fileTokens: (file) => (file === "a.ts" ? 300 : 500),
      price: (model) => (model === "cheap" ? { input: 1, output: 5 } : undefined),
    });
    const [quick, deep] = estimate.steps;
    expect(quick.low).toBeGreaterThanOrEqual(2 * 1_000);
    expect(quick.high).toBeGreaterThan(quick.low);
    expect(deep.low).toBeGreaterThan(quick.high);
    expect(estimate.low).toBe(quick.low + deep.low);
    expect(estimate.high).toBe(quick.high + deep.high);
    // The deep route's model has no known price, so neither does the plan.
    expect(quick.usdLow).toBeCloseTo((quick.low * 1 + quick.output * 5) / 1e6, 9);
    expect(deep.usdLow).toBeNull();
    expect(estimate.usdLow).toBeNull();
  });

  it("caps a step's calls by its tool budget", () => {
    const tight = estimatePlan(plan([step("deep", [], 1)]), {
      models,
      fixedTokens: () => 700,
      fileTokens: () => 0,
      price: () => undefined,
    });
    expect(tight.steps[0].low).toBe(tight.steps[0].high);
  });

  it("compares the measured total with the midpoint and reads well", () => {
    expect(estimateRatio({ low: 1_000, high: 3_000 }, 2_500)).toBe(1.25);
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(12_345)).toBe("12k");
    expect(formatTokens(1_234)).toBe("1.2k");
    expect(
      describeEstimate({
        steps: [step("quick", [])],
        estimate: { steps: [], low: 1_200, high: 3_400, usdLow: 0.001, usdHigh: 0.02 },
      }),
    ).toBe("1 step · est. 1.2k–3.4k input tokens · ~$0.0010–$0.02");
  });
});
