import { describe, expect, it } from "vitest";
import { createLoopDetector } from "../context/loop-detector.js";
import type { AgentEvent, ToolCall, ToolResult } from "../core/types.js";
import type { ToolRunner } from "./agent.js";
import { runToolCalls } from "./tool-execution.js";

function call(id: string, name: string, args: Record<string, unknown>): ToolCall {
  return { id, name, args, rawArgs: JSON.stringify(args) };
}

describe("runToolCalls", () => {
  it("treats a failed call that still changed files as a change, for filesChanged and loop detection alike", async () => {
    let version = 1;
    const tools: ToolRunner = {
      schemas: () => [],
      async execute(c): Promise<ToolResult> {
        if (c.name === "edit_file") {
          version++;
          // e.g. the edit was written but a follow-up check failed
          return {
            content: "edited, but the check failed",
            display: "edit a.ts",
            isError: true,
            filesChanged: ["a.ts"],
          };
        }
        return { content: `a.ts version ${version}`, display: "read a.ts", isError: false };
      },
    };
    const ctx = {
      tools,
      loops: createLoopDetector(),
      signal: new AbortController().signal,
      turn: 1,
      emit: (_event: AgentEvent) => undefined,
    };
    const read = call("r1", "read_file", { path: "a.ts" });
    const first = await runToolCalls(
      [read, call("e1", "edit_file", { path: "a.ts", old_str: "a", new_str: "b" })],
      ctx,
    );
    expect(first.filesChanged).toEqual(["a.ts"]);
    const again = await runToolCalls([{ ...read, id: "r2" }], ctx);
    // Not answered from the loop cache with the stale text: the file did change.
    expect(again.messages[0].content).toBe("a.ts version 2");
  });
});
