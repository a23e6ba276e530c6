import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll, git } from "../../test/support/git.js";
import { simulateTask, treeState, writeTaskFixture } from "../../test/support/tree-state.js";
import type { Checkpoint, CreateCheckpointResult } from "./checkpoint-types.js";
import { CheckpointError, createCheckpoint, diffSince, listCheckpoints, planRestore, restore } from "./checkpoints.js";

let base: string;
let root: string;
let dataDir: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), "checkpoints-git-")));
  root = path.join(base, "repo");
  dataDir = path.join(base, "data");
  await mkdir(root);
});
afterEach(() => rm(base, { recursive: true, force: true }));

function created(result: CreateCheckpointResult): Checkpoint {
  if (result.status !== "created") throw new Error(`expected a checkpoint, got: ${result.message}`);
  return result.checkpoint;
}

async function take(label: string, at = root): Promise<Checkpoint> {
  return created(await createCheckpoint(at, { dataDir, label }));
}

/** What the user's own git state looks like: none of it may change. */
async function userGitState(repo: string) {
  return {
    index: await readFile(path.join(repo, ".git", "index")).catch(() => Buffer.alloc(0)),
    head: git(repo, "symbolic-ref", "-q", "HEAD").trim() || "detached",
    headCommit: git(repo, "rev-parse", "-q", "--verify", "HEAD").trim(),
    reflog: git(repo, "reflog", "--all"),
    stash: git(repo, "stash", "list"),
    branches: git(repo, "for-each-ref", "refs/heads", "refs/tags", "refs/stash"),
  };
}

