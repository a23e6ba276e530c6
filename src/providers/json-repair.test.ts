import { describe, expect, it } from "vitest";
import { parseLenientJson, parseToolArgs, repairJson } from "./json-repair.js";

function argsOf(raw: string): unknown {
  const parsed = parseToolArgs(raw, "edit_file");
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.args;
}

describe("parseToolArgs", () => {
  it("parses valid JSON as is, and empty text as no arguments", () => {
    expect(argsOf('{"path": "a.ts", "n": 2}')).toEqual({ path: "a.ts", n: 2 });
    expect(argsOf("")).toEqual({});
    expect(argsOf("  ")).toEqual({});
  });

  it.each([
    ["code fences", '```json\n{"path": "a.ts"}\n```', { path: "a.ts" }],
    ["trailing commas", '{"path": "a.ts", "lines": [1, 2,],}', { path: "a.ts", lines: [1, 2] }],
    ["single quotes", "{'path': 'a.ts', 'old_str': 'say \"hi\"'}", { path: "a.ts", old_str: 'say "hi"' }],
    ["escaped single quote", "{'text': 'it\\'s'}", { text: "it's" }],
    ["unclosed braces", '{"path": "a.ts", "opts": {"x": [1, 2', { path: "a.ts", opts: { x: [1, 2] } }],
    [
      "a bracket left open after a complete string",
      '{"path": "a.ts", "content": "x\\n"',
      { path: "a.ts", content: "x\n" },
    ],
    ["trailing garbage", '{"path": "a.ts"}}\n</tool_call>', { path: "a.ts" }],
    ["leading chatter", 'Arguments: {"path": "a.ts"}', { path: "a.ts" }],
    ["unquoted keys", '{path: "a.ts", overwrite: true}', { path: "a.ts", overwrite: true }],
    ["Python literals", "{'overwrite': True, 'anchor': None}", { overwrite: true, anchor: null }],
    ["raw newlines in strings", '{"content": "a\nb"}', { content: "a\nb" }],
    ["double-encoded object", '"{\\"path\\": \\"a.ts\\"}"', { path: "a.ts" }],
  ])("repairs %s", (_label, raw, expected) => {
    expect(argsOf(raw)).toEqual(expected);
  });

  it("keeps string contents exactly, braces and commas included", () => {
    expect(argsOf('{"old_str": "f(a,)}", "new_str": "{x,]"')).toEqual({ old_str: "f(a,)}", new_str: "{x,]" });
  });

  it.each([
    ["content", '{"path": "big.ts", "content": "export const a = 1;\nexport const b'],
    ["new_str", '{"path": "a.ts", "old_str": "x", "new_str": "line one\n  line tw'],
    ["patch", '{"path": "a.ts", "patch": "@@ -1,2 +1,2 @@\n-old\n+ne'],
    ["a single-quoted value", "{'path': 'a.ts', 'content': 'half of it"],
    ["a string ending in a backslash", '{"path": "a.ts", "content": "abc\\'],
  ])("refuses arguments cut off inside %s, saying why and how to retry", (_label, raw) => {
    const parsed = parseToolArgs(raw, "write_file");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toContain("cut off");
    expect(parsed.error).toContain("output token limit");
    expect(parsed.error).toMatch(/smaller edits.*in parts/);
    expect(parsed.error).toContain("nothing was changed");
  });

  it("reports JSON it cannot repair, with the raw text, instead of guessing", () => {
    const parsed = parseToolArgs('{"path": src/a.ts}', "read_file");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toContain("not valid JSON");
    expect(parsed.error).toContain("read_file");
    expect(parsed.error).toContain('{\\"path\\": src/a.ts}');
  });

  it.each([
    ["an array", "[1, 2]"],
    ["a number", "42"],
    ["null", "null"],
    ["a string", '"a.ts"'],
  ])("rejects arguments that are %s", (kind, raw) => {
    const parsed = parseToolArgs(raw, "read_file");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(kind);
  });

  it("quotes at most a bounded part of a huge raw text", () => {
    const parsed = parseToolArgs(`{"content": ${"x".repeat(5000)}}`, "write_file");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.length).toBeLessThan(1000);
  });
});

describe("parseLenientJson", () => {
  it("repairs notation but refuses text cut off inside a string", () => {
    expect(parseLenientJson("{'a': [1, 2,],}")).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseLenientJson('{"name": "write_file", "arguments": {"content": "half').ok).toBe(false);
  });
});

describe("repairJson", () => {
  it("changes nothing in valid JSON", () => {
    const text = '{"a": [1, {"b": "c, d"}], "e": true}';
    expect(JSON.parse(repairJson(text))).toEqual(JSON.parse(text));
  });
});
