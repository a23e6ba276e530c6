import { describe, expect, it } from "vitest";
import { findClosest, matchEdit, pickNearest, reindentLines } from "./edit-match.js";

describe("matchEdit", () => {
  it("prefers a stricter stage: an exact match is never made ambiguous by fuzzy ones", () => {
    const text = "  foo();\nfoo();  \n";
    const out = matchEdit(text, "foo();  ", "bar();");
    expect(out.kind === "one" && out.match).toMatchObject({ strategy: "exact", startLine: 2 });
  });

  it("reports line numbers of a multi-line exact match", () => {
    const out = matchEdit("a\nb\nc\nd\n", "b\nc\n", "X\n");
    expect(out.kind === "one" && out.match).toMatchObject({ startLine: 2, endLine: 3 });
  });

  it("uses the anchor to choose between several matches, refusing ties", () => {
    const text = "x\ny\nx\ny\nx\n";
    const near = matchEdit(text, "x", "z", 4);
    expect(near.kind).toBe("many");
    const inside = matchEdit(text, "x", "z", 3);
    expect(inside.kind === "one" && inside.match.startLine).toBe(3);
  });

  it("replaces whole lines for fuzzy matches, newline included when old_str had it", () => {
    const text = "a  \nb\nc\n";
    const out = matchEdit(text, "a\nb\n", "");
    if (out.kind !== "one") throw new Error(out.kind);
    expect(text.slice(0, out.match.start) + out.match.replacement + text.slice(out.match.end)).toBe("c\n");
  });
});

describe("matchEdit ignoring indentation keeps the nesting", () => {
  const apply = (text: string, oldStr: string, newStr: string) => {
    const out = matchEdit(text, oldStr, newStr);
    if (out.kind !== "one") return out.kind;
    return text.slice(0, out.match.start) + out.match.replacement + text.slice(out.match.end);
  };

  it("refuses a match whose blocks nest differently, instead of moving a line into a block", () => {
    const text = "def f():\n    if a:\n        x = 1\n    y = 2\n";
    expect(apply(text, "if a:\n    x = 1\n    y = 2", "if a:\n    x = 1\n    y = 3")).toBe("none");
    const flat = "if a:\n    x = 1\ny = 2\n";
    expect(apply(flat, "if a:\n    x = 1\n    y = 2\n", "if a:\n    x = 1\n    y = 3\n")).toBe("none");
  });

  it("still matches a shifted block, and one whose first line was copied from mid-line", () => {
    const text = "class C:\n    def f(self):\n        if a:\n            x = 1 \n        y = 2\n";
    expect(apply(text, "if a:\n    x = 1\ny = 2", "if a:\n    x = 1\ny = 3")).toBe(
      "class C:\n    def f(self):\n        if a:\n            x = 1\n        y = 3\n",
    );
    expect(apply(text, "if a:\n            x = 1\n        y = 2", "if b:\n            x = 1\n        y = 2")).toBe(
      "class C:\n    def f(self):\n        if b:\n            x = 1\n        y = 2\n",
    );
  });

  it("keeps the file's nesting when old_str lost all of its indentation", () => {
    const text = "if a:\n\tx()\n\ty()\n";
    expect(apply(text, "if a:\nx()\ny() ", "if a:\nx()\nz()")).toBe("if a:\n\tx()\n\tz()\n");
  });
});

describe("reindentLines", () => {
  it("maps 2-space model indentation onto a 4-space file", () => {
    const out = reindentLines(
      ["if (x) {", "  y();", "    z();", "}"],
      ["if (x) {", "  y();", "}"],
      ["    if (x) {", "        y();", "    }"],
    );
    expect(out).toEqual(["    if (x) {", "        y();", "            z();", "    }"]);
  });

  it("maps spaces onto tabs, keeping blank lines empty", () => {
    expect(reindentLines(["a", "", "    b"], ["a"], ["\t\ta"])).toEqual(["\t\ta", "", "\t\t\tb"]);
  });
});

describe("findClosest and pickNearest", () => {
  it("finds the most similar window and its first difference", () => {
    const file = ["alpha();", "beta(1);", "gamma();", "delta();"];
    expect(findClosest(file, ["beta(2);", "gamma();"])).toEqual({
      startLine: 2,
      endLine: 3,
      firstDiff: { line: 2, expected: "beta(2);", actual: "beta(1);" },
    });
    expect(findClosest(file, ["zzzzzzzz"])).toBeNull();
  });

  it("prefers containment, then distance", () => {
    const spans = [
      { startLine: 1, endLine: 2 },
      { startLine: 10, endLine: 12 },
    ];
    expect(pickNearest(spans, 11)).toBe(spans[1]);
    expect(pickNearest(spans, 4)).toBe(spans[0]);
    expect(pickNearest([spans[0], { startLine: 6, endLine: 6 }], 4)).toBeNull();
  });
});
