import { describe, expect, it } from "vitest";
import {
  type CompletedTurn,
  findQuestion,
  interpretShortReply,
  isShortReply,
  summariseEarlierTurns,
} from "./carry-over.js";
import { countTokens, preloadTokenizer } from "./tokens.js";

function longTurn(i: number): CompletedTurn {
  return {
    task: `Task ${i}: refactor the module number ${i} so that it ${"handles edge cases properly ".repeat(30)}`,
    answer: `I changed module ${i}. ${"Here is a long explanation of every change with details. ".repeat(80)}Shall I continue?`,
    filesChanged: Array.from({ length: 14 }, (_, k) => `src/module${i}/file${k}.ts`),
    toolCalls: 12,
    status: i % 5 === 0 ? "failed" : "done",
  };
}

describe("summariseEarlierTurns", () => {
  it("keeps 20 long turns within 25% of an 8k window, newest in most detail", async () => {
    const count = await preloadTokenizer();
    const turns = Array.from({ length: 20 }, (_, i) => longTurn(i + 1));
    const summary = summariseEarlierTurns(turns, { contextTokens: 8_000, count });
    expect(await countTokens(summary)).toBeLessThanOrEqual(2_000);
    expect(summary.startsWith("Earlier in this session (oldest first):")).toBe(true);
    // The newest turn keeps its answer, the end of it too (where the open question sits).
    expect(summary).toContain("- Turn 20 (failed, 12 tool calls, changed src/module20/file0.ts");
    expect(summary).toMatch(/Turn 20[\s\S]*You: I changed module 20\.[\s\S]*Shall I continue\?/);
    // Older turns shrink to one line, and the oldest may be dropped with a note.
    const oneLiners = summary.split("\n").filter((l) => /^- Turn \d+ \[(done|failed)\]: /.test(l));
    expect(oneLiners.length).toBeGreaterThan(0);
    expect(summary.indexOf("Turn 20")).toBeGreaterThan(summary.indexOf("Turn 19"));
  });

  it("never exceeds the share, whatever the window", async () => {
    const count = await preloadTokenizer();
    const turns = Array.from({ length: 20 }, (_, i) => longTurn(i + 1));
    for (const contextTokens of [200, 1_000, 4_000, 32_000, 200_000]) {
      for (const maxShare of [0.1, 0.25]) {
        const summary = summariseEarlierTurns(turns, { contextTokens, count, maxShare });
        expect(count(summary)).toBeLessThanOrEqual(Math.floor(contextTokens * maxShare));
      }
    }
    expect(summariseEarlierTurns(turns, { contextTokens: 20, count })).toBe("");
  });

  it("shows a short session in full and is deterministic", async () => {
    const count = await preloadTokenizer();
    const turns: CompletedTurn[] = [
      {
        task: "add a --verbose flag",
        answer: "Added it in cli.ts.",
        filesChanged: ["src/cli.ts"],
        toolCalls: 3,
        status: "done",
      },
      { task: "now test it", answer: "Interrupted.", filesChanged: [], toolCalls: 1, status: "interrupted" },
    ];
    const summary = summariseEarlierTurns(turns, { contextTokens: 32_000, count });
    expect(summary).toBe(
      [
        "Earlier in this session (oldest first):",
        "- Turn 1 (done, 3 tool calls, changed src/cli.ts)",
        "  User: add a --verbose flag",
        "  You: Added it in cli.ts.",
        "- Turn 2 (interrupted, 1 tool call)",
        "  User: now test it",
        "  You: Interrupted.",
      ].join("\n"),
    );
    expect(summariseEarlierTurns(turns, { contextTokens: 32_000, count })).toBe(summary);
    expect(summariseEarlierTurns([], { contextTokens: 32_000, count })).toBe("");
  });
});

describe("short replies", () => {
  it("recognises replies and leaves new instructions alone", () => {
    for (const reply of [
      "yes",
      "Go ahead",
      "do it",
      "ok",
      "no",
      "option 2",
      "sure, the second one",
      "2",
      "b",
      "yes, but keep the old name",
    ]) {
      expect(isShortReply(reply), reply).toBe(true);
    }
    for (const reply of ["fix the bug in foo.ts", "add tests for the parser", "", "why did the build fail?"]) {
      expect(isShortReply(reply), reply).toBe(false);
    }
  });

  it("quotes the question a short reply answers", () => {
    const last = "I fixed the parser in src/parse.ts.\n\nShall I also update the tests?";
    expect(interpretShortReply("yes", last)).toBe(
      'The user answered "yes" to your question: "Shall I also update the tests?". Proceed accordingly.',
    );
    expect(interpretShortReply("  no ", "Done. **Want me to commit?**")).toBe(
      'The user answered "no" to your question: "Want me to commit?". Proceed accordingly.',
    );
  });

  it("resolves the chosen option when the answer offered some", () => {
    const last =
      "Two ways to do this. Which do you prefer?\n\n1. Add a cache in read.ts\n2. Batch the reads in loader.ts";
    expect(interpretShortReply("sure, the second one", last)).toBe(
      'The user answered "sure, the second one" to your question: "Which do you prefer?" (that is option 2: "Batch the reads in loader.ts"). Proceed accordingly.',
    );
    const noMark = "I can either:\n- a) keep the flag\n- b) remove it\nLet me know which you prefer.";
    expect(findQuestion(noMark)).toBeUndefined();
    const lettered = "I can either:\na) keep the flag\nb) remove it\nLet me know which you prefer.";
    expect(interpretShortReply("b", lettered)).toBe(
      'The user answered "b" to your question: "Let me know which you prefer." (that is option b: "remove it"). Proceed accordingly.',
    );
  });

  it("finds a question followed by a short remark, but not a ? in code", () => {
    expect(interpretShortReply("go ahead", "Tests pass. Want me to also update the docs? Just say the word.")).toBe(
      'The user answered "go ahead" to your question: "Want me to also update the docs?". Proceed accordingly.',
    );
    expect(interpretShortReply("ok", "Done: I used `cond ? a : b` and `x?.y` in foo.ts.")).toBe("ok");
    expect(interpretShortReply("yes", "Should I rename `foo?` to `bar`?")).toBe(
      'The user answered "yes" to your question: "Should I rename `foo?` to `bar`?". Proceed accordingly.',
    );
  });

  it("returns the reply unchanged without a preceding question", () => {
    expect(interpretShortReply("yes", "I renamed the function and the tests pass.")).toBe("yes");
    expect(interpretShortReply("yes", undefined)).toBe("yes");
    expect(interpretShortReply("fix the bug in foo.ts", "Shall I continue?")).toBe("fix the bug in foo.ts");
  });
});
