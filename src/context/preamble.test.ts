import { describe, expect, it } from "vitest";
import {
  ATTACHED_FILES_MAX_TOKENS,
  ATTACHED_FILES_PRIORITY,
  assemblePreamble,
  CONVENTIONS_MAX_TOKENS,
  CONVENTIONS_PRIORITY,
  defaultPreambleMaxTokens,
  GIT_STATUS_MAX_TOKENS,
  GIT_STATUS_PRIORITY,
  PLAN_SUMMARY_MAX_TOKENS,
  PLAN_SUMMARY_PRIORITY,
  type PreambleSection,
} from "./preamble.js";

const count = (text: string): number => Math.ceil(text.length / 4);

/** `n` numbered lines of ~24 characters (~6 tokens). */
function lines(n: number, word: string): string {
  return Array.from({ length: n }, (_, i) => `${word} line ${String(i + 1).padStart(3, "0")} here ok`).join("\n");
}

function section(name: string, text: string, maxTokens: number, priority: number, more?: string): PreambleSection {
  return more === undefined ? { name, text, maxTokens, priority } : { name, text, maxTokens, priority, more };
}

describe("assemblePreamble", () => {
  it("joins sections in their given order under headings when all fit", () => {
    const out = assemblePreamble(
      [section("conventions", "Use tabs.\nNo default exports.", 100, 2), section("git status", "M src/a.ts", 100, 3)],
      { maxTokens: 1000, count },
    );
    expect(out.text).toBe("## conventions\nUse tabs.\nNo default exports.\n\n## git status\nM src/a.ts");
    expect(out.tokens).toBe(count(out.text));
    expect(out).toMatchObject({ trimmed: [], dropped: [] });
  });

  it("skips empty sections", () => {
    const out = assemblePreamble([section("git status", "  \n", 100, 3)], { maxTokens: 100, count });
    expect(out).toEqual({ text: "", tokens: 0, trimmed: [], dropped: [] });
  });

  it("cuts a section to its own cap at a line boundary with a note saying how to get the rest", () => {
    const out = assemblePreamble(
      [section("conventions", lines(100, "rule"), 80, 2, "read_file .parecode/conventions.md for the rest")],
      { maxTokens: 10_000, count },
    );
    const kept = out.text.split("\n").slice(1, -1);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept).toEqual(lines(kept.length, "rule").split("\n"));
    expect(out.text.split("\n").at(-1)).toBe(
      `[conventions cut: ${kept.length} of 100 lines shown; read_file .parecode/conventions.md for the rest]`,
    );
    expect(count(out.text)).toBeLessThanOrEqual(80);
    // As many lines as fit: one more would not.
    expect(count(`## conventions\n${lines(kept.length + 1, "rule")}\n${out.text.split("\n").at(-1)}`)).toBeGreaterThan(
      80,
    );
    expect(out.trimmed).toEqual(["conventions"]);
  });

  it("uses a plain note when no way to get the rest is given", () => {
    const out = assemblePreamble([section("git status", lines(50, "M"), 60, 3)], { maxTokens: 1000, count });
    expect(out.text).toMatch(/\n\[git status cut: \d+ of 50 lines shown; the rest is left out to save context\]$/);
  });

  it("cuts inside a single line that alone exceeds the cap", () => {
    const out = assemblePreamble([section("attached", "x".repeat(2000), 100, 1)], { maxTokens: 1000, count });
    expect(out.text).toMatch(/^## attached\nx+…\n\[attached cut: part of the first of 1 line shown; /);
    expect(count(out.text)).toBeLessThanOrEqual(100);
  });

  it("trims the least important sections first when the total is over", () => {
    const sections = [
      section("plan", lines(20, "step"), 1000, PLAN_SUMMARY_PRIORITY),
      section("conventions", lines(20, "rule"), 1000, CONVENTIONS_PRIORITY),
      section("git status", lines(20, "M"), 1000, GIT_STATUS_PRIORITY),
    ];
    const full = assemblePreamble(sections, { maxTokens: 10_000, count });
    // 40 tokens over: git status (least important) gives them up, the rest is untouched.
    const out = assemblePreamble(sections, { maxTokens: full.tokens - 40, count });
    expect(out.trimmed).toEqual(["git status"]);
    expect(out.dropped).toEqual([]);
    expect(
      out.text.startsWith(`## plan\n${lines(20, "step")}\n\n## conventions\n${lines(20, "rule")}\n\n## git status\n`),
    ).toBe(true);
    expect(out.text).toMatch(/\[git status cut: \d+ of 20 lines shown; /);
    expect(out.tokens).toBeLessThanOrEqual(full.tokens - 40);
  });

  it("drops the least important sections entirely, then cuts the next, and keeps the most important", () => {
    const sections = [
      section("plan", lines(20, "step"), 1000, PLAN_SUMMARY_PRIORITY),
      section("conventions", lines(20, "rule"), 1000, CONVENTIONS_PRIORITY),
      section("git status", lines(20, "M"), 1000, GIT_STATUS_PRIORITY),
    ];
    const plan = assemblePreamble([sections[0]], { maxTokens: 10_000, count });
    const out = assemblePreamble(sections, { maxTokens: plan.tokens + 60, count });
    expect(out.trimmed).toEqual(["git status", "conventions"]);
    expect(out.dropped).toEqual(["git status"]);
    expect(out.text.startsWith(`## plan\n${lines(20, "step")}\n\n## conventions\n`)).toBe(true);
    expect(out.text).not.toContain("## git status");
    expect(out.tokens).toBeLessThanOrEqual(plan.tokens + 60);
  });

  it("breaks priority ties by trimming the later section first", () => {
    const sections = [section("a", lines(20, "a"), 1000, 1), section("b", lines(20, "b"), 1000, 1)];
    const full = assemblePreamble(sections, { maxTokens: 10_000, count });
    expect(assemblePreamble(sections, { maxTokens: full.tokens - 10, count }).trimmed).toEqual(["b"]);
  });
});

describe("preamble defaults", () => {
  it("caps each kind of section and orders them by importance", () => {
    expect([PLAN_SUMMARY_MAX_TOKENS, ATTACHED_FILES_MAX_TOKENS, CONVENTIONS_MAX_TOKENS, GIT_STATUS_MAX_TOKENS]).toEqual(
      [600, 2000, 1500, 200],
    );
    expect(PLAN_SUMMARY_PRIORITY).toBeLessThan(ATTACHED_FILES_PRIORITY);
    expect(ATTACHED_FILES_PRIORITY).toBeLessThan(CONVENTIONS_PRIORITY);
    expect(CONVENTIONS_PRIORITY).toBeLessThan(GIT_STATUS_PRIORITY);
  });

  it("gives the whole preamble 15% of the window, between 512 and 4,000 tokens", () => {
    expect(defaultPreambleMaxTokens(2048)).toBe(512);
    expect(defaultPreambleMaxTokens(8192)).toBe(1228);
    expect(defaultPreambleMaxTokens(32_768)).toBe(4000);
    expect(defaultPreambleMaxTokens(200_000)).toBe(4000);
  });
});
