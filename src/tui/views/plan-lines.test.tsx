import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { samplePlan, sampleStep } from "../../../test/support/plan-sample.js";
import { createPlanProgress, type PlanEvent, reducePlanProgress, reviewReducer } from "../../plan/index.js";
import type { PlanUi } from "../state/plan-state.js";
import { initialState } from "../state/reducer.js";
import { planStatusLines, reviewLines, reviewWindow, wrapParts } from "./plan-lines.js";
import { planView } from "./plan-views.js";

const SESSION = { profile: "p", model: "m", provider: "openai", mode: "ask" as const, window: 10_000, cwd: "/x" };

function reviewUi(plan = samplePlan(), cursor = 0): PlanUi {
  return {
    phase: "review",
    task: plan.task,
    since: 0,
    markdownPath: ".parecode/plan.md",
    routes: { standard: "std-model", quick: "quick-model" },
    plan,
    review: { plan, cursor },
    streamed: [],
    concurrent: [],
  };
}

const texts = (lines: { text: string }[]) => lines.map((line) => line.text);

describe("review lines", () => {
  it("show the total at the top, each step's category, model, files, verify and estimate, the cursor and the keys", () => {
    const lines = reviewLines(reviewUi(), 120);
    expect(texts(lines.header)).toEqual([
      "Plan: tidy the project",
      "3 steps · est. 6.0k–15k input tokens · ~$0.0060–$0.01 · 0 of 3 approved",
    ]);
    const body = texts(lines.body);
    expect(body[0]).toBe("› [ ] 1. Step 1 title");
    expect(body.slice(1, 3)).toEqual([
      "     standard · std-model · est. 2.0k–5.0k tokens · ~$0.0020–$0.0050 · files: src/file1.ts",
      "     verify: file_changed src/file1.ts",
    ]);
    // Only the step at the cursor shows its instruction.
    expect(body).toContain("     Do the work of step 1.");
    expect(body).toContain("  [ ] 2. Step 2 title");
    expect(body.join("\n")).not.toContain("Do the work of step 2.");
    expect(lines.body.slice(lines.cursorStart, lines.cursorEnd)[0].text).toBe("› [ ] 1. Step 1 title");
    expect(texts(lines.footer)).toEqual([
      "↑↓ move · a approve · A approve all · e note · E edit in $EDITOR · r re-read plan.md · Enter run · Esc cancel",
    ]);
  });

  it("fit a narrow terminal: details and keys wrap instead of running off the edge", () => {
    const width = 40;
    const lines = reviewLines(reviewUi(), width);
    for (const line of [...lines.body.slice(1, 6), ...lines.footer]) {
      if (line.text.startsWith("     Do the work")) continue;
      expect(line.text.length).toBeLessThanOrEqual(width);
    }
    expect(texts(lines.body).slice(0, 6)).toEqual([
      "› [ ] 1. Step 1 title",
      "     standard · std-model",
      "     est. 2.0k–5.0k tokens",
      "     ~$0.0020–$0.0050",
      "     files: src/file1.ts",
      "     verify: file_changed src/file1.ts",
    ]);
    expect(lines.footer.length).toBeGreaterThan(1);
  });

  it("show approvals, notes, the note being typed and why running was refused", () => {
    let review = { plan: samplePlan(), cursor: 0 };
    review = reviewReducer(review, { type: "toggle_approve" });
    review = reviewReducer(review, { type: "move", by: 1 });
    review = reviewReducer(review, { type: "annotate" });
    review = reviewReducer(review, { type: "draft", text: "use padEnd" });
    review = reviewReducer(review, { type: "commit_note" });
    review = reviewReducer(review, { type: "run" });
    const ui = { ...reviewUi(review.plan, review.cursor), review };
    const lines = reviewLines(ui, 100);
    const body = texts(lines.body);
    expect(body[0]).toBe("  [✓] 1. Step 1 title");
    expect(body).toContain("› [ ] 2. Step 2 title");
    expect(body).toContain("     note: use padEnd");
    expect(lines.footer[0]).toMatchObject({
      text: "approve every step first: steps 2, 3 are not approved",
      role: "warn",
    });

    const typing = { ...ui, review: reviewReducer(review, { type: "annotate" }) };
    expect(reviewLines(typing, 100).footer[0].text).toBe("note for step 2: use padEnd▏");
    expect(texts(reviewLines(typing, 100).footer).at(-1)).toBe(
      "type the note · Enter keeps it (empty removes it) · Esc drops it",
    );
  });

  it("keep the step at the cursor in view on a long plan, with the total pinned at the top", () => {
    const plan = samplePlan(12);
    const rows = 14;
    for (const cursor of [0, 6, 11]) {
      const shown = texts(reviewWindow(reviewLines(reviewUi(plan, cursor), 100), rows));
      expect(shown.length).toBeLessThanOrEqual(rows);
      expect(shown[0]).toBe("Plan: tidy the project");
      expect(shown).toContain(`› [ ] ${cursor + 1}. Step ${cursor + 1} title`);
      expect(shown).toContain(`     Do the work of step ${cursor + 1}.`);
    }
    const atEnd = texts(reviewWindow(reviewLines(reviewUi(plan, 11), 100), rows));
    expect(atEnd.some((line) => /^ {2}↑ \d+ more lines$/.test(line))).toBe(true);
  });

  it("escape control characters the model put in a step", () => {
    const plan = samplePlan(1);
    plan.steps[0] = sampleStep(1, { description: "evil \u001b[2Jtitle" });
    expect(reviewLines(reviewUi(plan), 100).body[0].text).toBe("› [ ] 1. evil \\x1b[2Jtitle");
  });
});

