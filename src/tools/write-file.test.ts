import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadCache } from "../context/read-cache.js";
import type { Tool, ToolContext } from "../core/types.js";
import { createReadFileTool } from "./read-file.js";
import { createWriteFileTool } from "./write-file.js";

let root: string;
let write: Tool;
let read: Tool;
const ctx = (turn = 1): ToolContext => ({ signal: new AbortController().signal, callId: "c1", turn });
const at = (rel: string) => path.join(root, rel);

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-write-")));
  const cache = createReadCache();
  write = createWriteFileTool({ root, cache });
  read = createReadFileTool({ root, cache });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("write_file", () => {
  it("creates a file and its folders, with spaces in the path", async () => {
    const r = await write.execute({ path: "new dir/sub/a b.ts", content: "one\ntwo\n" }, ctx());
    expect(r).toEqual({
      content: "Created new dir/sub/a b.ts (2 lines)",
      display: "write new dir/sub/a b.ts (+2 lines)",
      isError: false,
      filesChanged: ["new dir/sub/a b.ts"],
    });
    expect(readFileSync(at("new dir/sub/a b.ts"), "utf8")).toBe("one\ntwo\n");
    expect((await readdir(at("new dir/sub"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses to replace an existing file without overwrite: true", async () => {
    writeFileSync(at("a.ts"), "keep\n");
    const r = await write.execute({ path: "a.ts", content: "new\n" }, ctx());
    expect(r.isError).toBe(true);
    expect(r.content).toContain("a.ts already exists (1 line)");
    expect(r.content).toContain("edit_file");
    expect(r.content).toContain("overwrite: true");
    expect(readFileSync(at("a.ts"), "utf8")).toBe("keep\n");
  });

  it("overwrites with overwrite: true, keeping the mode of a 755 script", async () => {
    writeFileSync(at("run.sh"), "#!/bin/sh\necho old\n");
    chmodSync(at("run.sh"), 0o755);
    const r = await write.execute({ path: "run.sh", content: "#!/bin/sh\necho new\n", overwrite: true }, ctx());
    expect(r.isError).toBe(false);
    expect(r.content).toBe("Replaced run.sh (2 lines, was 2 lines)");
    expect(statSync(at("run.sh")).mode & 0o777).toBe(0o755);
    expect(readFileSync(at("run.sh"), "utf8")).toBe("#!/bin/sh\necho new\n");
  });

  it("writes a new file's content verbatim", async () => {
    await write.execute({ path: "run.bat", content: "@echo off\r\necho hi\r\n" }, ctx());
    expect(readFileSync(at("run.bat"), "utf8")).toBe("@echo off\r\necho hi\r\n");
  });

  it("keeps CRLF endings and a BOM of the file it replaces", async () => {
    writeFileSync(at("w.txt"), Buffer.from("\ufeffa\r\nb\r\n", "utf8"));
    await write.execute({ path: "w.txt", content: "x\ny\n", overwrite: true }, ctx());
    expect(readFileSync(at("w.txt"), "utf8")).toBe("\ufeffx\r\ny\r\n");
  });

  it("writes through a symlink inside the project instead of replacing it", async () => {
    writeFileSync(at("real.txt"), "old\n");
    symlinkSync(at("real.txt"), at("alias.txt"));
    await write.execute({ path: "alias.txt", content: "new\n", overwrite: true }, ctx());
    expect(readFileSync(at("real.txt"), "utf8")).toBe("new\n");
  });

  it("creates the missing target of a dangling symlink inside the project, keeping the link", async () => {
    symlinkSync("notes/todo.md", at("todo.md"));
    const r = await write.execute({ path: "todo.md", content: "- a\n" }, ctx());
    expect(r.isError).toBe(false);
    expect(lstatSync(at("todo.md")).isSymbolicLink()).toBe(true);
    expect(readFileSync(at("notes/todo.md"), "utf8")).toBe("- a\n");
  });

  it("invalidates the read cache", async () => {
    writeFileSync(at("a.ts"), "old\n");
    await read.execute({ path: "a.ts" }, ctx(1));
    await write.execute({ path: "a.ts", content: "old\n", overwrite: true }, ctx(2));
    expect((await read.execute({ path: "a.ts" }, ctx(3))).content).toContain(":old");
  });

  it("refuses escapes and directories", async () => {
    expect((await write.execute({ path: "../x.txt", content: "" }, ctx())).isError).toBe(true);
    symlinkSync(tmpdir(), at("out"));
    expect((await write.execute({ path: "out/x.txt", content: "" }, ctx())).content).toContain("symlink");
    expect((await write.execute({ path: ".", content: "" }, ctx())).content).toContain("is a directory");
  });

  it("rejects missing or mistyped arguments", async () => {
    expect((await write.execute({ path: "a" }, ctx())).content).toContain('"content"');
    expect((await write.execute({ path: "a", content: 3 }, ctx())).content).toContain("must be a string");
  });
});
