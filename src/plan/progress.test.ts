import { describe, expect, it } from "vitest";
import type { PlanEvent } from "./events.js";
import { createPlanProgress, reducePlanProgress, STEP_MARKS } from "./progress.js";
import type { PlanStep } from "./types.js";

const step = (description: string): PlanStep => ({
  description,
  instruction: "i",
  files: [],
  verify: { kind: "none" },
  toolBudget: 5,
  category: "quick",
  bash: false,
  approved: true,
  status: "pending",
});

describe("plan progress", () => {
  it("follows each step from pending through running to done or failed, with its tokens", () => {
    const usage = { inputTokens: 100, outputTokens: 20 };
    const events: PlanEvent[] = [
      { type: "plan_step_start", step: 1, description: "a", model: "m", category: "quick", concurrent: false },
      { type: "plan_agent", step: 1, event: { type: "usage", turn: 1, usage, estimated: false, costUsd: null } },
      {
        type: "plan_agent",
        step: 1,
        event: {
          type: "tool_end",
          turn: 1,
          callId: "c",
          name: "read_file",
          display: "",
          isError: false,
          durationMs: 1,
        },
      },
    ];
    const running = events.reduce(reducePlanProgress, createPlanProgress({ steps: [step("a"), step("b")] }));
    expect(running.steps[0]).toMatchObject({ status: "running", tokens: 120, toolCalls: 1, model: "m" });
    expect(STEP_MARKS[running.steps[0].status]).toBe("⟳");
    expect(STEP_MARKS[running.steps[1].status]).toBe("○");

    const end: PlanEvent = {
      type: "plan_step_end",
      step: 1,
      status: "failed",
      summary: "verification failed: a.ts did not change",
      usage,
      costUsd: null,
      toolCalls: 1,
      filesChanged: [],
      durationMs: 5,
    };
    const failed = [end, { type: "plan_paused", step: 1, reason: "step 1 failed" } as PlanEvent].reduce(
      reducePlanProgress,
      running,
    );
    expect(failed.steps[0]).toMatchObject({ status: "failed", summary: "verification failed: a.ts did not change" });
    expect(STEP_MARKS.failed).toBe("✗");
    expect(failed.paused).toEqual({ step: 1, reason: "step 1 failed" });
  });
});