describe("plan status lines", () => {
  const running = () => {
    const plan = samplePlan(4);
    const events: PlanEvent[] = [
      {
        type: "plan_step_start",
        step: 1,
        description: "Step 1 title",
        model: "m",
        category: "standard",
        concurrent: false,
      },
      {
        type: "plan_step_end",
        step: 1,
        status: "done",
        summary: "Step 1 (done): Step 1 title\n  modified src/file1.ts: main\n  verified: src/file1.ts changed",
        usage: { inputTokens: 2_000, outputTokens: 100 },
        costUsd: null,
        toolCalls: 1,
        filesChanged: ["src/file1.ts"],
        durationMs: 10,
      },
      {
        type: "plan_step_start",
        step: 2,
        description: "Step 2 title",
        model: "m",
        category: "quick",
        concurrent: false,
      },
      {
        type: "plan_agent",
        step: 2,
        event: {
          type: "usage",
          turn: 1,
          usage: { inputTokens: 700, outputTokens: 50 },
          estimated: false,
          costUsd: null,
        },
      },
    ];
    const progress = events.reduce(reducePlanProgress, createPlanProgress(plan));
    const ui: PlanUi = { ...reviewUi(plan), phase: "running", review: undefined, progress, since: 1_000 };
    return ui;
  };

  it("mark each step ✓ ⟳ ○ with its tokens, the done step's summary and the running step's files", () => {
    const lines = texts(planStatusLines(running(), 100, 63_000));
    expect(lines.slice(0, 3)).toEqual([
      "Plan: tidy the project",
      "running · step 2 of 4 · 1m02s",
      "4 steps · est. 8.0k–20k input tokens · ~$0.0080–$0.02 · used 2.9k tokens",
    ]);
    expect(lines.slice(4)).toEqual([
      "✓ 1. Step 1 title · 2.1k tokens · 1 tool call",
      "     modified src/file1.ts: main",
      "     verified: src/file1.ts changed",
      "⟳ 2. Step 2 title · 750 tokens so far",
      "     files: src/file2.ts",
      "○ 3. Step 3 title",
      "○ 4. Step 4 title",
    ]);
  });

  it("say where and why the plan paused, with ✗ on the failed step and how to resume", () => {
    const ui = running();
    const failed: PlanEvent[] = [
      {
        type: "plan_step_end",
        step: 2,
        status: "failed",
        summary: "verification failed: src/file2.ts did not change",
        usage: { inputTokens: 700, outputTokens: 50 },
        costUsd: null,
        toolCalls: 0,
        filesChanged: [],
        durationMs: 10,
      },
      { type: "plan_paused", step: 2, reason: "step 2 failed: verification failed" },
    ];
    const progress = failed.reduce(reducePlanProgress, ui.progress ?? createPlanProgress(samplePlan(4)));
    const paused = { ...ui, progress, phase: "paused" as const, reason: "step 2 failed: verification failed" };
    const lines = texts(planStatusLines(paused, 100, 0));
    expect(lines[1]).toBe("paused: step 2 failed: verification failed");
    expect(lines).toContain("✗ 2. Step 2 title · 750 tokens");
    expect(lines).toContain("     verification failed: src/file2.ts did not change");
    expect(lines.slice(-2)).toEqual([
      "Fix what failed, or add a note to the step in .parecode/plan.md;",
      "then /plan resume continues from there.",
    ]);
  });

  it("at a narrow width the tokens go under the step instead of off the edge", () => {
    const lines = texts(planStatusLines(running(), 30, 0));
    const at = lines.indexOf("✓ 1. Step 1 title");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe("     2.1k tokens · 1 tool call");
    expect(lines).toContain("⟳ 2. Step 2 title");
  });

  it("with no plan yet, say how to make one; the view renders it in a frame", () => {
    expect(texts(planStatusLines(null, 80, 0))[0]).toBe("No plan in this session yet.");
    const state = { ...initialState({ session: SESSION, width: 80, height: 20 }), plan: running() };
    const frame = render(<>{planView.render({ state, width: 80, height: 16, scroll: 0 })}</>).lastFrame() ?? "";
    expect(frame).toContain("── Plan");
    expect(frame).toContain("✓ 1. Step 1 title · 2.1k tokens · 1 tool call");
    expect(frame).toContain("⟳ 2. Step 2 title");
  });
});

describe("wrapParts", () => {
  it("joins with · and starts a new line when the next part would not fit", () => {
    expect(wrapParts(["aaaa", "bbbb", "", "cccc"], 14, "  ")).toEqual(["  aaaa · bbbb", "  cccc"]);
  });
});
