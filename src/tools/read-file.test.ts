import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadCache, type ReadCache } from "../context/read-cache.js";
import type { Tool, ToolContext } from "../core/types.js";
import { createEditFileTool } from "./edit-file.js";
import { createNativeToolRegistry } from "./index.js";
import { lineHash } from "./line-hash.js";
import { createReadFileTool } from "./read-file.js";

let root: string;
let cache: ReadCache;
let read: Tool;
const ctx = (turn = 1): ToolContext => ({ signal: new AbortController().signal, callId: "c1", turn });
const put = (rel: string, content: string | Buffer) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
};
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n");

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-read-")));
  cache = createReadCache();
  read = createReadFileTool({ root, cache });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("read_file", () => {
  it("prefixes every line with N#hash:", async () => {
    put("a.ts", "const x = 1;\n  return x;\n");
    const r = await read.execute({ path: "a.ts" }, ctx());
    expect(r.isError).toBe(false);
    expect(r.content).toBe(`1#${lineHash("const x = 1;")}:const x = 1;\n2#${lineHash("  return x;")}:  return x;`);
    expect(r.display).toBe("read a.ts (lines 1-2 of 2)");
  });

  it("returns the first 150 lines of a 1,500-line file with a note", async () => {
    put("big.ts", `${numbered(1500)}\n`);
    const r = await read.execute({ path: "big.ts" }, ctx());
    const lines = r.content.split("\n");
    expect(lines).toHaveLength(151);
    expect(lines[149]).toMatch(/^150#[a-z]{4}:line 150$/);
    expect(lines[150]).toBe(
      "[lines 1-150 of 1500; read more with line_range [151, 300] or symbols: true for an outline]",
    );
  });

  it("reads a line_range, end -1 meaning end of file, capped at 400 lines", async () => {
    put("big.ts", numbered(1500));
    const mid = await read.execute({ path: "big.ts", line_range: [10, 12] }, ctx());
    expect(mid.content.split("\n")).toEqual([
      `10#${lineHash("line 10")}:line 10`,
      `11#${lineHash("line 11")}:line 11`,
      `12#${lineHash("line 12")}:line 12`,
      "[lines 10-12 of 1500; read more with line_range [13, 15]]",
    ]);
    const tail = await read.execute({ path: "big.ts", line_range: [1499, -1] }, ctx());
    expect(tail.content.split("\n")).toHaveLength(2);
    const capped = await read.execute({ path: "big.ts", line_range: [1, 1000] }, ctx());
    const lines = capped.content.split("\n");
    expect(lines).toHaveLength(401);
    expect(lines[400]).toBe("[lines 1-400 of 1500; at most 400 lines per call; read more with line_range [401, 800]]");
  });

  it("explains bad ranges", async () => {
    put("a.ts", numbered(10));
    const past = await read.execute({ path: "a.ts", line_range: [20, 30] }, ctx());
    expect(past.isError).toBe(true);
    expect(past.content).toContain("has 10 lines");
    const backwards = await read.execute({ path: "a.ts", line_range: [5, 2] }, ctx());
    expect(backwards.content).toContain("before start");
    const text = await read.execute({ path: "a.ts", line_range: "[9, -1]" }, ctx());
    expect(text.content.split("\n")).toHaveLength(2);
    const junk = await read.execute({ path: "a.ts", line_range: [1] }, ctx());
    expect(junk.content).toContain("two integers");
  });

  it("hashes multi-byte lines (CJK, emoji) and cuts long lines without splitting a character", async () => {
    const long = `${"x".repeat(499)}😀tail`;
    put("u.txt", `你好，世界\n🎉 done\n${long}\n`);
    const r = await read.execute({ path: "u.txt" }, ctx());
    const lines = r.content.split("\n");
    expect(lines[0]).toBe(`1#${lineHash("你好，世界")}:你好，世界`);
    expect(lines[1]).toBe(`2#${lineHash("🎉 done")}:🎉 done`);
    expect(lines[2]).toContain("[line cut, 6 more chars]");
    expect(lines[2]).not.toContain("\ud83d…");
  });

  it("returns a short note for an identical repeated read of an unchanged file", async () => {
    put("a.ts", "one\ntwo\n");
    await read.execute({ path: "a.ts" }, ctx(2));
    const again = await read.execute({ path: "./a.ts" }, ctx(5));
    expect(again.content).toBe("[unchanged since turn 2 — the content shown then is still current]");
    expect(again.isError).toBe(false);
    const other = await read.execute({ path: "a.ts", line_range: [2, 2] }, ctx(5));
    expect(other.content).toContain("two");
  });

  it("reads fresh text after an edit and after an outside change", async () => {
    put("a.ts", "one\ntwo\n");
    await read.execute({ path: "a.ts" }, ctx(1));
    const edit = createEditFileTool({ root, cache });
    expect((await edit.execute({ path: "a.ts", old_str: "two", new_str: "TWO" }, ctx(2))).isError).toBe(false);
    const afterEdit = await read.execute({ path: "a.ts" }, ctx(3));
    expect(afterEdit.content).toContain(":TWO");
    put("a.ts", "one\nthree\n");
    utimesSync(path.join(root, "a.ts"), new Date(), new Date(Date.now() + 5000));
    const afterOutside = await read.execute({ path: "a.ts" }, ctx(4));
    expect(afterOutside.content).toContain(":three");
  });

  it("reads fresh text after a same-size change within one mtime tick", async () => {
    // Coarse timestamps (1-2 s on some file systems, a kernel tick elsewhere) can leave
    // mtime and size equal across a change; the content must still decide.
    const tick = new Date(1_700_000_000_000);
    put("a.ts", "one\ntwo\n");
    utimesSync(path.join(root, "a.ts"), tick, tick);
    await read.execute({ path: "a.ts" }, ctx(1));
    put("a.ts", "one\nTWO\n");
    utimesSync(path.join(root, "a.ts"), tick, tick);
    const again = await read.execute({ path: "a.ts" }, ctx(2));
    expect(again.content).toContain(":TWO");
    const same = await read.execute({ path: "a.ts" }, ctx(3));
    expect(same.content).toBe("[unchanged since turn 2 — the content shown then is still current]");
  });

  it("refuses binary, oversized, directories and missing files with a next step", async () => {
    put("img.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    const bin = await read.execute({ path: "img.png" }, ctx());
    expect(bin.isError).toBe(true);
    expect(bin.content).toContain("binary");
    put("huge.log", Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    expect((await read.execute({ path: "huge.log" }, ctx())).content).toContain("over the 10 MB limit");
    mkdirSync(path.join(root, "src"));
    const dir = await read.execute({ path: "src" }, ctx());
    expect(dir.content).toContain('list_files {"path": "src"}');
    put("src/app.ts", "x");
    const missing = await read.execute({ path: "src/app.js" }, ctx());
    expect(missing.isError).toBe(true);
    expect(missing.content).toContain("src/app.js does not exist");
    expect(missing.content).toContain("Similar: src/app.ts");
    expect(missing.content).toContain("list_files or search");
  });

  it("reads paths with spaces and refuses escapes", async () => {
    put("my dir/a b.txt", "hello\n");
    expect((await read.execute({ path: "my dir/a b.txt" }, ctx())).content).toContain(":hello");
    expect((await read.execute({ path: "../etc/passwd" }, ctx())).isError).toBe(true);
    symlinkSync("/etc", path.join(root, "etc-link"));
    expect((await read.execute({ path: "etc-link/hostname" }, ctx())).content).toContain("symlink");
  });

  it("reads a UTF-8 BOM and UTF-16 file as text", async () => {
    put("bom.txt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("héllo\r\n")]));
    expect((await read.execute({ path: "bom.txt" }, ctx())).content).toBe(`1#${lineHash("héllo")}:héllo`);
    put("w.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("wide\n", "utf16le")]));
    expect((await read.execute({ path: "w.txt" }, ctx())).content).toBe(`1#${lineHash("wide")}:wide`);
  });

  it("gives an outline with symbols: true, injected or built in", async () => {
    put(
      "m.ts",
      "import x from 'y';\n\nexport function alpha() {\n  return 1;\n}\n\nclass Beta {\n  gamma(a: number): void {\n  }\n}\n",
    );
    const builtin = await read.execute({ path: "m.ts", symbols: true }, ctx());
    expect(builtin.content).toBe(
      "[outline of m.ts, 10 lines; read a part with line_range]\n3: export function alpha()\n7: class Beta\n8:   gamma(a: number): void",
    );
    const injected = createReadFileTool({ root, cache: createReadCache(), symbols: async () => "1: custom" });
    expect((await injected.execute({ path: "m.ts", symbols: true }, ctx())).content).toContain("\n1: custom");
    put("notes.txt", "plain\n");
    const none = await read.execute({ path: "notes.txt", symbols: true }, ctx());
    expect(none.content).toContain("[no outline for .txt files; showing the file instead]");
    expect(none.content).toContain(":plain");
  });

  it("says so for an empty file", async () => {
    put("e.txt", "");
    expect((await read.execute({ path: "e.txt" }, ctx())).content).toBe("[empty file]");
  });
});

describe("read_file on a file longer than one read", () => {
  const longModule = () => {
    const parts = ['import { a } from "./a.js";', "", "export interface Options {", "  name: string;", "}", ""];
    for (let i = 0; i < 40; i++) {
      parts.push(`export function step${i}(x: number): number {`, "  const y = x + 1;", "  return y * 2;", "}", "");
    }
    parts.push("export class Runner {", "  start(): void {", "    step0(1);", "  }", "  stop(): void {}", "}");
    return `${parts.join("\n")}\n`;
  };

  it("starts with the outline (line, declaration) and then the opening lines, within 150 lines", async () => {
    put("src/mod.ts", longModule());
    const tools = createNativeToolRegistry({ root });
    const r = await tools.execute(
      { id: "c1", name: "read_file", args: { path: "src/mod.ts" }, rawArgs: "" },
      { signal: new AbortController().signal, callId: "c1", turn: 1 },
    );
    const lines = r.content.split("\n");
    expect(lines[0]).toBe(
      "[src/mod.ts: 212 lines, too long for one read: its outline (line, declaration), then lines 1-20. Read what you need with line_range]",
    );
    expect(lines[1]).toBe("3 interface Options");
    expect(lines[2]).toBe("7 step0");
    expect(lines).toContain("47 step8");
    expect(lines).toContain("207 class Runner");
    expect(lines).toContain("  208 start");
    expect(lines.at(-20)).toBe(`1#${lineHash('import { a } from "./a.js";')}:import { a } from "./a.js";`);
    expect(lines.at(-1)).toMatch(/^20#[a-z]{4}:/);
    expect(lines.length).toBeLessThanOrEqual(150);
    expect(r.display).toBe("read src/mod.ts (outline + lines 1-20 of 212)");
  });

  it("drops methods, then the tail, when the outline would not fit, and says how to see it all", async () => {
    put("big.ts", `${numbered(1500)}\n`);
    const entries = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 2
        ? { name: `m${i}`, kind: "method", line: i + 1, parent: "C" }
        : { name: `f${i}`, kind: "function", line: i + 1 },
    );
    const tool = createReadFileTool({ root, cache, outlineSymbols: async () => entries });
    const lines = (await tool.execute({ path: "big.ts" }, ctx())).content.split("\n");
    expect(lines).toHaveLength(150);
    expect(lines.some((l) => /\bm\d/.test(l))).toBe(false);
    expect(lines[129]).toBe("… 172 more; symbols: true lists every declaration");
  });

  it("falls back to the first 150 lines when the file has no outline", async () => {
    put("notes.txt", `${numbered(400)}\n`);
    const tool = createReadFileTool({ root, cache, outlineSymbols: async () => null });
    const r = await tool.execute({ path: "notes.txt" }, ctx());
    expect(r.content.split("\n")).toHaveLength(151);
    expect(r.display).toBe("read notes.txt (lines 1-150 of 400)");
  });

  it("returns the plain lines for a range, whatever the file's length", async () => {
    put("src/mod.ts", longModule());
    const tool = createReadFileTool({
      root,
      cache,
      outlineSymbols: async () => [{ name: "x", kind: "function", line: 1 }],
    });
    const r = await tool.execute({ path: "src/mod.ts", line_range: [1, 3] }, ctx());
    expect(r.content.split("\n")[0]).toMatch(/^1#[a-z]{4}:import/);
  });
});
