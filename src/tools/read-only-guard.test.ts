import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReadCache } from "../context/read-cache.js";
import type { Tool, ToolContext } from "../core/types.js";
import { createEditFileTool } from "./edit-file.js";
import { createPatchFileTool } from "./patch-file.js";
import { createWriteFileTool } from "./write-file.js";

/**
 * The atomic write renames a temp file over the target, which needs only the folder to be
 * writable: without the guard a 0444 file is replaced silently (as root, always — and the
 * tests run as root here, so the mode bits are what must refuse).
 */
let root: string;
let tools: Record<"write" | "edit" | "patch", Tool>;
const ctx: ToolContext = { signal: new AbortController().signal, callId: "c1", turn: 1 };
const at = (rel: string) => path.join(root, rel);

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-readonly-")));
  const cache = createReadCache();
  tools = {
    write: createWriteFileTool({ root, cache }),
    edit: createEditFileTool({ root, cache }),
    patch: createPatchFileTool({ root, cache }),
  };
  writeFileSync(at("locked.ts"), "const a = 1;\nconst b = 2;\n");
  chmodSync(at("locked.ts"), 0o444);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const CALLS: Array<[keyof typeof tools, Record<string, unknown>]> = [
  ["write", { path: "locked.ts", content: "replaced\n", overwrite: true }],
  ["edit", { path: "locked.ts", old_str: "const b = 2;", new_str: "const b = 3;" }],
  ["patch", { path: "locked.ts", patch: "@@ -1,2 +1,2 @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n" }],
];

describe("file tools on a read-only file", () => {
  it.each(CALLS)("%s_file refuses a 0444 file, says how to allow it, and leaves it untouched", async (tool, args) => {
    const r = await tools[tool].execute(args, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain(
      "permission denied: locked.ts is read-only (mode 0444); make it writable with chmod u+w if the change is intended.",
    );
    expect(r.display).toBe(`${tool} locked.ts: read-only`);
    expect(r.filesChanged).toBeUndefined();
    expect(readFileSync(at("locked.ts"), "utf8")).toBe("const a = 1;\nconst b = 2;\n");
    expect(statSync(at("locked.ts")).mode & 0o777).toBe(0o444);
    expect(readdirSync(root).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it.each(CALLS)("%s_file refuses a read-only file reached through a symlink", async (tool, args) => {
    symlinkSync("locked.ts", at("link.ts"));
    const r = await tools[tool].execute({ ...args, path: "link.ts" }, ctx);
    expect(r.isError).toBe(true);
    expect(r.content).toContain("link.ts is read-only (mode 0444)");
    expect(readFileSync(at("locked.ts"), "utf8")).toBe("const a = 1;\nconst b = 2;\n");
  });

  it.each(CALLS)("%s_file writes once the user makes the file writable", async (tool, args) => {
    chmodSync(at("locked.ts"), 0o644);
    const r = await tools[tool].execute(args, ctx);
    expect(r.isError).toBe(false);
    expect(readFileSync(at("locked.ts"), "utf8")).not.toBe("const a = 1;\nconst b = 2;\n");
    expect(statSync(at("locked.ts")).mode & 0o777).toBe(0o644);
  });
});
