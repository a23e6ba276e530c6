/**
 * Opt-in `auto_commit`: after a task that finished well, the files it changed are
 * committed on the user's current branch with `auto_commit_prefix` + a summary of the
 * task. Only the task's own files are staged — whatever else the user had changed stays
 * out of the commit — and the user's own git hooks run: an auto-commit that skipped a
 * pre-commit check would land code the user's rules would have stopped.
 */
import { runGit } from "./run-git.js";

export type AutoCommitResult =
  | { status: "committed"; commit: string; message: string; files: string[] }
  | { status: "skipped"; reason: string };

export interface AutoCommitOptions {
  /** Project-relative paths the task changed. */
  files: readonly string[];
  task: string;
  /** Default "parecode: ". */
  prefix?: string;
}

/** Longest first line of a commit message we write. */
const SUMMARY_CHARS = 72;

export async function autoCommit(root: string, options: AutoCommitOptions): Promise<AutoCommitResult> {
  if (options.files.length === 0) return { status: "skipped", reason: "the task changed no files" };
  const inside = await runGit(root, ["rev-parse", "--is-inside-work-tree"]);
  if (inside.code !== 0) return { status: "skipped", reason: "not a git repository" };
  const busy = await runGit(root, ["rev-parse", "-q", "--verify", "MERGE_HEAD"]);
  if (busy.code === 0) return { status: "skipped", reason: "a merge is in progress; commit it yourself" };

  // `git add -A -- paths` stages edits, new files and deletions of exactly these paths.
  const add = await runGit(root, ["add", "-A", "--", ...options.files]);
  if (add.code !== 0) return { status: "skipped", reason: `git add failed: ${add.stderr || "unknown error"}` };
  const message = commitMessage(options.prefix ?? "parecode: ", options.task);
  const commit = await runGit(root, ["commit", "-q", "-m", message, "--", ...options.files], { timeoutMs: 120_000 });
  if (commit.code !== 0) {
    // Leave the tree as it was: nothing half-staged for the user to untangle.
    await runGit(root, ["reset", "-q", "--", ...options.files]);
    const why = commit.stderr.split("\n").slice(-5).join(" ").trim() || "git commit failed";
    return { status: "skipped", reason: `git commit refused (${why}); the changes are left uncommitted` };
  }
  const head = await runGit(root, ["rev-parse", "--short", "HEAD"]);
  return {
    status: "committed",
    commit: head.stdout.toString().trim(),
    message,
    files: [...options.files],
  };
}

export function commitMessage(prefix: string, task: string): string {
  const oneLine = task.replace(/\s+/g, " ").trim();
  const room = Math.max(10, SUMMARY_CHARS - prefix.length);
  const summary = oneLine.length > room ? `${oneLine.slice(0, room - 1)}…` : oneLine;
  return `${prefix}${summary}`;
}
