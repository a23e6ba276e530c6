import { describe, expect, it } from "vitest";
import type { ToolCall } from "../core/types.js";
import { callKey, canonicalJson, createLoopDetector, type LoopDetector, repeatNote } from "./loop-detector.js";

let nextId = 0;
function call(name: string, args: Record<string, unknown>): ToolCall {
  nextId += 1;
  return { id: `call_${nextId}`, name, args, rawArgs: JSON.stringify(args) };
}

/** What the agent does: check, and on `run` execute (here: a fixed output) and record. */
function attempt(detector: LoopDetector, c: ToolCall, output: string, mutated = false, turn?: number) {
  const verdict = detector.check(c);
  if (verdict.action === "run") detector.record(c, output, mutated, turn);
  return verdict;
}

const READ = { path: "src/a.ts", line_range: [1, 80] };

describe("loop detector", () => {
  it("runs a first call, answers the second from cache with a note, stops the third", () => {
    const d = createLoopDetector();
    expect(attempt(d, call("read_file", READ), "1 const a = 1;", false, 2)).toEqual({ action: "run" });
    expect(attempt(d, call("read_file", READ), "unused")).toEqual({
      action: "cached",
      content:
        "[repeated call: this is the result you already got in turn 2. Do not repeat it; change approach.]\n1 const a = 1;",
    });
    expect(attempt(d, call("read_file", READ), "unused")).toEqual({
      action: "stop",
      message:
        'Stopped: the model made the same call 3 times with nothing changed in between (read_file {"line_range":[1,80],"path":"src/a.ts"}). It is stuck; rephrase the task, add detail, or point it at the right file.',
    });
  });

  it("says 'earlier' when the turn is unknown", () => {
    expect(repeatNote()).toBe(
      "[repeated call: this is the result you already got earlier. Do not repeat it; change approach.]",
    );
  });

  it("ignores argument key order, at every depth", () => {
    const d = createLoopDetector();
    attempt(d, call("search", { pattern: "getUser", path: "src", opts: { a: 1, b: 2 } }), "3 matches");
    const verdict = attempt(d, call("search", { opts: { b: 2, a: 1 }, path: "src", pattern: "getUser" }), "x");
    expect(verdict.action).toBe("cached");
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it("treats different arguments or tools as different calls", () => {
    const d = createLoopDetector();
    attempt(d, call("read_file", { path: "a.ts" }), "a");
    expect(attempt(d, call("read_file", { path: "b.ts" }), "b").action).toBe("run");
    expect(attempt(d, call("list_files", { path: "a.ts" }), "c").action).toBe("run");
  });

  it("counts repeats across other calls while nothing changes", () => {
    const d = createLoopDetector();
    attempt(d, call("read_file", READ), "a");
    attempt(d, call("search", { pattern: "x" }), "none");
    expect(attempt(d, call("read_file", READ), "a").action).toBe("cached");
    attempt(d, call("list_files", {}), "src/");
    expect(attempt(d, call("read_file", READ), "a").action).toBe("stop");
  });

  it("starts afresh after a successful mutation", () => {
    const d = createLoopDetector();
    attempt(d, call("read_file", READ), "old");
    expect(attempt(d, call("read_file", READ), "old").action).toBe("cached");
    attempt(d, call("edit_file", { path: "src/a.ts", old_str: "a", new_str: "b" }), "edited", true);
    expect(attempt(d, call("read_file", READ), "new")).toEqual({ action: "run" });
  });

  it("does not reset on a failed mutation (the agent reports mutated: false)", () => {
    const d = createLoopDetector();
    const edit = { path: "src/a.ts", old_str: "nope", new_str: "b" };
    attempt(d, call("edit_file", edit), "old_str not found", false);
    attempt(d, call("read_file", READ), "a");
    const verdict = attempt(d, call("edit_file", edit), "x");
    expect(verdict.action).toBe("cached");
  });

  it("lets npm test run again after an edit", () => {
    const d = createLoopDetector();
    const test = { command: "npm test" };
    expect(attempt(d, call("bash", test), "exit 1\nFAIL").action).toBe("run");
    attempt(d, call("edit_file", { path: "a.ts", old_str: "a", new_str: "b" }), "edited", true);
    expect(attempt(d, call("bash", test), "exit 0").action).toBe("run");
  });

  it("treats every bash call as mutating, so a read after bash runs again", () => {
    const d = createLoopDetector();
    attempt(d, call("read_file", READ), "a");
    attempt(d, call("bash", { command: "npm run build" }), "exit 1", false);
    expect(attempt(d, call("read_file", READ), "a").action).toBe("run");
    // ...and a bash with a call in between is a fresh run too.
    attempt(d, call("bash", { command: "npm test" }), "exit 1");
    attempt(d, call("read_file", { path: "b.ts" }), "b");
    expect(attempt(d, call("bash", { command: "npm test" }), "exit 1").action).toBe("run");
  });

  it("still catches the same bash call twice in a row, and stops the third", () => {
    const d = createLoopDetector();
    const test = { command: "npm test", timeout: 60 };
    expect(attempt(d, call("bash", test), "exit 1\nFAIL a", true, 4).action).toBe("run");
    expect(attempt(d, call("bash", { timeout: 60, command: "npm test" }), "x")).toEqual({
      action: "cached",
      content:
        "[repeated call: this is the result you already got in turn 4. Do not repeat it; change approach.]\nexit 1\nFAIL a",
    });
    expect(attempt(d, call("bash", test), "x").action).toBe("stop");
  });

  it("keys calls with unusable arguments by their raw text", () => {
    const bad: ToolCall = {
      id: "c1",
      name: "edit_file",
      args: {},
      rawArgs: '{"path": "a.ts", ',
      argsError: "bad JSON",
    };
    expect(callKey(bad)).toBe('edit_file {"path": "a.ts", ');
    const d = createLoopDetector();
    attempt(d, bad, "arguments were not valid JSON");
    expect(attempt(d, { ...bad, id: "c2" }, "x").action).toBe("cached");
    expect(attempt(d, { ...bad, id: "c3", rawArgs: "{}" }, "x").action).toBe("run");
  });
});