describe("git checkpoints", () => {
  it("undoes a task that created, edited, deleted, chmod-ed and sed-ed files, and undoes the undo", async () => {
    await writeTaskFixture(root, { ".gitignore": "build/\n*.log\n", "build/keep.txt": "ignored\n" });
    commitAll(root);
    await writeFile(path.join(root, "untracked-before.txt"), "the user's scratch file\n");
    await writeFile(path.join(root, "debug.log"), "ignored log\n");
    const before = await treeState(root);

    const checkpoint = await take("refactor the app");
    expect(checkpoint).toMatchObject({ kind: "git", root, label: "refactor the app", skipped: [] });
    await simulateTask(root);
    // Ignored files change during the task too; undo must leave them as they are.
    await writeFile(path.join(root, "debug.log"), "written during the task\n");
    await writeFile(path.join(root, "build", "out.js"), "built\n");
    const afterTask = await treeState(root);

    const diff = await diffSince(root, checkpoint, { dataDir });
    expect(diff.summary).toEqual({ added: 2, modified: 3, deleted: 1, modeChanged: 1 });
    expect(diff.files.map((f) => `${f.kind} ${f.path}`)).toEqual([
      "added NOTES.md",
      "modified config.ini",
      "modified link",
      "deleted old.txt",
      "mode_changed run.sh",
      "modified src/app.js",
      "added src/generated/deep/new.js",
    ]);
    const config = diff.files.find((f) => f.path === "config.ini")?.patch;
    expect(config).toBe(
      "diff --git a/config.ini b/config.ini\n--- a/config.ini\n+++ b/config.ini\n@@ -1,2 +1,2 @@\n [main]\n-debug=false\n+debug=true\n",
    );
    expect(diff.files.find((f) => f.path === "run.sh")?.patch).toBe(
      "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n",
    );

    const plan = await planRestore(root, checkpoint, { dataDir });
    expect(plan.actions).toEqual([
      { path: "NOTES.md", action: "remove" },
      { path: "config.ini", action: "revert" },
      { path: "link", action: "revert" },
      { path: "old.txt", action: "recreate" },
      { path: "run.sh", action: "chmod" },
      { path: "src/app.js", action: "revert" },
      { path: "src/generated/deep/new.js", action: "remove" },
    ]);

    const undone = await restore(root, checkpoint, { dataDir });
    expect(undone.failed).toEqual([]);
    expect(undone.removedDirs).toEqual(["src/generated", "src/generated/deep"]);
    const expected = {
      ...before,
      "debug.log": "644 written during the task\n",
      "build/out.js": "644 built\n",
    };
    expect(await treeState(root)).toEqual(expected);

    // The undo took a checkpoint first; restoring it brings the task's work back.
    const [latest] = await listCheckpoints(root, { dataDir });
    expect(latest.id).toBe(undone.undoCheckpoint.id);
    expect(latest.label).toBe("undo of: refactor the app");
    const redone = await restore(root, latest, { dataDir });
    expect(redone.failed).toEqual([]);
    expect(await treeState(root)).toEqual(afterTask);
  });

  it("sees a same-size edit made within the same second as the checkpoint (racy git)", async () => {
    await writeFile(path.join(root, "a.txt"), "0000\n");
    commitAll(root);
    for (let i = 1; i <= 10; i++) {
      const checkpoint = await take(`task ${i}`);
      await writeFile(path.join(root, "a.txt"), `${String(i).repeat(4)}\n`);
      const diff = await diffSince(root, checkpoint, { dataDir });
      expect(diff.files.map((f) => `${f.kind} ${f.path}`)).toEqual(["modified a.txt"]);
    }
  });

  it("never touches the user's index, branch, HEAD, stash or reflog", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    await writeFile(path.join(root, "README.md"), "# stashed work\n");
    git(root, "stash");
    await writeFile(path.join(root, "src", "app.js"), "console.log('staged');\n");
    git(root, "add", "src/app.js");
    await writeFile(path.join(root, "src", "app.js"), "console.log('staged, then edited');\n");
    const state = await userGitState(root);

    const checkpoint = await take("task");
    await simulateTask(root);
    await diffSince(root, checkpoint, { dataDir });
    await restore(root, checkpoint, { dataDir });

    expect(await userGitState(root)).toEqual(state);
    expect(await readFile(path.join(root, "src", "app.js"), "utf8")).toBe("console.log('staged, then edited');\n");
    expect(git(root, "diff", "--cached", "--name-only").trim()).toBe("src/app.js");
    expect(git(root, "for-each-ref", "--format=%(refname)", "refs/parecode/").trim().split("\n")).toHaveLength(2);
  });

  it("works in a repository with no commits yet", async () => {
    git(root, "init", "-q", "-b", "main");
    await writeTaskFixture(root);
    const before = await treeState(root);
    const checkpoint = await take("first task");
    await simulateTask(root);
    await restore(root, checkpoint, { dataDir });
    expect(await treeState(root)).toEqual(before);
    expect(() => git(root, "rev-parse", "--verify", "-q", "HEAD")).toThrow();
  });

  it("works on a detached HEAD and leaves it detached where it was", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    await writeFile(path.join(root, "README.md"), "# second\n");
    git(root, "commit", "-qam", "second");
    git(root, "checkout", "-q", "--detach", "HEAD~1");
    const head = git(root, "rev-parse", "HEAD");
    const before = await treeState(root);

    const checkpoint = await take("task on detached head");
    await simulateTask(root);
    await restore(root, checkpoint, { dataDir });
    expect(await treeState(root)).toEqual(before);
    expect(git(root, "rev-parse", "HEAD")).toBe(head);
    expect(() => git(root, "symbolic-ref", "-q", "HEAD")).toThrow();
  });

  it("records a submodule as its commit, does not descend into it, and leaves it alone on restore", async () => {
    const sub = path.join(base, "sub");
    await mkdir(sub);
    await writeFile(path.join(sub, "lib.txt"), "v1\n");
    commitAll(sub);
    await writeTaskFixture(root);
    commitAll(root);
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "vendor/sub");
    git(root, "commit", "-qm", "add submodule");
    const recorded = git(path.join(root, "vendor", "sub"), "rev-parse", "HEAD").trim();

    const checkpoint = await take("task");
    const tree = git(root, "ls-tree", "-r", checkpoint.tree, "vendor/sub");
    expect(tree).toBe(`160000 commit ${recorded}\tvendor/sub\n`);

    // The task moves the submodule to a new commit, edits inside it, and edits the outer repo.
    await writeFile(path.join(root, "vendor", "sub", "lib.txt"), "v2\n");
    git(path.join(root, "vendor", "sub"), "commit", "-qam", "v2");
    await writeFile(path.join(root, "vendor", "sub", "lib.txt"), "v3 uncommitted\n");
    await writeFile(path.join(root, "README.md"), "# changed\n");

    const plan = await planRestore(root, checkpoint, { dataDir });
    expect(plan.actions).toEqual([{ path: "README.md", action: "revert" }]);
    expect(plan.kept).toEqual([
      {
        path: "vendor/sub",
        reason: `submodule (at ${recorded.slice(0, 12)} in the checkpoint); left as it is: use git submodule update`,
      },
    ]);
    await restore(root, checkpoint, { dataDir });
    expect(await readFile(path.join(root, "README.md"), "utf8")).toBe("# project\n");
    expect(await readFile(path.join(root, "vendor", "sub", "lib.txt"), "utf8")).toBe("v3 uncommitted\n");
  });

  it("takes no checkpoint and restores nothing while a merge is in progress, and says why", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    const checkpoint = await take("before the merge");
    git(root, "checkout", "-q", "-b", "other");
    await writeFile(path.join(root, "README.md"), "# other\n");
    git(root, "commit", "-qam", "other");
    git(root, "checkout", "-q", "main");
    await writeFile(path.join(root, "README.md"), "# main\n");
    git(root, "commit", "-qam", "main");
    expect(() => git(root, "merge", "-q", "other")).toThrow();

    const result = await createCheckpoint(root, { dataDir, label: "during merge" });
    expect(result).toEqual({
      status: "skipped",
      reason: "merge_in_progress",
      message: expect.stringMatching(/^No checkpoint: a merge is in progress.*git merge --continue or --abort/),
    });
    await expect(restore(root, checkpoint, { dataDir })).rejects.toThrow(
      /^Nothing was restored: a merge is in progress/,
    );
    expect(await readFile(path.join(root, "README.md"), "utf8")).toContain("<<<<<<<");
  });

  it("saves untracked files, leaves ignored ones alone, and skips untracked files over the size cap", async () => {
    await writeTaskFixture(root, { ".gitignore": "cache/\n" });
    commitAll(root);
    await writeFile(path.join(root, "notes.txt"), "untracked work\n");
    await mkdir(path.join(root, "cache"));
    await writeFile(path.join(root, "cache", "c.bin"), "cached\n");
    await writeFile(path.join(root, "video [1].bin"), Buffer.alloc(4096, 1));
    const limits = { maxFileBytes: 1024 };

    const checkpoint = created(await createCheckpoint(root, { dataDir, label: "t", limits }));
    expect(checkpoint.skipped).toEqual(["video [1].bin"]);
    await rm(path.join(root, "notes.txt"));
    await writeFile(path.join(root, "cache", "c.bin"), "rebuilt\n");
    await writeFile(path.join(root, "video [1].bin"), Buffer.alloc(8192, 2));
    await writeFile(path.join(root, "huge-new.bin"), Buffer.alloc(4096, 3));

    const plan = await planRestore(root, checkpoint, { dataDir, limits });
    expect(plan.actions).toEqual([{ path: "notes.txt", action: "recreate" }]);
    expect(plan.kept.map((k) => k.path)).toEqual(["huge-new.bin", "video [1].bin"]);
    await restore(root, checkpoint, { dataDir, limits });
    expect(await readFile(path.join(root, "notes.txt"), "utf8")).toBe("untracked work\n");
    expect(await readFile(path.join(root, "cache", "c.bin"), "utf8")).toBe("rebuilt\n");
    expect((await stat(path.join(root, "video [1].bin"))).size).toBe(8192);
    expect((await stat(path.join(root, "huge-new.bin"))).size).toBe(4096);
  });

  it("waits out the user's index.lock and never touches it or their index", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    const lock = path.join(root, ".git", "index.lock");
    await writeFile(lock, "held by the user's git");
    const index = await readFile(path.join(root, ".git", "index"));

    const checkpoint = await take("task while git runs");
    await writeFile(path.join(root, "README.md"), "# edited\n");
    await restore(root, checkpoint, { dataDir });
    expect(await readFile(lock, "utf8")).toBe("held by the user's git");
    expect(await readFile(path.join(root, ".git", "index"))).toEqual(index);
    expect(await readFile(path.join(root, "README.md"), "utf8")).toBe("# project\n");
  });

  it("from a subfolder, diffs and restores only that folder, with paths relative to it", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    const sub = path.join(root, "src");
    const checkpoint = await take("task in src", sub);
    await writeFile(path.join(sub, "app.js"), "changed\n");
    await writeFile(path.join(sub, "NOTES.md"), "new\n");
    await writeFile(path.join(root, "README.md"), "# edited outside the project folder\n");

    const diff = await diffSince(sub, checkpoint, { dataDir });
    expect(diff.files.map((f) => f.path)).toEqual(["NOTES.md", "app.js"]);
    await restore(sub, checkpoint, { dataDir });
    expect(await readFile(path.join(sub, "app.js"), "utf8")).toBe("console.log('original');\n");
    await expect(stat(path.join(sub, "NOTES.md"))).rejects.toThrow();
    expect(await readFile(path.join(root, "README.md"), "utf8")).toBe("# edited outside the project folder\n");
    // Checkpoints belong to the folder they were taken for.
    expect((await listCheckpoints(root, { dataDir })).length).toBe(0);
    expect((await listCheckpoints(sub, { dataDir })).length).toBe(2);
  });

  it("keeps the newest checkpoints per project and drops older refs", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    const limits = { maxCheckpoints: 2 };
    for (const label of ["one", "two", "three"]) {
      created(await createCheckpoint(root, { dataDir, label, limits }));
    }
    expect((await listCheckpoints(root, { dataDir })).map((c) => c.label)).toEqual(["three", "two"]);
    expect(git(root, "for-each-ref", "refs/parecode/").trim().split("\n")).toHaveLength(2);
  });

  it("refuses git checkpoints outside a repository with a message naming the fix", async () => {
    await expect(createCheckpoint(root, { dataDir, label: "x", mode: "git" })).rejects.toThrow(CheckpointError);
  });
});
