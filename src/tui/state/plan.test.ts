import { describe, expect, it } from "vitest";
import { samplePlan } from "../../../test/support/plan-sample.js";
import type { AgentEvent, Usage } from "../../core/types.js";
import type { Plan, PlanEvent } from "../../plan/index.js";
import { createKeyDecoder } from "../keys/decode.js";
import { PLAN_REVIEW_VIEW, PLAN_VIEW } from "./plan-state.js";
import { type Action, initialState, update } from "./reducer.js";
import { reviewKey } from "./review-keys.js";
import type { Effect, UiState } from "./types.js";

const SESSION = { profile: "p", model: "m", provider: "openai", mode: "ask" as const, window: 10_000, cwd: "/x" };
const usage = (inputTokens: number, outputTokens = 10): Usage => ({ inputTokens, outputTokens });

function harness() {
  let state: UiState = initialState({ session: SESSION, width: 100, height: 30, now: 0 });
  const effects: Effect[] = [];
  const decoder = createKeyDecoder();
  let now = 1_000;
  const apply = (action: Action) => {
    const out = update(state, action, now);
    state = out.state;
    effects.push(...out.effects);
  };
  return {
    get state() {
      return state;
    },
    effects,
    apply,
    raw(input: string) {
      for (const key of decoder.push(input)) apply({ type: "key", key });
    },
    plan(event: PlanEvent) {
      apply({ type: "plan", event });
    },
    step(step: number, event: AgentEvent) {
      apply({ type: "plan", event: { type: "plan_agent", step, event } });
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

const stepResult = (message: string): AgentEvent => ({
  type: "result",
  status: "done",
  message,
  turns: 2,
  toolCalls: 1,
  usage: usage(800, 40),
  costUsd: null,
  filesChanged: ["src/file1.ts"],
  durationMs: 900,
  denials: [],
  verification: [],
  proof: "none",
});

const stepEnd = (step: number, status: "done" | "failed", summary: string): PlanEvent => ({
  type: "plan_step_end",
  step,
  status,
  summary,
  usage: usage(800, 40),
  costUsd: null,
  toolCalls: 1,
  filesChanged: [`src/file${step}.ts`],
  durationMs: 900,
});

/** Planning under way, then the review open on a three-step plan. */
function reviewing(plan: Plan = samplePlan()) {
  const ui = harness();
  ui.apply({
    type: "plan-begin",
    task: plan.task,
    markdownPath: ".parecode/plan.md",
    routes: { standard: "std-model" },
  });
  ui.apply({ type: "task-begin", badge: "planning…" });
  ui.plan({ type: "plan_planning", task: plan.task, model: "planner-model" });
  ui.plan({ type: "plan_ready", plan });
  ui.apply({ type: "plan-review", plan });
  return ui;
}

describe("review keys", () => {
  const review = { plan: samplePlan(), cursor: 1 };

  it("map to the review's actions: move, approve, approve all, note, run, cancel", () => {
    expect(reviewKey(review, "up")).toEqual({ kind: "action", action: { type: "move", by: -1 } });
    expect(reviewKey(review, "down")).toEqual({ kind: "action", action: { type: "move", by: 1 } });
    expect(reviewKey(review, "end")).toEqual({ kind: "action", action: { type: "select", index: 2 } });
    expect(reviewKey(review, "text", "a")).toEqual({ kind: "action", action: { type: "toggle_approve" } });
    expect(reviewKey(review, "text", "A")).toEqual({ kind: "action", action: { type: "approve_all" } });
    expect(reviewKey(review, "text", "e")).toEqual({ kind: "action", action: { type: "annotate" } });
    expect(reviewKey(review, "text", "E")).toEqual({ kind: "edit" });
    expect(reviewKey(review, "text", "r")).toEqual({ kind: "read-back" });
    expect(reviewKey(review, "enter")).toEqual({ kind: "action", action: { type: "run" } });
    expect(reviewKey(review, "escape")).toEqual({ kind: "action", action: { type: "cancel" } });
    // A word typed at once is not a command; "up" typed as text does not move.
    expect(reviewKey(review, "text", "approve")).toEqual({ kind: "none" });
    expect(reviewKey(review, "text", "up")).toEqual({ kind: "none" });
  });

  it("while a note is typed, keys edit it: Enter keeps it, Esc drops it, a pasted line break becomes a space", () => {
    const drafting = { ...review, draft: "keep it" };
    expect(reviewKey(drafting, "text", "a")).toEqual({ kind: "action", action: { type: "draft", text: "keep ita" } });
    expect(reviewKey(drafting, "backspace")).toEqual({ kind: "action", action: { type: "draft", text: "keep i" } });
    expect(reviewKey(drafting, "ctrl+w")).toEqual({ kind: "action", action: { type: "draft", text: "keep " } });
    expect(reviewKey(drafting, "paste", " short\nlines")).toEqual({
      kind: "action",
      action: { type: "draft", text: "keep it short lines" },
    });
    expect(reviewKey(drafting, "enter")).toEqual({ kind: "action", action: { type: "commit_note" } });
    expect(reviewKey(drafting, "escape")).toEqual({ kind: "action", action: { type: "discard_note" } });
    expect(reviewKey(drafting, "up")).toEqual({ kind: "none" });
  });
});

describe("views that take the keys themselves", () => {
  it("get ↑/↓, Esc, typed text and (when idle) Ctrl+C; other views still scroll and close on Esc", () => {
    const ui = harness();
    ui.apply({ type: "open-view", id: "review-like", captureKeys: true });
    ui.raw("\u001b[A");
    ui.raw("e");
    ui.raw("\u001b[200~two\nlines\u001b[201~");
    ui.raw("\u001b");
    ui.raw("\u0003");
    expect(ui.effects).toEqual([
      { type: "view-key", id: "review-like", key: "up", data: undefined, text: undefined },
      { type: "view-key", id: "review-like", key: "text", data: undefined, text: "e" },
      { type: "view-key", id: "review-like", key: "paste", data: undefined, text: "two\nlines" },
      { type: "view-key", id: "review-like", key: "escape", data: undefined, text: undefined },
      { type: "view-key", id: "review-like", key: "ctrl+c", data: undefined, text: undefined },
    ]);
    expect(ui.state.overlay).toMatchObject({ id: "review-like", scroll: 0 });

    ui.apply({ type: "open-view", id: "stats" });
    ui.raw("\u001b[B");
    expect(ui.state.overlay).toMatchObject({ id: "stats", scroll: 1 });
    ui.raw("\u001b");
    expect(ui.state.overlay).toBeNull();
  });

  it("Ctrl+T opens the Plan view, and it closes with Esc", () => {
    const ui = harness();
    ui.raw("\u0014");
    expect(ui.state.overlay).toEqual({ kind: "view", id: PLAN_VIEW, scroll: 0 });
    ui.raw("\u001b");
    expect(ui.state.overlay).toBeNull();
  });
});

describe("/plan in the reducer", () => {
  it("planning shows the planner's tool lines (not its JSON), then the review opens and waits", () => {
    const ui = harness();
    const plan = samplePlan();
    ui.apply({ type: "plan-begin", task: plan.task, markdownPath: ".parecode/plan.md" });
    ui.apply({ type: "task-begin", badge: "planning…" });
    expect(ui.state).toMatchObject({ badge: "planning…", activity: { kind: "starting" }, plan: { phase: "planning" } });
    ui.plan({ type: "plan_planning", task: plan.task, model: "planner-model" });
    ui.step(0, { type: "task_start", task: "x", profile: "p", model: "planner-model", provider: "openai" });
    ui.step(0, { type: "turn_start", turn: 1 });
    ui.step(0, { type: "tool_start", turn: 1, callId: "c1", name: "read_file", args: {}, summary: "read README.md" });
    ui.step(0, {
      type: "tool_end",
      turn: 1,
      callId: "c1",
      name: "read_file",
      display: "12 lines",
      isError: false,
      durationMs: 3,
    });
    ui.step(0, { type: "text_delta", turn: 2, delta: '{"steps": [' });
    ui.step(0, { type: "usage", turn: 2, usage: usage(1_200, 300), estimated: false, costUsd: null });
    ui.advance(2_000);
    ui.apply({ type: "tick" });
    expect(ui.state.streaming).toBe("");
    expect(ui.state.stats.tasks).toBe(0);
    expect(ui.state.stats.inputTokens).toBe(1_200);
    expect(ui.state.activity).toMatchObject({ kind: "thinking", taskSince: 1_000 });
    expect(ui.state.entries.map((e) => e.kind)).toEqual(["notice", "tool"]);
    expect(ui.state.entries[0]).toMatchObject({ text: "Planning via planner-model: tidy the project" });

    ui.plan({ type: "plan_ready", plan });
    expect(ui.state.entries.at(-1)).toMatchObject({
      kind: "info",
      title: "Plan: tidy the project",
      lines: [
        "3 steps · est. 6.0k–15k input tokens · ~$0.0060–$0.01",
        "  1. Step 1 title (standard · src/file1.ts)",
        "  2. Step 2 title (quick · src/file2.ts)",
        "  3. Step 3 title (standard · src/file3.ts)",
      ],
    });
    ui.apply({ type: "plan-review", plan });
    expect(ui.state.overlay).toEqual({ kind: "view", id: PLAN_REVIEW_VIEW, scroll: 0, captureKeys: true });
    expect(ui.state.activity).toMatchObject({ kind: "waiting", what: "waiting for your review of the plan" });
    expect(ui.state.plan).toMatchObject({ phase: "review", review: { cursor: 0 } });
  });

  it("review actions change the plan; run is refused until every step is approved", () => {
    const ui = reviewing();
    ui.apply({ type: "plan-review-action", action: { type: "toggle_approve" } });
    ui.apply({ type: "plan-review-action", action: { type: "run" } });
    expect(ui.state.plan?.review?.message).toBe("approve every step first: steps 2, 3 are not approved");
    expect(ui.state.plan?.review?.outcome).toBeUndefined();
    ui.apply({ type: "plan-review-action", action: { type: "approve_all" } });
    ui.apply({ type: "plan-review-action", action: { type: "run" } });
    expect(ui.state.plan?.review?.outcome).toBe("run");
    expect(ui.state.plan?.plan?.steps.every((s) => s.approved)).toBe(true);
  });

  it("runs as one task: step headers, streamed answers and tool lines; a step's end neither idles nor drains the queue", () => {
    const ui = reviewing();
    const plan = { ...samplePlan(), steps: samplePlan().steps.map((s) => ({ ...s, approved: true })) };
    ui.advance(5_000);
    ui.apply({ type: "plan-run", plan });
    expect(ui.state.overlay).toBeNull();
    expect(ui.state.plan).toMatchObject({ phase: "running", since: 6_000 });
    ui.apply({ type: "prompt", prompt: { text: "after the plan", attachments: [] } });
    expect(ui.state.queue).toHaveLength(1);

    ui.plan({
      type: "plan_step_start",
      step: 1,
      description: "Step 1 title",
      model: "std-model",
      category: "standard",
      concurrent: false,
    });
    expect(ui.state.badge).toBe("plan 1/3");
    expect(ui.state.entries.at(-1)).toMatchObject({
      kind: "plan-step",
      step: 1,
      total: 3,
      description: "Step 1 title",
      detail: "standard · std-model",
    });
    ui.step(1, { type: "task_start", task: "Step 1 of 3", profile: "p", model: "std-model", provider: "openai" });
    ui.step(1, {
      type: "tool_start",
      turn: 1,
      callId: "e1",
      name: "edit_file",
      args: {},
      summary: "edit src/file1.ts",
    });
    ui.step(1, {
      type: "tool_end",
      turn: 1,
      callId: "e1",
      name: "edit_file",
      display: "+1 -1",
      isError: false,
      durationMs: 5,
    });
    ui.step(1, { type: "usage", turn: 1, usage: usage(500), estimated: false, costUsd: null });
    ui.step(1, { type: "text_delta", turn: 2, delta: "Changed src/file1.ts." });
    ui.step(1, { type: "assistant_message", turn: 2, text: "Changed src/file1.ts.", toolCalls: [] });
    ui.step(1, stepResult("Changed src/file1.ts."));
    expect(ui.state.activity.kind).not.toBe("idle");
    expect(ui.state.queue).toHaveLength(1);
    expect(ui.effects.some((e) => e.type === "run")).toBe(false);
    expect(ui.state.plan?.progress?.steps[0]).toMatchObject({ status: "running", tokens: 510, toolCalls: 1 });
    ui.plan(stepEnd(1, "done", "Step 1 (done): Step 1 title\n  modified src/file1.ts: main\n  verified: changed"));
    expect(ui.state.plan?.progress?.steps[0]).toMatchObject({ status: "done", tokens: 840 });

    const shown = ui.state.entries.slice(-5).map((e) => {
      if (e.kind === "assistant") return e.markdown;
      if (e.kind === "result") return e.line;
      if (e.kind === "notice") return e.text;
      return e.kind;
    });
    expect(shown).toEqual([
      "plan-step",
      "tool",
      "Changed src/file1.ts.",
      expect.stringMatching(/^step 1 · done · 2 calls · 1 tool call · 800 in \/ 40 out/),
      "✓ step 1/3 done: modified src/file1.ts: main",
    ]);

    // Ctrl+C cancels the plan's task; the pause says why and how to go on; the queue runs after.
    ui.plan({
      type: "plan_step_start",
      step: 2,
      description: "Step 2 title",
      model: "m",
      category: "quick",
      concurrent: false,
    });
    ui.raw("\u0003");
    expect(ui.effects.at(-1)).toEqual({ type: "cancel" });
    ui.plan(stepEnd(2, "failed", "interrupted: cancelled"));
    ui.plan({ type: "plan_paused", step: 2, reason: "step 2 was interrupted" });
    expect(ui.state.plan).toMatchObject({ phase: "paused", reason: "step 2 was interrupted" });
    expect(ui.state.entries.at(-1)).toMatchObject({
      kind: "notice",
      level: "warn",
      text: "Plan paused at step 2: step 2 was interrupted. Fix what failed, or add a note to the step in .parecode/plan.md; then /plan resume continues from there.",
    });
    ui.apply({ type: "plan-end", plan: { ...plan, status: "paused", pausedReason: "step 2 was interrupted" } });
    ui.apply({ type: "task-end" });
    expect(ui.state).toMatchObject({ badge: null, plan: { phase: "paused" } });
    expect(ui.effects.at(-1)).toEqual({ type: "run", prompt: { text: "after the plan", attachments: [] } });
    expect(ui.state.stats.perTask).toEqual([1_680]);
  });

  it("steps beside each other: no interleaved streaming, tagged tool lines, each answer printed at its end", () => {
    const ui = reviewing();
    ui.apply({ type: "plan-run", plan: samplePlan() });
    for (const step of [1, 2]) {
      ui.plan({
        type: "plan_step_start",
        step,
        description: `Step ${step} title`,
        model: "m",
        category: "quick",
        concurrent: true,
      });
    }
    expect(ui.state.badge).toBe("plan 2/3 +1");
    ui.step(1, { type: "text_delta", turn: 1, delta: "one is" });
    ui.step(2, { type: "text_delta", turn: 1, delta: "two is" });
    expect(ui.state.streaming).toBe("");
    ui.step(2, {
      type: "tool_start",
      turn: 1,
      callId: "t2",
      name: "edit_file",
      args: {},
      summary: "edit src/file2.ts",
    });
    expect(ui.state.running).toEqual([{ callId: "t2", summary: "[2] edit src/file2.ts" }]);
    ui.step(2, {
      type: "tool_end",
      turn: 1,
      callId: "t2",
      name: "edit_file",
      display: "+1",
      isError: false,
      durationMs: 1,
    });
    ui.step(1, stepResult("Step one answer."));
    ui.step(2, stepResult("Step two answer."));
    const texts = ui.state.entries.flatMap((e) =>
      e.kind === "assistant" ? [e.markdown] : e.kind === "tool" ? [e.summary] : [],
    );
    expect(texts).toEqual(["[2] edit src/file2.ts", "Step one answer.", "Step two answer."]);
  });

  it("a finished plan says what it cost against the estimate", () => {
    const ui = reviewing();
    ui.apply({ type: "plan-run", plan: samplePlan() });
    ui.plan({
      type: "plan_done",
      usage: usage(12_000, 900),
      costUsd: 0.0123,
      estimate: { low: 6_000, high: 15_000, ratio: 1.14 },
    });
    expect(ui.state.plan?.phase).toBe("done");
    expect(ui.state.entries.at(-1)).toMatchObject({
      text: "Plan done: 3 steps · 12k in / 900 out · $0.01 · estimate 6.0k–15k in, measured ÷ its midpoint 1.14×",
    });
  });

  it("cancelling the review keeps the plan and closes the view; the status says how to go on", () => {
    const ui = reviewing();
    ui.apply({ type: "plan-end", plan: samplePlan(), reason: "not run; saved in .parecode/plan.md" });
    ui.apply({ type: "task-end" });
    expect(ui.state.overlay).toBeNull();
    expect(ui.state.plan).toMatchObject({ phase: "stopped", reason: "not run; saved in .parecode/plan.md" });
    expect(ui.state.activity.kind).toBe("idle");
  });
});

describe("/quick in the reducer", () => {
  it("runs at once with a quick badge, or queues behind a running task", () => {
    const ui = harness();
    ui.apply({ type: "prompt", prompt: { text: "rename a to b", attachments: [], quick: true } });
    expect(ui.state).toMatchObject({ badge: "quick", activity: { kind: "starting" } });
    expect(ui.state.entries.at(-1)).toMatchObject({ kind: "user", text: "/quick rename a to b" });
    expect(ui.effects.at(-1)).toEqual({ type: "run", prompt: { text: "rename a to b", attachments: [], quick: true } });
    ui.apply({ type: "prompt", prompt: { text: "again", attachments: [], quick: true } });
    expect(ui.state.queue).toEqual([{ text: "again", attachments: [], quick: true }]);
    ui.apply({ type: "agent", event: stepResult("done") });
    expect(ui.state.badge).toBe("quick");
    expect(ui.effects.at(-1)).toEqual({ type: "run", prompt: { text: "again", attachments: [], quick: true } });
    ui.apply({ type: "agent", event: stepResult("done") });
    expect(ui.state).toMatchObject({ badge: null, activity: { kind: "idle" } });
  });
});
