import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll, git } from "../../test/support/git.js";
import { simulateTask, treeState, writeTaskFixture } from "../../test/support/tree-state.js";
import type { Checkpoint, CreateCheckpointResult } from "./checkpoint-types.js";
import { createCheckpoint, diffSince, listCheckpoints, planRestore, restore } from "./checkpoints.js";

let base: string;
let root: string;
let dataDir: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), "checkpoints-files-")));
  root = path.join(base, "project");
  dataDir = path.join(base, "data");
  await mkdir(root);
});
afterEach(() => rm(base, { recursive: true, force: true }));

function created(result: CreateCheckpointResult): Checkpoint {
  if (result.status !== "created") throw new Error(`expected a checkpoint, got: ${result.message}`);
  return result.checkpoint;
}

/** Bytes the snapshot store's packs take on disk. */
async function storeBytes(): Promise<number> {
  const packs = path.join(dataDir, "checkpoints", "packs");
  let total = 0;
  for (const name of await readdir(packs)) total += (await stat(path.join(packs, name))).size;
  return total;
}

describe("checkpoints outside git", () => {
  it("undoes a task that created, edited, deleted, chmod-ed and sed-ed files, and undoes the undo", async () => {
    await writeTaskFixture(root, {
      ".gitignore": "dist/\n",
      "dist/bundle.js": "built\n",
      "node_modules/dep/index.js": "dependency\n",
    });
    const before = await treeState(root);

    const checkpoint = created(await createCheckpoint(root, { dataDir, label: "refactor the app" }));
    expect(checkpoint).toMatchObject({ kind: "files", root, label: "refactor the app", skipped: [] });
    await simulateTask(root);
    await writeFile(path.join(root, "dist", "bundle.js"), "rebuilt by the task\n");
    await writeFile(path.join(root, "node_modules", "dep", "index.js"), "updated by npm\n");
    const afterTask = await treeState(root);

    const diff = await diffSince(root, checkpoint, { dataDir });
    expect(diff.summary).toEqual({ added: 2, modified: 3, deleted: 1, modeChanged: 1 });
    expect(diff.files.find((f) => f.path === "config.ini")?.patch).toBe(
      "diff --git a/config.ini b/config.ini\n--- a/config.ini\n+++ b/config.ini\n@@ -1,2 +1,2 @@\n [main]\n-debug=false\n+debug=true\n",
    );
    expect(diff.files.find((f) => f.path === "old.txt")?.patch).toBe(
      "diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-to be deleted\n",
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
    expect(await treeState(root)).toEqual({
      ...before,
      "dist/bundle.js": "644 rebuilt by the task\n",
      "node_modules/dep/index.js": "644 updated by npm\n",
    });

    const [latest] = await listCheckpoints(root, { dataDir });
    expect(latest.id).toBe(undone.undoCheckpoint.id);
    await restore(root, latest, { dataDir });
    expect(await treeState(root)).toEqual(afterTask);
  });

  it("uses the snapshot store inside a git repository when asked to, leaving git alone", async () => {
    await writeTaskFixture(root);
    commitAll(root);
    const before = await treeState(root);
    const checkpoint = created(await createCheckpoint(root, { dataDir, label: "t", mode: "files" }));
    expect(checkpoint.kind).toBe("files");
    await simulateTask(root);
    await restore(root, checkpoint, { dataDir, mode: "files" });
    expect(await treeState(root)).toEqual(before);
    expect(git(root, "for-each-ref", "refs/parecode/")).toBe("");
  });

  it("skips files over the size cap and never removes or overwrites them", async () => {
    await writeTaskFixture(root);
    await writeFile(path.join(root, "big.bin"), Buffer.alloc(4096, 1));
    const limits = { maxFileBytes: 1024 };
    const checkpoint = created(await createCheckpoint(root, { dataDir, label: "t", limits }));
    expect(checkpoint.skipped).toEqual(["big.bin"]);
    await writeFile(path.join(root, "big.bin"), Buffer.alloc(2048, 2));
    await writeFile(path.join(root, "new-big.bin"), Buffer.alloc(2048, 3));
    await writeFile(path.join(root, "README.md"), "changed\n");

    const plan = await planRestore(root, checkpoint, { dataDir, limits });
    expect(plan.actions).toEqual([{ path: "README.md", action: "revert" }]);
    expect(plan.kept).toEqual([
      { path: "big.bin", reason: "over 1 KB, not saved in checkpoints, so left as it is" },
      { path: "new-big.bin", reason: "over 1 KB, not saved in checkpoints, so left as it is" },
    ]);
    await restore(root, checkpoint, { dataDir, limits });
    expect((await readFile(path.join(root, "big.bin")))[0]).toBe(2);
    expect((await stat(path.join(root, "new-big.bin"))).size).toBe(2048);
  });

  it("stays within its size and count bounds, pruning the oldest checkpoints", async () => {
    for (let i = 0; i < 20; i++) await writeFile(path.join(root, `f${i}.txt`), `${i} `.repeat(2000));
    const limits = { maxStoreBytes: 40_000, maxCheckpoints: 5 };
    const labels: string[] = [];
    for (let task = 0; task < 12; task++) {
      // Each task rewrites three files with new, poorly compressible content.
      for (let j = 0; j < 3; j++) {
        const text = Array.from({ length: 300 }, (_, k) => ((task * 7919 + j * 104729 + k * 31) % 65536).toString(36));
        await writeFile(path.join(root, `f${(task * 3 + j) % 20}.txt`), text.join(" "));
      }
      labels.push(`task ${task}`);
      created(await createCheckpoint(root, { dataDir, label: `task ${task}`, limits }));
      expect(await storeBytes()).toBeLessThanOrEqual(limits.maxStoreBytes);
    }
    const kept = (await listCheckpoints(root, { dataDir })).map((c) => c.label);
    expect(kept.length).toBeLessThanOrEqual(5);
    expect(kept).toEqual(labels.slice(-kept.length).reverse());
    // What is kept is complete: the oldest surviving checkpoint still restores.
    const oldest = (await listCheckpoints(root, { dataDir })).at(-1) as Checkpoint;
    const result = await restore(root, oldest, { dataDir, limits });
    expect(result.failed).toEqual([]);
  });

  it("refuses a checkpoint larger than the whole store, and a folder with too many files", async () => {
    await writeFile(path.join(root, "a.txt"), "x".repeat(50_000));
    await writeFile(path.join(root, "b.txt"), "y");
    expect(await createCheckpoint(root, { dataDir, label: "t", limits: { maxStoreBytes: 10 } })).toMatchObject({
      status: "skipped",
      reason: "too_large",
      message: expect.stringMatching(/^No checkpoint: this project needs/),
    });
    expect(await listCheckpoints(root, { dataDir })).toEqual([]);
    expect(await storeBytes()).toBe(0);

    expect(await createCheckpoint(root, { dataDir, label: "t", limits: { maxFiles: 1 } })).toMatchObject({
      status: "skipped",
      reason: "too_many_files",
    });
    expect(await storeBytes()).toBe(0);
  });

  it("rebuilds its index when it is lost, keeping every checkpoint restorable", async () => {
    await writeTaskFixture(root);
    const before = await treeState(root);
    const first = created(await createCheckpoint(root, { dataDir, label: "one" }));
    await simulateTask(root);
    created(await createCheckpoint(root, { dataDir, label: "two" }));
    const bytes = await storeBytes();
    await rm(path.join(dataDir, "checkpoints", "index.json"));

    await writeFile(path.join(root, "README.md"), "third\n");
    created(await createCheckpoint(root, { dataDir, label: "three" }));
    expect(await storeBytes()).toBeGreaterThan(bytes);
    await restore(root, first, { dataDir });
    expect(await treeState(root)).toEqual(before);
  });
});
