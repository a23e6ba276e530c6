/**
 * Checkpoints, diff and undo: the public API runtime/ and cli/ call. A checkpoint is
 * taken before each task and holds the whole tree under the project root, so whatever
 * changed it (edit tools, bash, a code generator) can be shown and undone. A restore first
 * checkpoints the current state, so every undo can itself be undone.
 *
 * Paths in every result are relative to the project root; nothing outside it is read
 * for a diff or touched by a restore, even when the repository is larger.
 */
import { createHash } from "node:crypto";
import { readFile, readlink, realpath, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { ParecodeError } from "../core/errors.js";
import {
  type Checkpoint,
  type CheckpointLimits,
  type CheckpointOptions,
  type CreateCheckpointOptions,
  type CreateCheckpointResult,
  DEFAULT_CHECKPOINT_LIMITS,
  type DiffResult,
  type FileChange,
  type RestorePlan,
  type RestoreResult,
} from "./checkpoint-types.js";
import { formatBytes } from "./format-bytes.js";
import {
  checkoutFromTree,
  commitGitCheckpoint,
  GitCheckpointError,
  gitTreeChanges,
  listGitCheckpoints,
  newestFirst,
  pruneGitCheckpoints,
  readGitBlobs,
  snapshotGitTree,
} from "./git-checkpoints.js";
import { findRepo, operationInProgress, type RepoInfo } from "./git-repo.js";
import { compareSnapshotTrees } from "./snapshot-compare.js";
import { type ObjectStore, openObjectStore } from "./snapshot-objects.js";
import {
  createFilesCheckpoint,
  findEntry,
  listFilesCheckpoints,
  snapshotFilesNow,
  snapshotStoreDir,
  writeStoredFile,
} from "./snapshot-store.js";
import { renderFileDiff, summarise } from "./unified-diff.js";

/** A diff or restore that cannot go ahead; the message names the fix. Exit 1. */
export class CheckpointError extends ParecodeError {
  constructor(message: string) {
    super(message, 1);
  }
}

/**
 * parecode's own append-only log (an undo must not erase the record of the tasks it
 * undoes) and the ignore file that keeps that log out of the user's commits.
 */
const NEVER_RESTORED = new Set([".parecode/telemetry.jsonl", ".parecode/.gitignore"]);
const SUBMODULE = 0o160000;
const MAX_LABEL = 2_000;

export async function createCheckpoint(
  root: string,
  options: CreateCheckpointOptions & { protect?: string },
): Promise<CreateCheckpointResult> {
  const started = Date.now();
  const real = await realpath(root);
  const limits = limitsOf(options);
  const label = options.label.slice(0, MAX_LABEL);
  const repo = options.mode === "files" ? null : await findRepo(real);
  if (!repo) {
    if (options.mode === "git") throw new CheckpointError(notInGit(real));
    return createFilesCheckpoint(real, label, {
      storeDir: snapshotStoreDir(options.dataDir),
      limits,
      protect: options.protect,
    });
  }
  const busy = operationInProgress(repo);
  if (busy) return { status: "skipped", ...busy };
  try {
    const snapshot = await snapshotGitTree(real, repo, limits.maxFileBytes, gitIndexCache(options.dataDir, real));
    const checkpoint = await commitGitCheckpoint(real, repo, label, snapshot);
    await pruneGitCheckpoints(real, repo, limits.maxCheckpoints, options.protect);
    return { status: "created", checkpoint, durationMs: Date.now() - started };
  } catch (err) {
    if (!(err instanceof GitCheckpointError)) throw err;
    return { status: "skipped", reason: "git_failed", message: `No checkpoint: ${err.message}` };
  }
}

/** This project's checkpoints, newest first: git ones in a repository, and any from the snapshot store. */
export async function listCheckpoints(root: string, options: CheckpointOptions): Promise<Checkpoint[]> {
  const real = await realpath(root);
  const repo = options.mode === "files" ? null : await findRepo(real);
  const git = repo ? await listGitCheckpoints(real, repo) : [];
  const files = options.mode === "git" ? [] : await listFilesCheckpoints(real, snapshotStoreDir(options.dataDir));
  return [...git, ...files].sort(newestFirst);
}

export async function diffSince(root: string, checkpoint: Checkpoint, options: CheckpointOptions): Promise<DiffResult> {
  const real = await realpath(root);
  const compared = await compareWithNow(real, checkpoint, options);
  const { changes } = compared;
  let before: (change: FileChange) => Buffer | undefined;
  let after: (change: FileChange) => Promise<Buffer | undefined>;
  if (compared.kind === "git") {
    const ids = changes.flatMap((c) => [c.before, c.after]).flatMap((v) => (v && v.mode !== SUBMODULE ? [v.id] : []));
    const blobs = await readGitBlobs(compared.repo, ids);
    before = (c) => (c.before ? blobs.get(c.before.id) : undefined);
    after = async (c) => (c.after ? blobs.get(c.after.id) : undefined);
    const files = await Promise.all(changes.map(async (c) => renderFileDiff(c, before(c), await after(c))));
    return { checkpoint, files, summary: summarise(changes) };
  }
  const { store } = compared;
  const files = [];
  for (const change of changes) {
    const old = change.before ? await store.get(change.before.id).catch(() => undefined) : undefined;
    const now = change.after ? await readWorkingFile(real, change.path, change.after.mode) : undefined;
    files.push(renderFileDiff(change, old, now));
  }
  return { checkpoint, files, summary: summarise(changes) };
}

/** Exactly what `restore` would change now, without changing anything. */
export async function planRestore(
  root: string,
  checkpoint: Checkpoint,
  options: CheckpointOptions,
): Promise<RestorePlan> {
  const real = await realpath(root);
  const compared = await compareWithNow(real, checkpoint, options);
  return toPlan(checkpoint, compared.changes, compared.skipped, limitsOf(options));
}

/**
 * Puts the tree under the root back as it was at `checkpoint`: files created since are
 * removed (and folders they leave empty), edited and deleted ones written back with their
 * modes. Ignored files, submodules and files too large to save are left alone. The state
 * just before is checkpointed first; when that is impossible nothing is changed.
 */
export async function restore(
  root: string,
  checkpoint: Checkpoint,
  options: CheckpointOptions,
): Promise<RestoreResult> {
  const real = await realpath(root);
  const repo = checkpoint.kind === "git" ? await requireRepo(real) : null;
  if (repo) {
    const busy = operationInProgress(repo);
    if (busy) throw new CheckpointError(busy.message.replace(/^No checkpoint/, "Nothing was restored"));
  }
  const saved = await createCheckpoint(real, {
    ...options,
    mode: checkpoint.kind,
    label: `undo of: ${checkpoint.label.replace(/\s+/g, " ").slice(0, 200)}`,
    protect: checkpoint.id,
  });
  if (saved.status !== "created") {
    throw new CheckpointError(`Nothing was restored: the current state could not be saved first. ${saved.message}`);
  }
  const undoCheckpoint = saved.checkpoint;
  const limits = limitsOf(options);

  let changes: FileChange[];
  let skipped: string[];
  let store: ObjectStore | undefined;
  if (repo) {
    changes = await gitTreeChanges(real, repo, checkpoint.tree, undoCheckpoint.tree);
    skipped = [...checkpoint.skipped, ...undoCheckpoint.skipped];
  } else {
    store = await openObjectStore(snapshotStoreDir(options.dataDir));
    const compared = await compareSnapshotTrees(store, checkpoint.tree, undoCheckpoint.tree);
    changes = compared.changes;
    skipped = [...compared.skipped, ...checkpoint.skipped, ...undoCheckpoint.skipped];
  }
  const plan = toPlan(checkpoint, changes, skipped, limits);
  const failed: RestoreResult["failed"] = [];

  const removed = plan.actions.filter((a) => a.action === "remove").map((a) => a.path);
  for (const file of removed) {
    try {
      await rm(path.join(real, ...file.split("/")), { force: true });
    } catch (err) {
      failed.push({ path: file, error: (err as Error).message });
    }
  }
  const removedDirs = await removeEmptyParents(real, removed);

  const written = plan.actions.filter((a) => a.action !== "remove").map((a) => a.path);
  if (repo) {
    failed.push(...(await checkoutFromTree(real, checkpoint.tree, written)));
  } else if (store) {
    const source = { getTree: (hash: string) => (store as ObjectStore).getTree(hash) };
    for (const file of written) {
      try {
        const entry = await findEntry(source, checkpoint.tree, file);
        if (!entry) throw new Error("missing from the checkpoint");
        await writeStoredFile(real, file, entry, store);
      } catch (err) {
        failed.push({ path: file, error: (err as Error).message });
      }
    }
  }
  return { plan, undoCheckpoint, removedDirs, failed };
}

type Compared =
  | { kind: "git"; repo: RepoInfo; changes: FileChange[]; skipped: string[] }
  | { kind: "files"; store: ObjectStore; changes: FileChange[]; skipped: string[] };

async function compareWithNow(real: string, checkpoint: Checkpoint, options: CheckpointOptions): Promise<Compared> {
  const limits = limitsOf(options);
  if (checkpoint.kind === "git") {
    const repo = await requireRepo(real);
    let now: Awaited<ReturnType<typeof snapshotGitTree>>;
    try {
      now = await snapshotGitTree(real, repo, limits.maxFileBytes, gitIndexCache(options.dataDir, real));
    } catch (err) {
      throw new CheckpointError(`Could not read the current state through git: ${(err as Error).message}`);
    }
    const skipped = [...checkpoint.skipped, ...now.skipped];
    const changes = await gitTreeChanges(real, repo, checkpoint.tree, now.tree);
    return { kind: "git", repo, ...withoutKept(changes, skipped) };
  }
  const now = await snapshotFilesNow(real, { storeDir: snapshotStoreDir(options.dataDir), limits });
  const compared = await compareSnapshotTrees(now.source, checkpoint.tree, now.tree);
  const skipped = [...compared.skipped, ...checkpoint.skipped, ...now.skipped];
  return { kind: "files", store: now.store, ...withoutKept(compared.changes, skipped) };
}

function withoutKept(changes: FileChange[], skipped: string[]): { changes: FileChange[]; skipped: string[] } {
  const kept = new Set(skipped);
  return {
    changes: changes.filter((c) => !kept.has(c.path) && !NEVER_RESTORED.has(c.path)),
    skipped: [...kept].sort(),
  };
}

function toPlan(
  checkpoint: Checkpoint,
  changes: FileChange[],
  skipped: string[],
  limits: CheckpointLimits,
): RestorePlan {
  const filtered = withoutKept(changes, skipped);
  const plan: RestorePlan = { checkpoint, actions: [], kept: [] };
  const cap = formatBytes(limits.maxFileBytes);
  for (const file of filtered.skipped) {
    plan.kept.push({ path: file, reason: `over ${cap}, not saved in checkpoints, so left as it is` });
  }
  for (const change of filtered.changes) {
    if (change.before?.mode === SUBMODULE || change.after?.mode === SUBMODULE) {
      const at = change.before ? `at ${change.before.id.slice(0, 12)} in the checkpoint` : "not in the checkpoint";
      plan.kept.push({ path: change.path, reason: `submodule (${at}); left as it is: use git submodule update` });
      continue;
    }
    const action =
      change.kind === "added"
        ? "remove"
        : change.kind === "deleted"
          ? "recreate"
          : change.kind === "modified"
            ? "revert"
            : "chmod";
    plan.actions.push({ path: change.path, action });
  }
  plan.kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return plan;
}

/** Folders that held removed files and are now empty, deepest first, never the root itself. */
async function removeEmptyParents(root: string, removed: string[]): Promise<string[]> {
  const candidates = new Set<string>();
  for (const file of removed) {
    const parts = file.split("/");
    for (let i = parts.length - 1; i > 0; i--) candidates.add(parts.slice(0, i).join("/"));
  }
  const ordered = [...candidates].sort((a, b) => b.split("/").length - a.split("/").length || (a < b ? -1 : 1));
  const gone: string[] = [];
  for (const dir of ordered) {
    try {
      await rmdir(path.join(root, ...dir.split("/")));
      gone.push(dir);
    } catch {
      // Not empty (other files, ignored files) or already gone: it stays.
    }
  }
  return gone.sort();
}

async function readWorkingFile(root: string, file: string, mode: number): Promise<Buffer | undefined> {
  const abs = path.join(root, ...file.split("/"));
  try {
    return mode === 0o120000 ? Buffer.from(await readlink(abs)) : await readFile(abs);
  } catch {
    return undefined;
  }
}

async function requireRepo(real: string): Promise<RepoInfo> {
  const repo = await findRepo(real);
  if (!repo) throw new CheckpointError(notInGit(real));
  return repo;
}

function notInGit(root: string): string {
  return `${root} is not in a git repository (or git is missing), so its git checkpoints cannot be used here. Run parecode in the repository the checkpoint was taken in.`;
}

/** parecode's own index for a root, under the data folder: never inside the user's repository. */
function gitIndexCache(dataDir: string, root: string): string {
  return path.join(
    snapshotStoreDir(dataDir),
    "git-index",
    createHash("sha256").update(root).digest("hex").slice(0, 24),
  );
}

function limitsOf(options: CheckpointOptions): CheckpointLimits {
  return { ...DEFAULT_CHECKPOINT_LIMITS, ...options.limits };
}

export {
  type Checkpoint,
  type CheckpointLimits,
  type CheckpointMode,
  type CheckpointOptions,
  type CheckpointSkipReason,
  type CreateCheckpointOptions,
  type CreateCheckpointResult,
  DEFAULT_CHECKPOINT_LIMITS,
  type DiffResult,
  type DiffSummary,
  type FileChange,
  type FileDiff,
  type RestoreAction,
  type RestorePlan,
  type RestoreResult,
} from "./checkpoint-types.js";
