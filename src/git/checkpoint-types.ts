/**
 * Checkpoints: the whole working tree of a project saved before each task, so any task
 * (edits by tools and by bash alike) can be diffed and undone. Two backends share these
 * types: a private git ref in a repository, a content-addressed snapshot store outside.
 */

/** "auto": git inside a work tree (unless the root is ignored there), the snapshot store elsewhere. */
export type CheckpointMode = "auto" | "git" | "files";

export interface CheckpointLimits {
  /** Snapshot store: total bytes of all stored objects, across projects; oldest checkpoints pruned past it. */
  maxStoreBytes: number;
  /** Snapshot store: checkpoints kept across projects. Git: checkpoints kept per project root. */
  maxCheckpoints: number;
  /** Files above this size are not saved (recorded as skipped); in git, only untracked ones. */
  maxFileBytes: number;
  /** Snapshot store: a project with more files than this (outside ignored folders) gets no checkpoint. */
  maxFiles: number;
}

export const DEFAULT_CHECKPOINT_LIMITS: CheckpointLimits = {
  maxStoreBytes: 500 * 1024 * 1024,
  maxCheckpoints: 200,
  maxFileBytes: 10 * 1024 * 1024,
  maxFiles: 100_000,
};

export interface CheckpointOptions {
  /** parecode's data folder (config/paths.ts `dataDir(env)`); the snapshot store lives under it. */
  dataDir: string;
  mode?: CheckpointMode;
  limits?: Partial<CheckpointLimits>;
}

export interface CreateCheckpointOptions extends CheckpointOptions {
  /** What the checkpoint was taken before, e.g. the task; shown by diff and undo. */
  label: string;
}

export interface Checkpoint {
  id: string;
  kind: "git" | "files";
  /** Absolute, real path of the project root. */
  root: string;
  label: string;
  /** ISO time. */
  created: string;
  /** Git: the tree of the checkpoint commit (whole repository); files: the root tree object. */
  tree: string;
  /** Git: the commit on refs/parecode/checkpoints/<id>. */
  commit?: string;
  /** Root-relative paths left out for their size; a restore never touches them. */
  skipped: string[];
}

export type CheckpointSkipReason =
  | "merge_in_progress"
  | "rebase_in_progress"
  | "cherry_pick_in_progress"
  | "revert_in_progress"
  | "too_large"
  | "too_many_files"
  | "store_busy"
  | "git_failed";

export type CreateCheckpointResult =
  | { status: "created"; checkpoint: Checkpoint; durationMs: number }
  /** No checkpoint was taken; `message` says why and what to do, for the caller to print. */
  | { status: "skipped"; reason: CheckpointSkipReason; message: string };

/** Git-style modes: 0o100644, 0o100755 (files: any permission bits), 0o120000 symlink, 0o160000 submodule. */
export interface FileVersion {
  mode: number;
  /** Object id (git sha, or snapshot-store hash). */
  id: string;
}

export type ChangeKind = "added" | "modified" | "deleted" | "mode_changed";

/** One path that differs between a checkpoint (`before`) and now (`after`). */
export interface FileChange {
  /** Relative to the project root, `/`-separated. */
  path: string;
  kind: ChangeKind;
  before?: FileVersion;
  after?: FileVersion;
}

export interface FileDiff extends FileChange {
  /** Git-style unified diff of this file (headers, mode lines, hunks). */
  patch: string;
  binary: boolean;
}

export interface DiffSummary {
  added: number;
  modified: number;
  deleted: number;
  modeChanged: number;
}

export interface DiffResult {
  checkpoint: Checkpoint;
  files: FileDiff[];
  summary: DiffSummary;
}

/** What a restore does to one path, seen from now: undo an addition, a deletion, an edit or a chmod. */
export type RestoreAction = "remove" | "recreate" | "revert" | "chmod";

export interface RestorePlan {
  checkpoint: Checkpoint;
  actions: Array<{ path: string; action: RestoreAction }>;
  /** Paths a restore leaves as they are, and why (a submodule, a file too large to save). */
  kept: Array<{ path: string; reason: string }>;
}

export interface RestoreResult {
  plan: RestorePlan;
  /** The checkpoint of the state just before the restore: restoring it undoes the undo. */
  undoCheckpoint: Checkpoint;
  /** Folders removed because the restore left them empty. */
  removedDirs: string[];
  /** Paths that could not be restored, with the reason; empty when everything went through. */
  failed: Array<{ path: string; error: string }>;
}
