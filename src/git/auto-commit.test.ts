import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commitAll, git } from "../../test/support/git.js";
import { autoCommit, commitMessage } from "./auto-commit.js";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

async function repo(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), "parecode-autocommit-"));
  await writeFile(path.join(dir, "a.txt"), "a\n");
  await writeFile(path.join(dir, "b.txt"), "b\n");
  commitAll(dir);
  // auto_commit runs git as the user would, with the repository's own identity.
  git(dir, "config", "user.name", "parecode-test");
  git(dir, "config", "user.email", "test@parecode.invalid");
  return dir;
}

describe("auto_commit", () => {
  it("commits only the task's files, leaving the user's other changes unstaged", async () => {
    const root = await repo();
    await writeFile(path.join(root, "a.txt"), "changed by the task\n");
    await writeFile(path.join(root, "new.txt"), "created by the task\n");
    await writeFile(path.join(root, "b.txt"), "the user's own work in progress\n");
    const result = await autoCommit(root, {
      files: ["a.txt", "new.txt"],
      task: "update a and add new",
      prefix: "pc: ",
    });
    expect(result).toMatchObject({ status: "committed", message: "pc: update a and add new" });
    expect(git(root, "show", "--name-only", "--format=%s", "HEAD").trim().split("\n")).toEqual([
      "pc: update a and add new",
      "",
      "a.txt",
      "new.txt",
    ]);
    expect(git(root, "status", "--porcelain").trim()).toBe("M b.txt");
  });

  it("respects the user's pre-commit hook: a refused commit leaves the changes uncommitted and unstaged", async () => {
    const root = await repo();
    const hook = path.join(root, ".git", "hooks", "pre-commit");
    await writeFile(hook, "#!/bin/sh\necho 'lint failed: a.txt' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    await writeFile(path.join(root, "a.txt"), "changed\n");
    const result = await autoCommit(root, { files: ["a.txt"], task: "edit a" });
    expect(result.status).toBe("skipped");
    expect(result.status === "skipped" && result.reason).toContain("lint failed");
    expect(git(root, "status", "--porcelain").trim()).toBe("M a.txt");
    expect(git(root, "log", "--oneline").trim().split("\n")).toHaveLength(1);
  });

  it("skips outside git and when nothing changed", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parecode-autocommit-"));
    expect(await autoCommit(dir, { files: ["x"], task: "t" })).toMatchObject({
      status: "skipped",
      reason: "not a git repository",
    });
    expect(await autoCommit(dir, { files: [], task: "t" })).toMatchObject({ status: "skipped" });
  });

  it("keeps the first line short", () => {
    expect(commitMessage("parecode: ", "a ".repeat(100)).length).toBeLessThanOrEqual(72);
    expect(commitMessage("parecode: ", "fix\nthe   bug")).toBe("parecode: fix the bug");
  });
});
