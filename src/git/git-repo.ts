/** What checkpoints need to know about the repository a project root sits in. */
import { existsSync } from "node:fs";
import path from "node:path";
import type { CheckpointSkipReason } from "./checkpoint-types.js";
import { runGit } from "./run-git.js";

export interface RepoInfo {
  /** Absolute top of the work tree. */
  toplevel: string;
  /** The root's place below the top: "" or "src/" (always ending in "/"). */
  prefix: string;
  /** This work tree's git dir (per worktree: index, MERGE_HEAD live here). */
  gitDir: string;
}

/**
 * The repository `root` is in, or null when it is in none, git is missing, or the root is
 * ignored by the repository around it (a checkpoint through git would then hold nothing,
 * so such a root is treated as being outside git).
 */
export async function findRepo(root: string): Promise<RepoInfo | null> {
  const run = await runGit(
    root,
    ["rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix", "--absolute-git-dir"],
    { timeoutMs: 10_000 },
  );
  if (run.code !== 0) return null;
  const [inside, toplevel, prefix, gitDir] = run.stdout.toString("utf8").split("\n");
  if (inside !== "true" || !toplevel || !gitDir) return null;
  if (prefix !== "") {
    const ignored = await runGit(root, ["check-ignore", "-q", "--", "."], { timeoutMs: 10_000 });
    if (ignored.code === 0) return null;
  }
  return { toplevel, prefix, gitDir };
}

const IN_PROGRESS: Array<{ file: string; reason: CheckpointSkipReason; what: string; fix: string }> = [
  { file: "MERGE_HEAD", reason: "merge_in_progress", what: "a merge", fix: "git merge --continue or --abort" },
  { file: "rebase-merge", reason: "rebase_in_progress", what: "a rebase", fix: "git rebase --continue or --abort" },
  {
    file: "rebase-apply",
    reason: "rebase_in_progress",
    what: "a rebase or am",
    fix: "git rebase --continue or --abort",
  },
  {
    file: "CHERRY_PICK_HEAD",
    reason: "cherry_pick_in_progress",
    what: "a cherry-pick",
    fix: "git cherry-pick --continue or --abort",
  },
  { file: "REVERT_HEAD", reason: "revert_in_progress", what: "a revert", fix: "git revert --continue or --abort" },
];

/**
 * A merge, rebase, cherry-pick or revert stopped half way: the work tree holds conflict
 * state that is git's to resolve, so there is no checkpoint and no restore until it ends.
 */
export function operationInProgress(repo: RepoInfo): { reason: CheckpointSkipReason; message: string } | null {
  for (const op of IN_PROGRESS) {
    if (existsSync(path.join(repo.gitDir, op.file))) {
      return {
        reason: op.reason,
        message: `No checkpoint: ${op.what} is in progress in this repository, so undo is off until it ends. Finish it (${op.fix}) and checkpoints resume with the next task.`,
      };
    }
  }
  return null;
}
