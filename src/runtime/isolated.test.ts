import { describe, expect, it } from "vitest";
import { quickModeWarning } from "./isolated.js";

describe("quickModeWarning", () => {
  it("warns when a task reads like several changes, and not for a one-line fix", () => {
    expect(quickModeWarning("fix the typo in README.md")).toBeUndefined();
    expect(quickModeWarning("refactor the cart module")).toMatch(
      /^This looks like more than one quick change \(it says "refactor"\)/,
    );
    expect(quickModeWarning("change a.ts and b.ts")).toMatch(/\(it names 2 files\)/);
    // Only what the person wrote counts: piped logs naming files do not.
    const piped = "why does it fail?\n\nInput piped to parecode on stdin:\n```\nat a.ts:3\nat b.ts:9 (refactor)\n```";
    expect(quickModeWarning(piped)).toBeUndefined();
  });
});
