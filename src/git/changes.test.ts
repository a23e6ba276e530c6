import { mkdir, mkdtemp, rm, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git } from "../../test/support/git.js";
import { changedSince, snapshotWorkingTree } from "./changes.js";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("working-tree changes", () => {
  it("finds files changed by any means since the snapshot, and only those", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "git-changes-"));
    git(dir, "init", "-q", "-b", "main");
    for (const name of ["clean.txt", "already dirty.txt", "untouched.txt", "doomed.txt"]) {
      await writeFile(path.join(dir, name), `${name}\n`);
    }
    await writeFile(path.join(dir, ".gitignore"), "build/\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "init");
    await writeFile(path.join(dir, "already dirty.txt"), "edited before the task\n");
    await utimes(path.join(dir, "already dirty.txt"), new Date(1_000_000), new Date(1_000_000));
    await writeFile(path.join(dir, "dirty but left alone.txt"), "untracked before the task\n");

    const before = await snapshotWorkingTree(dir);
    expect(before).not.toBeNull();
    await writeFile(path.join(dir, "clean.txt"), "changed by a command\n");
    await writeFile(path.join(dir, "already dirty.txt"), "changed again\n");
    await writeFile(path.join(dir, "created.txt"), "new\n");
    await unlink(path.join(dir, "doomed.txt"));
    await mkdir(path.join(dir, "build"));
    await writeFile(path.join(dir, "build/out.js"), "ignored\n");

    expect(await changedSince(before as NonNullable<typeof before>)).toEqual([
      "already dirty.txt",
      "clean.txt",
      "created.txt",
      "doomed.txt",
    ]);
  });

  it("is null outside a git repository", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "git-changes-"));
    expect(await snapshotWorkingTree(dir)).toBeNull();
  });
});
