import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadCache } from "../context/read-cache.js";
import type { Tool, ToolContext } from "../core/types.js";
import { lineHash } from "./line-hash.js";
import { applyHunks, parseHunks } from "./patch-apply.js";
import { createPatchFileTool } from "./patch-file.js";

let root: string;
let patch: Tool;
const ctx: ToolContext = { signal: new AbortController().signal, callId: "c1", turn: 1 };
const at = (rel: string) => path.join(root, rel);
const text = (rel: string) => readFileSync(at(rel), "utf8");
const numbered = (n: number) => `${Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n")}\n`;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-patch-")));
  patch = createPatchFileTool({ root, cache: createReadCache() });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("patch_file", () => {
  it("applies several hunks with headers", async () => {
    writeFileSync(at("a.txt"), numbered(30));
    const diff = [
      "--- a/a.txt",
      "+++ b/a.txt",
      "@@ -2,3 +2,3 @@",
      " line 2",
      "-line 3",
      "+LINE 3",
      " line 4",
      "@@ -20,3 +20,4 @@",
      " line 20",
      " line 21",
      "+inserted",
      " line 22",
    ].join("\n");
    const r = await patch.execute({ path: "a.txt", patch: diff }, ctx);
    expect(r.isError).toBe(false);
    expect(r.display).toBe("patch a.txt (2 hunks, +2 -1)");
    expect(r.content.split("\n")[0]).toBe("Patched a.txt: 2 hunks applied (+2 -1)");
    expect(r.content).toContain(`22#${lineHash("inserted")}:inserted`);
    expect(text("a.txt")).toBe(
      numbered(30).replace("line 3\n", "LINE 3\n").replace("line 21\n", "line 21\ninserted\n"),
    );
  });

  it("places a hunk with wrong line numbers by its context", async () => {
    writeFileSync(at("a.txt"), numbered(50));
    const r = await patch.execute(
      { path: "a.txt", patch: "@@ -10,3 +10,3 @@\n line 39\n-line 40\n+forty\n line 41\n" },
      ctx,
    );
    expect(r.isError).toBe(false);
    expect(r.content).toContain("hunk 1 placed by context at line 39");
    expect(text("a.txt")).toBe(numbered(50).replace("line 40\n", "forty\n"));
  });

  it("applies nothing when the second hunk fails, and names it", async () => {
    const before = numbered(40);
    writeFileSync(at("a.txt"), before);
    const diff = "@@ -2,2 +2,2 @@\n line 2\n-line 3\n+three\n@@ -30,2 +30,2 @@\n line 30\n-line 31 (edited)\n+x\n";
    const r = await patch.execute({ path: "a.txt", patch: diff }, ctx);
    expect(r.isError).toBe(true);
    expect(r.display).toBe("patch a.txt: hunk 2 failed");
    expect(r.content).toContain("Hunk 2 of 2 (@@ -30,2 +30,2 @@) did not apply");
    expect(r.content).toContain("the file is unchanged");
    expect(r.content).toContain('patch: "line 31 (edited)"');
    expect(r.content).toContain(`31#${lineHash("line 31")}:line 31`);
    expect(text("a.txt")).toBe(before);
  });

  it("keeps CRLF endings, a BOM and a missing final newline", async () => {
    writeFileSync(at("w.txt"), Buffer.from("\ufeffa\r\nb\r\nc", "utf8"));
    const r = await patch.execute({ path: "w.txt", patch: "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n" }, ctx);
    expect(r.isError).toBe(false);
    expect(readFileSync(at("w.txt"))).toEqual(Buffer.from("\ufeffa\r\nB\r\nc", "utf8"));
  });

  it("matches ignoring whitespace and re-indents added lines", async () => {
    writeFileSync(at("t.go"), "func f() {\n\tx := 1\n\treturn x\n}\n");
    const r = await patch.execute(
      { path: "t.go", patch: "@@ -1,4 +1,5 @@\n func f() {\n     x := 1\n+    x++\n     return x\n }\n" },
      ctx,
    );
    expect(r.content).toContain("whitespace differed");
    expect(text("t.go")).toBe("func f() {\n\tx := 1\n\tx++\n\treturn x\n}\n");
  });

  it("prefers an exact match elsewhere to a whitespace-only match at the stated line", async () => {
    writeFileSync(at("q.txt"), "line1\nif x:\n  return 1\nmid\nmid\nif x:\n    return 1\n");
    const r = await patch.execute(
      { path: "q.txt", patch: "@@ -2,2 +2,2 @@\n if x:\n-    return 1\n+    return 2\n" },
      ctx,
    );
    expect(r.isError).toBe(false);
    expect(r.content).toContain("hunk 1 placed by context at line 6");
    expect(text("q.txt")).toBe("line1\nif x:\n  return 1\nmid\nmid\nif x:\n    return 2\n");
  });

  it("refuses a whitespace-blind match whose lines nest differently", async () => {
    const before = "def f():\n    if a:\n        x = 1\n    y = 2\n";
    writeFileSync(at("f.py"), before);
    const diff = "@@ -2,3 +2,3 @@\n if a:\n     x = 1\n-    y = 2\n+    y = 3\n";
    const r = await patch.execute({ path: "f.py", patch: diff }, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain("Hunk 1 of 1 (@@ -2,3 +2,3 @@) did not apply");
    expect(r.content).toContain("indented so that they nest differently");
    expect(text("f.py")).toBe(before);
  });

  it("reports ambiguity instead of guessing", async () => {
    writeFileSync(at("a.txt"), "x\ny\nz\nx\ny\nz\n");
    const r = await patch.execute({ path: "a.txt", patch: "@@ @@\n x\n-y\n+Y\n" }, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain("matches 2 places (lines 1, 4)");
  });

  it("rejects patches without hunks, for several files, or for missing files", async () => {
    writeFileSync(at("a.txt"), "a\n");
    expect((await patch.execute({ path: "a.txt", patch: "just text" }, ctx)).content).toContain("no hunk found");
    const two = "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-a\n+b\n";
    expect((await patch.execute({ path: "a.txt", patch: two }, ctx)).content).toContain("more than one file");
    expect((await patch.execute({ path: "b.txt", patch: "@@ -1 +1 @@\n-a\n+b\n" }, ctx)).content).toContain(
      "use write_file",
    );
    expect(text("a.txt")).toBe("a\n");
  });
});

describe("parseHunks / applyHunks", () => {
  it("treats prefix-less blank lines as context and ignores counts", () => {
    const parsed = parseHunks("@@ -1,99 +1,1 @@\n a\n\n-b\n+B\n\n");
    if ("error" in parsed) throw new Error(parsed.error);
    expect(parsed.hunks[0].ops).toEqual([
      { op: " ", text: "a" },
      { op: " ", text: "" },
      { op: "-", text: "b" },
      { op: "+", text: "B" },
    ]);
    const applied = applyHunks(["a", "", "b"], parsed.hunks);
    expect(applied.ok && applied.lines).toEqual(["a", "", "B"]);
  });

  it("keeps a removed line that looks like a file header", () => {
    const parsed = parseHunks("@@ -1,2 +1,1 @@\n--- SQL comment\n keep\n");
    if ("error" in parsed) throw new Error(parsed.error);
    expect(parsed.hunks[0].ops[0]).toEqual({ op: "-", text: "-- SQL comment" });
  });

  it("inserts a context-free hunk after its stated line", () => {
    const parsed = parseHunks("@@ -2,0 +3,1 @@\n+new\n");
    if ("error" in parsed) throw new Error(parsed.error);
    const applied = applyHunks(["a", "b", "c"], parsed.hunks);
    expect(applied.ok && applied.lines).toEqual(["a", "b", "new", "c"]);
  });

  it("accepts hunks built from excerpt lines with N#hash: prefixes", () => {
    const parsed = parseHunks(`@@ -1,2 +1,2 @@\n 1#${lineHash("a")}:a\n-2#${lineHash("b")}:b\n+B\n`);
    if ("error" in parsed) throw new Error(parsed.error);
    const applied = applyHunks(["a", "b"], parsed.hunks);
    expect(applied.ok && applied.lines).toEqual(["a", "B"]);
  });

  it("picks the occurrence nearest the stated line", () => {
    const parsed = parseHunks("@@ -8,2 +8,2 @@\n x\n-y\n+Y\n");
    if ("error" in parsed) throw new Error(parsed.error);
    const applied = applyHunks(["x", "y", "-", "-", "-", "-", "-", "-", "x", "y"], parsed.hunks);
    expect(applied.ok && applied.lines.slice(-2)).toEqual(["x", "Y"]);
    expect(applied.ok && applied.lines[1]).toBe("y");
  });
});
