import { describe, expect, it } from "vitest";
import { createReviewState, type ReviewAction, reviewReducer } from "./review.js";
import { type Plan, type PlanStep, stepInstruction } from "./types.js";

function plan(count: number): Plan {
  const steps: PlanStep[] = Array.from({ length: count }, (_, i) => ({
    description: `step ${i + 1}`,
    instruction: `do ${i + 1}`,
    files: [],
    verify: { kind: "none" },
    toolBudget: 5,
    category: "standard",
    bash: false,
    approved: false,
    status: "pending",
  }));
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

const run = (actions: ReviewAction[], count = 3) => actions.reduce(reviewReducer, createReviewState(plan(count)));

describe("review", () => {
  it("navigates within the steps", () => {
    expect(
      run([
        { type: "move", by: 1 },
        { type: "move", by: 5 },
      ]).cursor,
    ).toBe(2);
    expect(run([{ type: "move", by: -1 }]).cursor).toBe(0);
    expect(run([{ type: "select", index: 1 }]).cursor).toBe(1);
  });

  it("appends a committed note to the step's instruction, and a blank note removes it", () => {
    const noted = run([
      { type: "move", by: 1 },
      { type: "annotate" },
      { type: "draft", text: "use the logger" },
      { type: "commit_note" },
    ]);
    expect(noted.plan.steps[1].annotation).toBe("use the logger");
    expect(stepInstruction(noted.plan.steps[1])).toBe("do 2\n\nUser note: use the logger");
    expect(noted.message).toBe("note added to step 2");
    const again = [{ type: "annotate" }, { type: "draft", text: "  " }, { type: "commit_note" }] as ReviewAction[];
    expect(again.reduce(reviewReducer, noted).plan.steps[1].annotation).toBeUndefined();
    const discarded = [{ type: "annotate" }, { type: "draft", text: "x" }, { type: "discard_note" }] as ReviewAction[];
    expect(discarded.reduce(reviewReducer, noted).plan.steps[1].annotation).toBe("use the logger");
  });

  it("runs only once every step is approved, saying which are not", () => {
    const refused = run([{ type: "toggle_approve" }, { type: "run" }]);
    expect(refused.outcome).toBeUndefined();
    expect(refused.message).toBe("approve every step first: steps 2, 3 are not approved");
    const one = run([{ type: "approve_all" }, { type: "move", by: 2 }, { type: "toggle_approve" }, { type: "run" }]);
    expect(one.message).toBe("approve every step first: step 3 is not approved");
    expect(run([{ type: "approve_all" }, { type: "run" }]).outcome).toBe("run");
  });

  it("asks the front end to open $EDITOR and takes the edited plan back", () => {
    const asked = run([{ type: "move", by: 2 }, { type: "open_editor" }]);
    expect(asked.wantsEditor).toBe(true);
    const back = reviewReducer(asked, { type: "edited", plan: plan(2), changed: ["step 3 removed"] });
    expect(back).toMatchObject({ wantsEditor: false, cursor: 1, message: "from plan.md: step 3 removed" });
    expect(reviewReducer(asked, { type: "editor_failed", reason: "no $EDITOR set" }).message).toBe("no $EDITOR set");
  });

  it("cancels, and ignores anything after the decision", () => {
    const cancelled = run([{ type: "cancel" }, { type: "approve_all" }, { type: "run" }]);
    expect(cancelled.outcome).toBe("cancel");
    expect(cancelled.plan.status).toBe("cancelled");
    expect(cancelled.plan.steps[0].approved).toBe(false);
  });
});
