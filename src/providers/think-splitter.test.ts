import { describe, expect, it } from "vitest";
import { partialTagLength, type SplitPiece, ThinkSplitter } from "./think-splitter.js";

/** Runs the splitter over `chunks` and joins what each channel received. */
function split(chunks: string[]): { answer: string; reasoning: string; pieces: SplitPiece[] } {
  const splitter = new ThinkSplitter();
  const pieces = [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.flush()];
  const join = (channel: SplitPiece["channel"]) =>
    pieces
      .filter((p) => p.channel === channel)
      .map((p) => p.text)
      .join("");
  return { answer: join("answer"), reasoning: join("reasoning"), pieces };
}

/** Every way of cutting `text` into two chunks, plus one character at a time. */
function chunkings(text: string): string[][] {
  const out: string[][] = [[text], Array.from(text)];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe("ThinkSplitter", () => {
  it("passes plain text straight through", () => {
    expect(split(["Hello ", "world"])).toMatchObject({ answer: "Hello world", reasoning: "" });
  });

  it("separates a think block from the answer and trims the gap after it", () => {
    const text = "<think>plan: read the file</think>\n\nThe answer.";
    for (const chunks of chunkings(text)) {
      const { answer, reasoning } = split(chunks);
      expect(answer).toBe("The answer.");
      expect(reasoning).toBe("plan: read the file");
    }
  });

  it("accepts <thinking> tags too", () => {
    for (const chunks of chunkings("a<thinking>b</thinking>c")) {
      expect(split(chunks)).toMatchObject({ answer: "ac", reasoning: "b" });
    }
  });

  it("streams text live, holding back only a possible tag prefix", () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push("Hello <th")).toEqual([{ channel: "answer", text: "Hello " }]);
    expect(splitter.push("ink>x")).toEqual([{ channel: "reasoning", text: "x" }]);
    expect(splitter.push("y</thi")).toEqual([{ channel: "reasoning", text: "y" }]);
    expect(splitter.push("nk>z")).toEqual([{ channel: "answer", text: "z" }]);
  });

  it("releases a held fragment that turns out not to be a tag", () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push("a <t")).toEqual([{ channel: "answer", text: "a " }]);
    expect(splitter.push("able>")).toEqual([{ channel: "answer", text: "<table>" }]);
    expect(splitter.push("x <")).toEqual([{ channel: "answer", text: "x " }]);
    expect(splitter.flush()).toEqual([{ channel: "answer", text: "<" }]);
  });

  it("keeps an unclosed think block as reasoning (the model ran out of tokens)", () => {
    expect(split(["<think>still thinking", " about it"])).toMatchObject({
      answer: "",
      reasoning: "still thinking about it",
    });
  });

  it("handles several blocks and text between them", () => {
    for (const chunks of chunkings("<think>a</think>b<think>c</think>d")) {
      expect(split(chunks)).toMatchObject({ answer: "bd", reasoning: "ac" });
    }
  });

  it("does not trim answer text that precedes a think block", () => {
    expect(split(["  indented <think>x</think>"]).answer).toBe("  indented ");
  });
});

describe("partialTagLength", () => {
  it("finds the longest suffix that starts a tag", () => {
    expect(partialTagLength("abc<", ["<think>"])).toBe(1);
    expect(partialTagLength("abc<thin", ["<think>", "<thinking>"])).toBe(5);
    expect(partialTagLength("abc<think", ["<think>", "<thinking>"])).toBe(6);
    expect(partialTagLength("abc", ["<think>"])).toBe(0);
    expect(partialTagLength("<think>", ["<think>"])).toBe(0);
  });
});

describe("ThinkSplitter: tags that are only mentioned", () => {
  it("keeps a tag quoted in backticks or in a string literal as answer text", () => {
    for (const text of [
      "I changed how `<think>` blocks are split. Done.",
      "The parser now checks `</think>` and `<thinking>` too.",
      'Use text.startsWith("<think>") to detect it.',
      "Set open = '<think>' first.",
    ]) {
      for (const chunks of chunkings(text)) expect(split(chunks)).toMatchObject({ answer: text, reasoning: "" });
    }
  });

  it("keeps tags inside a fenced code block of the answer as code", () => {
    const text = "Here is the test:\n```xml\n<think>plan</think>\nanswer\n```\nDone.";
    for (const chunks of chunkings(text)) expect(split(chunks)).toMatchObject({ answer: text, reasoning: "" });
  });

  it("still splits a real block after a closed code block, and ignores inline backtick runs", () => {
    const text = "```ts\nconst a = 1;\n```\n<think>x</think>y, and ``` inline <think>z</think>";
    for (const chunks of chunkings(text)) {
      expect(split(chunks)).toMatchObject({ answer: "```ts\nconst a = 1;\n```\ny, and ``` inline ", reasoning: "xz" });
    }
  });

  it("does not end a think block at a close tag the reasoning quotes", () => {
    const text = "<think>the reply must not contain `</think>` literally</think>Answer.";
    for (const chunks of chunkings(text)) {
      expect(split(chunks)).toMatchObject({
        answer: "Answer.",
        reasoning: "the reply must not contain `</think>` literally",
      });
    }
  });
});
