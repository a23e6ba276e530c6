import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReadCache } from "../context/read-cache.js";
import { createEditFileTool } from "./edit-file.js";
import { createPatchFileTool } from "./patch-file.js";
import { createWriteFileTool } from "./write-file.js";

/**
 * A real full disk: a 64 KB tmpfs filled to the last byte. Mounting needs root, which CI
 * and the project's machines have; elsewhere the mount is refused and this file says so
 * instead of pretending to pass.
 */
let mountPoint: string;
let root: string;
let mounted = false;

beforeAll(async () => {
  mountPoint = await mkdtemp(path.join(tmpdir(), "parecode-full-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint], { stdio: "ignore" });
    mounted = true;
  } catch {
    return;
  }
  root = path.join(mountPoint, "project");
  await mkdir(root);
  await writeFile(path.join(root, "notes.txt"), "line one\nline two\n");
  // Fill whatever is left, so the next write of any size fails.
  try {
    await writeFile(path.join(mountPoint, "filler"), Buffer.alloc(64 * 1024));
  } catch {
    // ENOSPC part-way is the point: the disk is now full.
  }
});

afterAll(async () => {
  if (mounted) execFileSync("umount", [mountPoint], { stdio: "ignore" });
  await rm(mountPoint, { recursive: true, force: true });
});

const ctx = { signal: new AbortController().signal, callId: "c1", turn: 1 };

describe.runIf(process.getuid?.() === 0)("file tools on a full disk", () => {
  it("mounted the tiny file system (needs root)", () => {
    expect(mounted).toBe(true);
  });

  it("edit_file and patch_file report the full disk, name the fix, and leave the file and folder as they were", async () => {
    const cache = createReadCache();
    const long = "x".repeat(8_000);
    const edit = await createEditFileTool({ root, cache }).execute(
      { path: "notes.txt", old_str: "line two", new_str: `line two ${long}` },
      ctx,
    );
    expect(edit.isError).toBe(true);
    expect(edit.content).toMatch(/ENOSPC.*Nothing was changed\. The disk is full: free some space, then retry\./);

    const patch = await createPatchFileTool({ root, cache }).execute(
      { path: "notes.txt", patch: `@@ -1,2 +1,2 @@\n line one\n-line two\n+line two ${long}\n` },
      ctx,
    );
    expect(patch.isError).toBe(true);
    expect(patch.content).toContain("The disk is full");

    expect(await readFile(path.join(root, "notes.txt"), "utf8")).toBe("line one\nline two\n");
    expect(await readdir(root)).toEqual(["notes.txt"]);
  });

  it("write_file reports the full disk and leaves no partial file", async () => {
    const result = await createWriteFileTool({ root, cache: createReadCache() }).execute(
      { path: "new.txt", content: "y".repeat(9_000) },
      ctx,
    );
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/Nothing was written\. The disk is full/);
    expect(await readdir(root)).toEqual(["notes.txt"]);
  });
});
