import { describe, expect, it } from "vitest";
import {
  clipLine,
  createOutputCollector,
  normaliseLine,
  OUTPUT_LIMITS,
  recallCall,
  summariseText,
} from "./truncate.js";

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join("\n");

describe("summariseText", () => {
  it("returns short output unchanged", () => {
    expect(summariseText("a\nb\nc\n", "call_1")).toEqual({ text: "a\nb\nc", cut: false });
  });

  it("keeps head, error lines from the middle and the tail within 200 lines", () => {
    const text = `${numbered(1, 5000)}\nsrc/a.ts(3,1): error TS2322: bad\n${numbered(5002, 9000)}\nwarning: unused\n${numbered(9002, 10000)}`;
    const { text: out, cut } = summariseText(text, "call_7");
    const lines = out.split("\n");
    expect(cut).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(OUTPUT_LIMITS.maxLines);
    expect(lines.slice(0, 5)).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5"]);
    expect(out).toContain("5001: src/a.ts(3,1): error TS2322: bad");
    expect(out).toContain("9001: warning: unused");
    expect(lines.at(-2)).toBe("line 10000");
    expect(lines.at(-1)).toBe(
      `[output cut: ${lines.length - 3} of 10,000 lines shown; recall {"tool_call_id":"call_7"} for all of it]`,
    );
  });

  it("keeps at most 40 error lines, errors before warnings", () => {
    const body = Array.from({ length: 3000 }, (_, i) =>
      i % 20 === 0 ? `warning: w${i}` : i % 10 === 0 ? `FAILED t${i}` : `ok ${i}`,
    );
    const out = summariseText(body.join("\n"), "c").text;
    const notable = out.split("\n").filter((l) => /^\d+: /.test(l));
    expect(notable).toHaveLength(OUTPUT_LIMITS.maxNotableLines);
    expect(notable.every((l) => l.includes("FAILED"))).toBe(true);
  });

  it("caps characters so one enormous line cannot blow the budget", () => {
    const { text, cut } = summariseText(`start\n${"x".repeat(5_000_000)}\nend`, "c");
    expect(cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(OUTPUT_LIMITS.maxChars);
    expect(text).toContain("end");
    expect(text).toContain(recallCall("c"));
  });

  it("caps characters of many long lines", () => {
    const { text } = summariseText(Array.from({ length: 150 }, (_, i) => `${i} ${"y".repeat(900)}`).join("\n"), "c");
    expect(text.length).toBeLessThanOrEqual(OUTPUT_LIMITS.maxChars);
    expect(text.split("\n").at(-2)).toMatch(/^149 y+/);
  });
});

describe("createOutputCollector", () => {
  it("keeps stdout and stderr partial lines apart and merges whole lines in arrival order", () => {
    const c = createOutputCollector();
    c.write("out-a", 1);
    c.write("err-a\n", 2);
    c.write("-rest\n", 1);
    expect(c.end().full).toBe("err-a\nout-a-rest");
  });

  it("bounds memory for huge output but counts every line", () => {
    const c = createOutputCollector();
    const chunk = `${"z".repeat(49)}\n`.repeat(10_000);
    for (let i = 0; i < 10; i += 1) c.write(chunk);
    const out = c.end();
    expect(out.lineCount).toBe(100_000);
    expect(out.tail.length).toBe(OUTPUT_LIMITS.maxLines);
    expect(out.fullComplete).toBe(true);
  });
});

describe("line helpers", () => {
  it("strips colour escapes and collapses carriage-return progress", () => {
    expect(normaliseLine("\u001b[31mred\u001b[0m")).toBe("red");
    expect(normaliseLine("10%\r50%\r100%\r")).toBe("100%");
  });

  it("shows other control characters (binary output) as U+FFFD, keeping tabs", () => {
    expect(normaliseLine("a\u0000b\u0007c\td\u007f\u001b")).toBe("a\ufffdb\ufffdc\td\ufffd\ufffd");
  });

  it("clips without splitting a surrogate pair", () => {
    expect(clipLine("ab😀cd", 4)).toBe("ab…");
    expect(clipLine("short", 10)).toBe("short");
  });
});
