/**
 * The token benchmark's machinery, end to end: a few tasks run through the built CLI
 * against the scripted server and must pass. Token numbers are the bench's business
 * (`npm run bench`), never asserted here.
 */
import { describe, expect, it } from "vitest";
import { countRequestTokens } from "../../bench/request-tokens.js";
import { countLoopInterventions, countReReads, runTask } from "../../bench/suite.js";
import { fixFailingTest } from "../../bench/tasks/06-fix-failing-test.js";
import { largeFileQuestion } from "../../bench/tasks/07-large-file-question.js";
import { addFunctionPatch } from "../../bench/tasks/09-add-function-patch.js";
import { largeFileSummary } from "../../bench/tasks/10-large-file-summary.js";
import { buildPatch, parseRead, parseSearch } from "../../bench/tool-text.js";

describe("benchmark tasks through the built CLI", () => {
  it.each([fixFailingTest, largeFileQuestion, addFunctionPatch, largeFileSummary])("$id passes", async (task) => {
    const result = await runTask(task);
    expect(result.problems).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.requests).toBeGreaterThan(1);
    expect(result.inputTokens).toBeGreaterThan(result.firstRequestTokens);
    expect(result.toolCalls).toBeGreaterThan(0);
  });
});

describe("request token counting", () => {
  it("counts system, message text, earlier tool calls and tool schemas", async () => {
    const tools = [{ type: "function", function: { name: "read_file", parameters: {} } }];
    const counted = await countRequestTokens({
      messages: [
        { role: "system", content: "You are a helper." },
        { role: "user", content: "Fix it." },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "read_file", arguments: '{"path":"a"}' } }],
        },
        { role: "tool", tool_call_id: "c1", content: "1#abcd:x" },
      ],
      tools,
    });
    expect(counted.system).toBeGreaterThan(0);
    expect(counted.messages).toBeGreaterThan(0);
    expect(counted.toolCalls).toBeGreaterThan(0);
    expect(counted.tools).toBeGreaterThan(0);
    expect(counted.total).toBe(counted.system + counted.messages + counted.toolCalls + counted.tools);
  });
});

describe("reading tool results like a model", () => {
  it("parses read_file lines and search hits, skipping notes", () => {
    expect(
      parseRead("1#fuqi:export const a = 1;\n2#veha:\n[lines 1-2 of 9; read more with line_range [3, 4]]"),
    ).toEqual([
      { line: 1, hash: "fuqi", text: "export const a = 1;", anchor: "1#fuqi" },
      { line: 2, hash: "veha", text: "", anchor: "2#veha" },
    ]);
    expect(parseSearch("src/a.ts:12: const x = 1; // a: b")).toEqual([
      { path: "src/a.ts", line: 12, text: "const x = 1; // a: b" },
    ]);
    expect(parseSearch("no matches for /x/ in the project")).toEqual([]);
  });

  it("builds multi-hunk patches with shifted new-side line numbers", () => {
    const read = parseRead(["1#aaaa:a", "2#bbbb:b", "3#cccc:c", "4#dddd:d", "5#eeee:e"].join("\n"));
    const patch = buildPatch(
      read,
      [
        { start: 2, remove: 0, insert: ["x", "y"] },
        { start: 4, remove: 1, insert: ["D"] },
      ],
      1,
    );
    expect(patch).toBe(
      ["@@ -1,2 +1,4 @@", " a", "+x", "+y", " b", "@@ -3,3 +5,3 @@", " c", "-d", "+D", " e", ""].join("\n"),
    );
  });
});

describe("re-reads and loop interventions", () => {
  it("counts a repeated read_file with the same arguments in any key order", () => {
    const start = (args: Record<string, unknown>) => ({ type: "tool_start", name: "read_file", args });
    const events = [
      start({ path: "a", line_range: [1, 5] }),
      start({ line_range: [1, 5], path: "a" }),
      start({ path: "b" }),
    ];
    expect(countReReads(events)).toBe(1);
  });

  it("counts each tool result carrying the repeat note once across requests", () => {
    const note = "[repeated call: this is the result you already got in turn 1. Do not repeat it; change approach.]";
    const body = { messages: [{ role: "tool", tool_call_id: "c2", content: `${note}\nx` }] };
    expect(countLoopInterventions([body, body])).toBe(1);
  });
});
