import { describe, expect, it } from "vitest";
import { formatLine, lineHash, parseAnchor, stripLinePrefixes } from "./line-hash.js";

describe("line hashes", () => {
  it("are 4 letters, stable, and blind to trailing whitespace and CR only", () => {
    expect(lineHash("return x;")).toMatch(/^[a-z]{4}$/);
    expect(lineHash("return x;")).toBe(lineHash("return x;  \r"));
    expect(lineHash("return x;")).not.toBe(lineHash("  return x;"));
    expect(lineHash("你好")).not.toBe(lineHash("你们"));
  });

  it("spread over many values", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(lineHash(`const v${i} = ${i};`));
    expect(seen.size).toBeGreaterThan(1800);
  });

  it("format and parse as N#hash", () => {
    const line = formatLine(12, "  return x;");
    expect(line).toBe(`12#${lineHash("  return x;")}:  return x;`);
    expect(parseAnchor(line)).toEqual({ line: 12, hash: lineHash("  return x;") });
    expect(parseAnchor("12#BAKO")).toEqual({ line: 12, hash: "bako" });
    expect(parseAnchor("12")).toBeNull();
    expect(parseAnchor("0#bako")).toBeNull();
  });

  it("strip pasted prefixes only when every line has one", () => {
    expect(stripLinePrefixes("1#bako:a\n\n2#cedi:  b")).toBe("a\n\n  b");
    expect(stripLinePrefixes("1#bako:a\nplain")).toBeNull();
  });
});
