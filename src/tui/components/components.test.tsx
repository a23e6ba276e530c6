import { Text } from "ink";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { createCommandRegistry, createViewRegistry } from "../commands/registry.js";
import { createController } from "../controller.js";
import { initialState, update } from "../state/reducer.js";
import type { PendingApproval, UiState } from "../state/types.js";
import { App } from "./app.js";
import { ApprovalDialog } from "./approval-dialog.js";
import { QueueList } from "./chips.js";
import { InputBox } from "./input-box.js";
import { ListMenu } from "./list-menu.js";
import { Markdown } from "./markdown.js";
import { StatusBar } from "./status-bar.js";

const SESSION = {
  profile: "main",
  model: "qwen3:14b",
  provider: "ollama",
  mode: "ask" as const,
  window: 32_000,
  cwd: "/p",
};

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("markdown and code", () => {
  it("renders headings, lists, emphasis, inline code, links and tables", () => {
    const text = [
      "## Steps",
      "",
      "Use **bold**, *italic* and `npm test`; see [the docs](https://example.com/docs).",
      "",
      "1. first",
      "2. second",
      "   - nested",
      "- [x] done",
      "",
      "| name | size |",
      "|------|-----:|",
      "| a.ts | 10 |",
      "| bb.ts | 200 |",
    ].join("\n");
    const frame = render(<Markdown text={text} width={80} />).lastFrame() ?? "";
    expect(frame).toContain("Steps");
    expect(frame).toContain("Use bold, italic and npm test; see the docs (https://example.com/docs).");
    expect(frame).toMatch(/1\. first\n2\. second\n {3}• nested/);
    expect(frame).toContain("☑ done");
    expect(frame).toContain("name  │ size");
    expect(frame).toContain("bb.ts │  200");
  });

  it("highlights a code block and keeps every line whole", () => {
    const frame =
      render(<Markdown text={"```python\ndef add(a, b):\n    return a + b  # sum\n```"} width={60} />).lastFrame() ??
      "";
    expect(frame).toContain("python");
    expect(frame).toContain("def add(a, b):");
    expect(frame).toContain("    return a + b  # sum");
  });

  it("a table too wide for the terminal becomes one record per row", () => {
    const text =
      "| path | description |\n|---|---|\n| src/config/load.ts | reads and validates the configuration file |";
    const frame = render(<Markdown text={text} width={30} />).lastFrame() ?? "";
    expect(frame).toContain("path: src/config/load.ts");
    expect(frame).not.toContain("│");
  });
});

describe("input, queue and pickers", () => {
  it("shows the text with the cursor, multi-line, and scrolls past its row cap", () => {
    const editor = { text: "first line\nsecond\nthird", cursor: 23 };
    const frame =
      render(<InputBox editor={editor} maxRows={2} placeholder="" inactive={false} width={40} />).lastFrame() ?? "";
    expect(frame).toContain("second");
    expect(frame).toContain("third");
    expect(frame).not.toContain("first line");
    expect(frame).toContain("line 3 of 3");
  });

  it("lists queued prompts under the live region", () => {
    const queue = [
      { text: "fix the tests", attachments: [] },
      { text: "then update the README", attachments: [] },
    ];
    const frame = render(<QueueList queue={queue} compact={false} />).lastFrame() ?? "";
    expect(frame).toContain("⏳ queued 1: fix the tests");
    expect(frame).toContain("⏳ queued 2: then update the README");
  });

  it("a picker shows a window around the selection with descriptions", () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ value: `m${i}`, label: `model-${i}`, hint: `hint ${i}` }));
    const list = {
      kind: "list" as const,
      purpose: { kind: "picker" as const, id: 1 },
      title: "model",
      query: "",
      items,
      all: items,
      selected: 12,
    };
    const frame = render(<ListMenu list={list} maxRows={6} width={60} />).lastFrame() ?? "";
    expect(frame).toContain("› model-12");
    expect(frame).toContain("hint 12");
    expect(frame).toContain("(13/20)");
    expect(frame).not.toContain("model-1 ");
  });
});

