import { readGit } from "./run-git.js";

/** Most changed paths listed in the summary; the rest are counted. */
const MAX_LISTED = 12;

/**
 * A compact `git status` for the preamble: branch and changed paths, or null outside a
 * repository or when git is missing. Bounded by a short timeout so a huge or locked
 * repository can never delay the first model call by much.
 */
export async function gitStatusSummary(root: string, timeoutMs = 1_500): Promise<string | null> {
  const porcelain = await readGit(
    root,
    ["status", "--porcelain=v1", "--branch", "--untracked-files=normal"],
    timeoutMs,
  );
  return porcelain === null ? null : formatStatus(porcelain);
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
