import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadCache } from "../context/read-cache.js";
import type { Tool, ToolContext } from "../core/types.js";
import { createEditFileTool } from "./edit-file.js";
import { lineHash } from "./line-hash.js";

let root: string;
let edit: Tool;
const ctx: ToolContext = { signal: new AbortController().signal, callId: "c1", turn: 1 };
const at = (rel: string) => path.join(root, rel);
const text = (rel: string) => readFileSync(at(rel), "utf8");
const anchor = (n: number, line: string) => `${n}#${lineHash(line)}`;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-edit-")));
  edit = createEditFileTool({ root, cache: createReadCache() });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("edit_file", () => {
  it("replaces one exact match and shows the new lines with anchors", async () => {
    writeFileSync(at("a.ts"), "a\nb\nc\nd\ne\nf\n");
    const r = await edit.execute({ path: "a.ts", old_str: "c\n", new_str: "C1\nC2\n" }, ctx);
    expect(r.isError).toBe(false);
    expect(r.filesChanged).toEqual(["a.ts"]);
    expect(r.display).toBe("edit a.ts (lines 3-4)");
    expect(r.content).toBe(
      [
        "Edited a.ts: now lines 3-4; later lines moved +1",
        `1#${lineHash("a")}:a`,
        `2#${lineHash("b")}:b`,
        `3#${lineHash("C1")}:C1`,
        `4#${lineHash("C2")}:C2`,
        `5#${lineHash("d")}:d`,
        `6#${lineHash("e")}:e`,
      ].join("\n"),
    );
    expect(text("a.ts")).toBe("a\nb\nC1\nC2\nd\ne\nf\n");
  });

  it("keeps CRLF line endings when the model sends LF", async () => {
    writeFileSync(at("w.ts"), "one\r\ntwo\r\nthree\r\n");
    const r = await edit.execute({ path: "w.ts", old_str: "two\nthree", new_str: "2\n2.5\nthree" }, ctx);
    expect(r.isError).toBe(false);
    expect(text("w.ts")).toBe("one\r\n2\r\n2.5\r\nthree\r\n");
  });

  it("keeps mixed line endings on the lines it does not touch", async () => {
    writeFileSync(at("m.txt"), "a\r\nb\nc\r\nd\r\n");
    await edit.execute({ path: "m.txt", old_str: "c", new_str: "C" }, ctx);
    expect(text("m.txt")).toBe("a\r\nb\nC\r\nd\r\n");
  });

  it("keeps a missing final newline, and a present one", async () => {
    writeFileSync(at("n.txt"), "x\ny");
    await edit.execute({ path: "n.txt", old_str: "y", new_str: "z\n" }, ctx);
    expect(text("n.txt")).toBe("x\nz");
    writeFileSync(at("f.txt"), "x\ny\n");
    await edit.execute({ path: "f.txt", old_str: "y\n", new_str: "z" }, ctx);
    expect(text("f.txt")).toBe("x\nz\n");
  });

  it("keeps a UTF-8 BOM and edits UTF-16LE files in place", async () => {
    writeFileSync(at("b.txt"), Buffer.from("\ufeffhello\nworld\n", "utf8"));
    await edit.execute({ path: "b.txt", old_str: "world", new_str: "wörld" }, ctx);
    expect(readFileSync(at("b.txt"))).toEqual(Buffer.from("\ufeffhello\nwörld\n", "utf8"));
    writeFileSync(at("u16.txt"), Buffer.from("\ufeffalpha\r\nbeta\r\n", "utf16le"));
    await edit.execute({ path: "u16.txt", old_str: "beta", new_str: "gamma" }, ctx);
    expect(readFileSync(at("u16.txt"))).toEqual(Buffer.from("\ufeffalpha\r\ngamma\r\n", "utf16le"));
  });

  it("edits multi-byte text (CJK, emoji)", async () => {
    writeFileSync(at("i18n.ts"), 'const greet = "你好";\nconst party = "🎉";\n');
    const r = await edit.execute({ path: "i18n.ts", old_str: '"🎉"', new_str: '"🎊🎉"' }, ctx);
    expect(r.content).toContain(`2#${lineHash('const party = "🎊🎉";')}:const party = "🎊🎉";`);
    expect(text("i18n.ts")).toBe('const greet = "你好";\nconst party = "🎊🎉";\n');
  });

  it("matches across tabs vs spaces and re-indents new_str to the file", async () => {
    writeFileSync(at("t.go"), "func f() {\n\tif x {\n\t\treturn 1\n\t}\n}\n");
    const r = await edit.execute(
      {
        path: "t.go",
        old_str: "    if x {\n        return 1\n    }",
        new_str: "    if x {\n        log()\n        return 2\n    }\n    return 0",
      },
      ctx,
    );
    expect(r.isError).toBe(false);
    expect(r.content).toContain("matched ignoring indentation");
    expect(text("t.go")).toBe("func f() {\n\tif x {\n\t\tlog()\n\t\treturn 2\n\t}\n\treturn 0\n}\n");
  });

  it("matches ignoring trailing whitespace", async () => {
    writeFileSync(at("s.py"), "def f():   \n    return 1\n");
    const r = await edit.execute(
      { path: "s.py", old_str: "def f():\n    return 1\n", new_str: "def f():\n    return 2\n" },
      ctx,
    );
    expect(r.content).toContain("matched ignoring trailing whitespace");
    expect(text("s.py")).toBe("def f():\n    return 2\n");
  });

  it("lists every location when old_str matches twice, and an anchor picks one", async () => {
    const lines = ["function a() {", "  return 0;", "}", "", "function b() {", "  return 0;", "}"];
    writeFileSync(at("d.ts"), `${lines.join("\n")}\n`);
    const r = await edit.execute({ path: "d.ts", old_str: "  return 0;", new_str: "  return 1;" }, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain("old_str matches 2 places in d.ts: line 2, line 6. Nothing was changed.");
    expect(r.content).toContain(`5#${lineHash("function b() {")}:function b() {`);
    expect(text("d.ts")).toBe(`${lines.join("\n")}\n`);
    const fixed = await edit.execute(
      { path: "d.ts", old_str: "  return 0;", new_str: "  return 1;", anchor: anchor(6, "  return 0;") },
      ctx,
    );
    expect(fixed.isError).toBe(false);
    expect(text("d.ts")).toContain("function b() {\n  return 1;");
    expect(text("d.ts")).toContain("function a() {\n  return 0;");
  });

  it("refuses a stale anchor and shows the current lines", async () => {
    writeFileSync(at("s.ts"), "one\ntwo\nthree\n");
    const stale = anchor(2, "two");
    writeFileSync(at("s.ts"), "one\ninserted\ntwo\nthree\n");
    const r = await edit.execute({ path: "s.ts", old_str: "two", new_str: "TWO", anchor: stale }, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain("File changed since you read it: line 2 is different now");
    expect(r.content).toContain("is now line 3");
    expect(r.content).toContain(`3#${lineHash("two")}:two`);
    expect(text("s.ts")).toBe("one\ninserted\ntwo\nthree\n");
    const ok = await edit.execute(
      { path: "s.ts", old_str: "two", new_str: "TWO", anchor: `3#${lineHash("two")}` },
      ctx,
    );
    expect(ok.isError).toBe(false);
  });

  it("shows the closest region when nothing matches", async () => {
    const body = Array.from({ length: 60 }, (_, i) => `const v${i} = ${i};`);
    writeFileSync(at("c.ts"), `${body.join("\n")}\n`);
    const r = await edit.execute({ path: "c.ts", old_str: "const v30 = 30;\nconst v31 = 99;", new_str: "x" }, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain("Closest: lines 31-32. First difference at line 32:");
    expect(r.content).toContain('file:    "const v31 = 31;"');
    expect(r.content).toContain(`16#${lineHash("const v15 = 15;")}`);
    expect(r.content).toContain(`47#${lineHash("const v46 = 46;")}`);
    expect(r.content).not.toContain(`15#${lineHash("const v14 = 14;")}`);
  });

  it("refuses an indentation-blind match that would move a line into another block", async () => {
    const before = "def f():\n    if a:\n        x = 1\n    y = 2\n";
    writeFileSync(at("f.py"), before);
    const r = await edit.execute(
      { path: "f.py", old_str: "if a:\n    x = 1\n    y = 2", new_str: "if a:\n    x = 1\n    y = 3" },
      ctx,
    );
    expect(r.isError).toBe(true);
    expect(r.content).toContain(
      "Closest: lines 2-4. Its lines are old_str's, but indented so that they nest differently",
    );
    expect(text("f.py")).toBe(before);
  });

  it("accepts old_str pasted with N#hash: prefixes", async () => {
    writeFileSync(at("p.ts"), "a\nb\n");
    const r = await edit.execute({ path: "p.ts", old_str: `2#${lineHash("b")}:b`, new_str: "B" }, ctx);
    expect(r.isError).toBe(false);
    expect(text("p.ts")).toBe("a\nB\n");
  });

  it("rejects empty or no-op edits and missing files", async () => {
    writeFileSync(at("a.ts"), "a\n");
    expect((await edit.execute({ path: "a.ts", old_str: "", new_str: "x" }, ctx)).content).toContain(
      "old_str is empty",
    );
    expect((await edit.execute({ path: "a.ts", old_str: "a", new_str: "a" }, ctx)).content).toContain("identical");
    const missing = await edit.execute({ path: "nope.ts", old_str: "a", new_str: "b" }, ctx);
    expect(missing.content).toContain("use write_file");
    expect((await edit.execute({ path: "a.ts", old_str: "a", new_str: "b", anchor: "line 1" }, ctx)).content).toContain(
      "not N#hash",
    );
  });

  it("edits paths with spaces and refuses escapes", async () => {
    writeFileSync(at("my file.txt"), "x\n");
    expect((await edit.execute({ path: "my file.txt", old_str: "x", new_str: "y" }, ctx)).isError).toBe(false);
    expect(text("my file.txt")).toBe("y\n");
    expect((await edit.execute({ path: "../x", old_str: "x", new_str: "y" }, ctx)).content).toContain("outside");
  });

  it("reports a deletion", async () => {
    writeFileSync(at("d.txt"), "a\nb\nc\n");
    const r = await edit.execute({ path: "d.txt", old_str: "b\n", new_str: "" }, ctx);
    expect(r.display).toBe("edit d.txt (removed line 2)");
    expect(text("d.txt")).toBe("a\nc\n");
  });
});