describe("approval dialog", () => {
  const approval: PendingApproval = {
    id: 1,
    reason: null,
    request: {
      callId: "c",
      tool: "edit_file",
      kind: "edit",
      title: "edit_file src/a.ts",
      path: "src/a.ts",
      diff: "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n-const a = 1;\n+const a = 2;\n keep();",
      rule: "mode ask: file edits are asked",
      remember: "file edits (write_file, edit_file, patch_file)",
    },
  };

  it("shows the diff per file, the rule that asked and the answers", () => {
    const frame = render(<ApprovalDialog approval={approval} maxRows={20} compact={false} />).lastFrame() ?? "";
    expect(frame).toContain("Apply this change to src/a.ts?");
    expect(frame).toContain("▸ src/a.ts");
    expect(frame).toContain("-const a = 1;");
    expect(frame).toContain("+const a = 2;");
    expect(frame).toContain("asked by: mode ask: file edits are asked");
    expect(frame).toMatch(/y yes {2}a always this session {2}p always in this project {2}n no/);
  });

  it("cuts a long diff to the rows it has and counts the rest", () => {
    const diff = `@@ -1,40 +1,40 @@\n${Array.from({ length: 40 }, (_, i) => `+line ${i}`).join("\n")}`;
    const long = { ...approval, request: { ...approval.request, diff } };
    const frame = render(<ApprovalDialog approval={long} maxRows={12} compact />).lastFrame() ?? "";
    expect(frame).toMatch(/… \d+ more diff lines/);
    expect(frame.split("\n").length).toBeLessThanOrEqual(14);
  });
});

describe("narrow terminals", () => {
  it("the status bar compacts under 80 columns and stays on one line", () => {
    const state: UiState = { ...initialState({ session: SESSION, width: 50, height: 20 }), width: 50 };
    const { lastFrame } = render(<StatusBar state={state} />);
    const frame = lastFrame() ?? "";
    expect(frame.split("\n")).toHaveLength(1);
    expect(frame).toContain("qwen3:14b");
    expect(frame).not.toContain("main ·");
  });

  it("the whole app fits a 50-column terminal and keeps its live region below the height", async () => {
    const controller = createController({
      commands: createCommandRegistry([{ name: "help", description: "help", run: () => undefined }]),
      views: createViewRegistry(),
      width: 50,
      height: 16,
      createRuntime: () => Promise.reject(new Error("not in this test")),
    });
    controller.dispatch({ type: "session", session: SESSION });
    controller.dispatch({
      type: "print",
      body: { kind: "markdown", markdown: "A **long** line of the answer that has to wrap inside fifty columns." },
    });
    const { lastFrame, stdin } = render(<App controller={controller} views={createViewRegistry()} />);
    await tick();
    stdin.write("/");
    await tick();
    const frame = lastFrame() ?? "";
    // ink-testing-library's terminal is 100 columns wide; the live region must keep to the 50 it was told.
    const live = frame.slice(frame.indexOf("╭"));
    for (const line of live.split("\n")) expect(line.length).toBeLessThanOrEqual(50);
    expect(live.split("\n").length).toBeLessThan(16);
    expect(frame).toContain("/help");
    expect(frame).toContain("A long line of the answer");
    controller.dispose();
  });

  it("typing in the app edits the input; Enter with a queue shows it queued", async () => {
    const controller = createController({
      commands: createCommandRegistry(),
      views: createViewRegistry(),
      width: 90,
      height: 30,
      createRuntime: () => Promise.reject(new Error("not in this test")),
    });
    controller.dispatch({ type: "session", session: SESSION });
    // A task is running: what is sent now waits in the queue.
    controller.dispatch({
      type: "agent",
      event: { type: "task_start", task: "t", profile: "main", model: "m", provider: "ollama" },
    });
    const { lastFrame, stdin } = render(<App controller={controller} views={createViewRegistry()} />);
    await tick();
    stdin.write("next one");
    await tick();
    expect(lastFrame()).toContain("› next one");
    stdin.write("\r");
    await tick();
    expect(lastFrame()).toContain("⏳ queued 1: next one");
    controller.dispose();
  });
});

describe("reducer and view agree", () => {
  it("a view registered by a feature opens in the live region and Esc closes it", async () => {
    const views = createViewRegistry([
      { id: "plan", title: "Plan", render: () => <Text>step 1 ✓ · step 2 running</Text> },
    ]);
    const controller = createController({
      commands: createCommandRegistry(),
      views,
      width: 80,
      height: 24,
      createRuntime: () => Promise.reject(new Error("not in this test")),
    });
    const { lastFrame, stdin } = render(<App controller={controller} views={views} />);
    controller.dispatch({ type: "open-view", id: "plan" });
    await tick();
    expect(lastFrame()).toContain("step 2 running");
    stdin.write("\u001b");
    await tick();
    expect(lastFrame()).not.toContain("step 2 running");
    expect(update(controller.getState(), { type: "tick" }, 0).state.overlay).toBeNull();
    controller.dispose();
  });
});
