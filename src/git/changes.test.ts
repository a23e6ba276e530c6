import { execFileSync } from "node:child_process";
import { mkdtemp, rm, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { changedSince, snapshotWorkingTree } from "./changes.js";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

function git(...args: string[]): void {
  execFileSync("git", args, {
    cwd: dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  });
}

describe("working-tree changes", () => {
  it("finds files changed by any means since the snapshot, and only those", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "git-changes-"));
    git("init", "-q", "-b", "main");
    for (const name of ["clean.txt", "already dirty.txt", "untouched.txt", "doomed.txt"]) {
      await writeFile(path.join(dir, name), `${name}\n`);
    }
    await writeFile(path.join(dir, ".gitignore"), "build/\n");
    git("add", "-A");
    git("commit", "-qm", "init");
    await writeFile(path.join(dir, "already dirty.txt"), "edited before the task\n");
    await utimes(path.join(dir, "already dirty.txt"), new Date(1_000_000), new Date(1_000_000));
    await writeFile(path.join(dir, "dirty but left alone.txt"), "untracked before the task\n");

    const before = await snapshotWorkingTree(dir);
    expect(before).not.toBeNull();
    await writeFile(path.join(dir, "clean.txt"), "changed by a command\n");
    await writeFile(path.join(dir, "already dirty.txt"), "changed again\n");
    await writeFile(path.join(dir, "created.txt"), "new\n");
    await unlink(path.join(dir, "doomed.txt"));
    execFileSync("mkdir", ["-p", path.join(dir, "build")]);
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
