import { describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../../core/approval.js";
import type { AgentEvent } from "../../core/types.js";
import { createKeyDecoder, type KeyPress } from "../keys/decode.js";
import { initialState, update } from "./reducer.js";
import type { Effect, UiState } from "./types.js";

const SESSION = { profile: "p", model: "m", provider: "openai", mode: "ask" as const, window: 10_000, cwd: "/x" };
const COMMANDS = [
  { name: "help", description: "help", needsArgs: false },
  { name: "profile", args: "NAME", description: "switch profile", needsArgs: true },
  { name: "queue", args: "[clear]", description: "queue", needsArgs: false },
];

/** Feeds raw terminal input through the decoder and the reducer, collecting effects. */
function harness(start?: Partial<UiState>) {
  let state: UiState = {
    ...initialState({ session: SESSION, commands: COMMANDS, width: 100, height: 30, now: 0 }),
    ...start,
  };
  const effects: Effect[] = [];
  const decoder = createKeyDecoder();
  let now = 1_000;
  const apply = (action: Parameters<typeof update>[1]) => {
    const out = update(state, action, now);
    state = out.state;
    effects.push(...out.effects);
  };
  return {
    get state() {
      return state;
    },
    effects,
    raw(input: string) {
      for (const key of decoder.push(input)) apply({ type: "key", key });
    },
    key(key: KeyPress) {
      apply({ type: "key", key });
    },
    event(event: AgentEvent) {
      apply({ type: "agent", event });
    },
    apply,
    advance(ms: number) {
      now += ms;
    },
  };
}

const result = (status: "done" | "interrupted" = "done"): AgentEvent => ({
  type: "result",
  status,
  message: "ok",
  turns: 1,
  toolCalls: 0,
  usage: { inputTokens: 100, outputTokens: 20 },
  costUsd: 0.001,
  filesChanged: [],
  durationMs: 1200,
  denials: [],
  verification: [],
  proof: "none",
});

describe("input editing and history", () => {
  it("types, edits with word and line keys, and sends on Enter", () => {
    const ui = harness();
    ui.raw("fix the bug");
    ui.raw("\u0017"); // Ctrl+W deletes "bug"
    ui.raw("test\u001b[D\u001b[D\u007f");
    expect(ui.state.editor.text).toBe("fix the tst");
    ui.raw("\r");
    expect(ui.effects).toContainEqual({ type: "run", prompt: { text: "fix the tst", attachments: [] } });
    expect(ui.state.editor.text).toBe("");
    expect(ui.state.entries.at(-1)).toMatchObject({ kind: "user", text: "fix the tst" });
  });

  it("a typed line arriving with its Enter in one chunk still submits", () => {
    const ui = harness();
    ui.raw("hello there\r");
    expect(ui.effects.some((e) => e.type === "run")).toBe(true);
  });

  it("Shift+Enter, Alt+Enter and Ctrl+J add lines; a bracketed paste keeps its newlines without sending", () => {
    const ui = harness();
    ui.raw("one");
    ui.raw("\u001b[13;2u");
    ui.raw("two");
    ui.raw("\n");
    ui.raw("three");
    ui.raw("\u001b\r");
    ui.raw("\u001b[200~four\rfive\u001b[201~");
    expect(ui.state.editor.text).toBe("one\ntwo\nthree\nfour\nfive");
    expect(ui.effects).toEqual([]);
  });

  it("↑/↓ walk the history and bring the draft back; in a multi-line text they move between lines first", () => {
    const ui = harness();
    ui.apply({ type: "history", entries: ["first", "second"] });
    ui.raw("draft");
    ui.raw("\u001b[A");
    expect(ui.state.editor.text).toBe("second");
    ui.raw("\u001b[A");
    expect(ui.state.editor.text).toBe("first");
    ui.raw("\u001b[B\u001b[B");
    expect(ui.state.editor.text).toBe("draft");
    ui.apply({ type: "set-input", text: "a\nb" });
    ui.raw("\u001b[A");
    expect(ui.state.editor.cursor).toBe(1);
    expect(ui.state.editor.text).toBe("a\nb");
  });

  it("a long paste becomes a chip that is expanded when sent", () => {
    const ui = harness();
    const big = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    ui.raw(`\u001b[200~${big}\u001b[201~`);
    expect(ui.state.editor.text).toBe("[Pasted text #1 +20 lines]");
    ui.raw(" explain\r");
    const run = ui.effects.find((e) => e.type === "run");
    expect(run && run.type === "run" && run.prompt.text).toBe(`${big} explain`);
  });
});

describe("queueing and cancelling", () => {
  it("queues prompts while a task runs, keeps them through Ctrl+C, and runs them in order", () => {
    const ui = harness();
    ui.raw("first\r");
    ui.event({ type: "task_start", task: "first", profile: "p", model: "m", provider: "openai" });
    ui.raw("second\r");
    ui.raw("third\r");
    expect(ui.state.queue.map((q) => q.text)).toEqual(["second", "third"]);
    ui.raw("still typing");
    ui.raw("\u0003");
    expect(ui.effects.at(-1)).toEqual({ type: "cancel" });
    expect(ui.state.editor.text).toBe("still typing");
    ui.event(result("interrupted"));
    expect(ui.effects.at(-1)).toEqual({ type: "run", prompt: { text: "second", attachments: [] } });
    expect(ui.state.queue.map((q) => q.text)).toEqual(["third"]);
    expect(ui.state.editor.text).toBe("still typing");
  });

  it("Ctrl+C when idle warns first and exits on the second press", () => {
    const ui = harness();
    ui.raw("\u0003");
    expect(ui.state.hint).toMatch(/Ctrl\+C again/);
    expect(ui.effects).toEqual([]);
    ui.advance(500);
    ui.raw("\u0003");
    expect(ui.effects).toEqual([{ type: "exit" }]);
  });
});

describe("approvals", () => {
  const request: ApprovalRequest = {
    callId: "c1",
    tool: "bash",
    kind: "command",
    title: "bash: rm x",
    command: "rm x",
    rule: "default: commands are asked",
    remember: "bash commands starting with `rm`",
  };

  it("answers y once, a for the session, and n with a reason typed after it", () => {
    const ui = harness();
    ui.apply({ type: "approval", id: 1, request });
    ui.raw("a");
    expect(ui.effects.at(-1)).toEqual({ type: "answer", id: 1, decision: { approved: true, scope: "session" } });
    ui.apply({ type: "approval", id: 2, request });
    ui.raw("n");
    ui.raw("not here");
    ui.raw("\r");
    expect(ui.effects.at(-1)).toEqual({ type: "answer", id: 2, decision: { approved: false, reason: "not here" } });
    expect(ui.state.approval).toBeNull();
  });

  it("an approved edit leaves its diff in the scrollback", () => {
    const ui = harness();
    const edit: ApprovalRequest = {
      ...request,
      kind: "edit",
      tool: "edit_file",
      path: "a.ts",
      diff: "@@ -1 +1 @@\n-a\n+b",
    };
    ui.apply({ type: "approval", id: 9, request: edit });
    ui.raw("y");
    expect(ui.state.entries.at(-1)).toMatchObject({ kind: "diff", title: "✎ a.ts", diff: "@@ -1 +1 @@\n-a\n+b" });
  });

  it("Esc denies without a reason and Ctrl+C denies and cancels the task", () => {
    const ui = harness();
    ui.apply({ type: "approval", id: 3, request });
    ui.raw("\u001b");
    expect(ui.effects.at(-1)).toEqual({ type: "answer", id: 3, decision: { approved: false } });
    ui.apply({ type: "approval", id: 4, request });
    ui.raw("\u0003");
    expect(ui.effects.slice(-2)).toEqual([
      { type: "answer", id: 4, decision: { approved: false } },
      { type: "cancel" },
    ]);
  });
});

describe("menus and chips", () => {
  it("/ opens the command menu with descriptions, filters as you type, Enter runs a command", () => {
    const ui = harness();
    ui.raw("/");
    expect(ui.state.overlay?.kind === "list" && ui.state.overlay.items.map((i) => i.value)).toEqual([
      "help",
      "profile",
      "queue",
    ]);
    ui.raw("he");
    expect(ui.state.overlay?.kind === "list" && ui.state.overlay.items[0].hint).toBe("help");
    ui.raw("\r");
    expect(ui.effects).toContainEqual({ type: "command", name: "help", args: "" });
  });

  it("Enter on a command that needs arguments completes it and waits for them", () => {
    const ui = harness();
    ui.raw("/pro\r");
    expect(ui.state.editor.text).toBe("/profile ");
    expect(ui.state.overlay).toBeNull();
    ui.raw("fast\r");
    expect(ui.effects).toContainEqual({ type: "command", name: "profile", args: "fast" });
  });

  it("@ opens the fuzzy file picker; a pick becomes a chip sent with every prompt; Tab then Del removes it", () => {
    const ui = harness();
    ui.apply({ type: "files", files: ["src/app.ts", "src/config/load.ts", "README.md"] });
    ui.raw("look at @cfgld");
    expect(ui.state.overlay?.kind === "list" && ui.state.overlay.items[0]?.value).toBe("src/config/load.ts");
    ui.raw("\r");
    expect(ui.state.files).toEqual(["src/config/load.ts"]);
    expect(ui.state.editor.text).toBe("look at ");
    ui.raw("\r");
    expect(ui.effects.find((e) => e.type === "run")).toEqual({
      type: "run",
      prompt: { text: "look at", attachments: ["src/config/load.ts"] },
    });
    ui.raw("\t");
    expect(ui.state.selectedChip).toBe(0);
    ui.raw("\u001b[3~");
    expect(ui.state.files).toEqual([]);
  });

  it("Esc closes a menu and it stays closed until the token changes", () => {
    const ui = harness();
    ui.raw("/he");
    ui.raw("\u001b");
    expect(ui.state.overlay).toBeNull();
    ui.raw("l");
    expect(ui.state.overlay?.kind).toBe("list");
  });
});

describe("agent events", () => {
  it("moves finished Markdown blocks into the scrollback while the tail streams", () => {
    const ui = harness();
    ui.event({ type: "task_start", task: "t", profile: "p", model: "m", provider: "openai" });
    ui.event({ type: "text_delta", turn: 1, delta: "# Title\n\nFirst para" });
    expect(ui.state.entries.at(-1)).toMatchObject({ kind: "assistant", markdown: "# Title" });
    expect(ui.state.streaming).toBe("First para");
    ui.event({ type: "assistant_message", turn: 1, text: "", toolCalls: [] });
    expect(ui.state.entries.at(-1)).toMatchObject({ kind: "assistant", markdown: "First para" });
  });

  it("counts tokens, cost, tool calls and the context peak for the status and stats bars", () => {
    const ui = harness();
    ui.event({ type: "task_start", task: "t", profile: "p", model: "m", provider: "openai" });
    ui.event({
      type: "request",
      turn: 1,
      estimatedInputTokens: 2_500,
      systemTokens: 1,
      toolSchemaTokens: 1,
      messageCount: 1,
    });
    ui.event({ type: "tool_start", turn: 1, callId: "a", name: "read_file", args: {}, summary: "read_file a.ts" });
    expect(ui.state.activity).toMatchObject({ kind: "tool", summary: "read_file a.ts" });
    ui.event({
      type: "tool_end",
      turn: 1,
      callId: "a",
      name: "read_file",
      display: "read a.ts",
      isError: false,
      durationMs: 3,
      output: "1 x",
    });
    ui.event({
      type: "usage",
      turn: 1,
      usage: { inputTokens: 3_000, outputTokens: 100 },
      estimated: false,
      costUsd: 0.01,
    });
    ui.event({
      type: "budget",
      turn: 2,
      tokensBefore: 5_000,
      tokensAfter: 3_000,
      budget: 4_000,
      compressed: 2,
      dropped: 0,
      window: 10_000,
    });
    ui.event(result());
    const stats = ui.state.stats;
    expect(stats).toMatchObject({ tasks: 1, toolCalls: 1, inputTokens: 3_000, outputTokens: 100, savedTokens: 2_000 });
    expect(stats.costUsd).toBeCloseTo(0.01);
    expect(stats.peakContextPct).toBeCloseTo(31);
    expect(ui.state.toolOutputs[0]).toMatchObject({ callId: "a", output: "1 x" });
    expect(ui.state.entries.map((e) => e.kind)).toEqual(["tool", "assistant", "result"]);
  });
});
