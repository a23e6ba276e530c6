import { describe, expect, it } from "vitest";
import type { ToolMessage } from "../core/types.js";
import {
  compressedContent,
  isBuildOrTestFailure,
  isCompressed,
  isProtectedFailure,
  recallArgsFor,
  summariseToolOutput,
} from "./compress.js";

function tool(content: string, extra: Partial<ToolMessage> = {}): ToolMessage {
  return { role: "tool", toolCallId: "call_7", toolName: "bash", content, ...extra };
}

describe("summariseToolOutput", () => {
  it("uses the tool's own one-line summary when there is one", () => {
    expect(summariseToolOutput("read_file", "a\nb", "read src/a.ts (lines 1-2 of 9)")).toBe(
      "read src/a.ts (lines 1-2 of 9)",
    );
  });

  it("falls back to tool name, first non-empty line and line count", () => {
    expect(summariseToolOutput("search", "\n  src/a.ts:3: getUser()\nsrc/b.ts:4: x")).toBe(
      "search: src/a.ts:3: getUser() (3 lines)",
    );
    expect(summariseToolOutput("bash", "ok")).toBe("bash: ok (1 line)");
    expect(summariseToolOutput("bash", "")).toBe("bash: (no output) (0 lines)");
  });

  it("keeps the summary to one line and clips long first lines by code point", () => {
    expect(summariseToolOutput("x", "", "two\n  lines")).toBe("two lines");
    const long = summariseToolOutput("bash", `${"😀".repeat(100)}\nmore`);
    expect(long).toBe(`bash: ${"😀".repeat(79)}… (2 lines)`);
  });
});

describe("compressedContent", () => {
  it("names the summary and the exact recall call", () => {
    const message = tool("exit 0\nlots of output", { summary: "exit 0 · 2 lines · 0.1s" });
    const text = compressedContent(message);
    expect(text).toBe('[compressed: exit 0 · 2 lines · 0.1s; recall {"tool_call_id":"call_7"} for the full output]');
    expect(isCompressed(text)).toBe(true);
    expect(isCompressed("exit 0")).toBe(false);
  });

  it("points a recall result at what it recalled, not at itself", () => {
    const message = tool("...", { toolName: "recall", toolCallId: "r9" });
    const call = { id: "r9", name: "recall", args: { tool_name: "bash" }, rawArgs: '{"tool_name":"bash"}' };
    expect(recallArgsFor(message, call)).toEqual({ tool_name: "bash" });
    expect(recallArgsFor(message)).toEqual({ tool_call_id: "r9" });
  });
});

describe("isBuildOrTestFailure", () => {
  const failures: Record<string, string> = {
    tsc: "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    rustc: "error[E0308]: mismatched types\n --> src/main.rs:4:5",
    gcc: "main.c:3:5: error: expected ';' before 'return'",
    pytest: "FAILED tests/test_user.py::test_rename - AssertionError",
    vitest: " FAIL  src/user.test.ts > renames\n Test Files  1 failed (1)",
    "vitest mark": "   × renames getUser 3ms",
    mocha: "  ✗ renames getUser",
    "go test": "--- FAIL: TestRename (0.00s)",
    python: 'Traceback (most recent call last):\n  File "a.py", line 1',
    "rust panic": "thread 'main' panicked at src/main.rs:2:5",
    "go panic": "panic: runtime error: index out of range",
    "npm 9": "npm ERR! code ELIFECYCLE",
    "npm 10": 'npm error Missing script: "tset"',
    make: "make: *** [Makefile:3: all] Error 2",
    "exit wording": "Process exited with code 1",
  };
  for (const [name, text] of Object.entries(failures)) {
    it(`recognises ${name}`, () => expect(isBuildOrTestFailure(text)).toBe(true));
  }

  it("does not flag ordinary failing commands or passing runs", () => {
    expect(isBuildOrTestFailure("exit 1\n(no output)")).toBe(false);
    expect(isBuildOrTestFailure("exit 2\nls: cannot access 'x': No such file or directory")).toBe(false);
    expect(isBuildOrTestFailure("Tests  12 passed (12)\n0 errors, 0 failed")).toBe(false);
    expect(isBuildOrTestFailure("exited with code 0")).toBe(false);
  });

  it("protects only failed bash results", () => {
    const text = "exit 2\nsrc/a.ts(3,7): error TS2322: nope";
    expect(isProtectedFailure(tool(text, { isError: true }))).toBe(true);
    expect(isProtectedFailure(tool(text))).toBe(false);
    expect(isProtectedFailure(tool(text, { isError: true, toolName: "read_file" }))).toBe(false);
  });
});
