import { readGit } from "./run-git.js";

/** Most changed paths listed in the summary; the rest are counted. */
const MAX_LISTED = 12;

/**
 * A compact `git status` for the preamble: branch and changed paths, or null outside a
 * repository or when git is missing. Bounded by a short timeout so a huge or locked
 * repository can never delay the first model call by much.
 */
export async function gitStatusSummary(root: string, timeoutMs = 1_500): Promise<string | null> {
  const early = prefetched.get(root);
  prefetched.delete(root);
  const porcelain = await (early ?? readPorcelain(root, timeoutMs));
  return porcelain === null ? null : formatStatus(porcelain);
}

/** Statuses started at launch, each taken by the first summary of its root. */
const prefetched = new Map<string, Promise<string | null>>();

/**
 * Starts `git status` for the first request's preamble at launch: the fork is cheaper while
 * the process is still small, and git runs on another core while the modules load. Only
 * for a task known at launch, whose first request follows at once (nothing can change the
 * tree in between: no tool runs before it).
 */
export function prefetchGitStatus(root: string, timeoutMs = 1_500): void {
  if (!prefetched.has(root)) prefetched.set(root, readPorcelain(root, timeoutMs));
}

function readPorcelain(root: string, timeoutMs: number): Promise<string | null> {
  return readGit(root, ["status", "--porcelain=v1", "--branch", "--untracked-files=normal"], timeoutMs);
}

export function formatStatus(porcelain: string): string {
  const lines = porcelain.split("\n").filter((line) => line !== "");
  const header = lines[0]?.startsWith("## ") ? lines.shift()?.slice(3) : undefined;
  const branch = header ? header.replace(/^No commits yet on /, "").split("...")[0] : "unknown";
  if (lines.length === 0) return `branch ${branch}, clean`;
  const listed = lines.slice(0, MAX_LISTED).map((line) => `${line.slice(0, 2).trim()} ${line.slice(3)}`);
  const more = lines.length > MAX_LISTED ? `, +${lines.length - MAX_LISTED} more` : "";
  return `branch ${branch}, ${lines.length} changed: ${listed.join(", ")}${more}`;
}
