import { stat } from "node:fs/promises";
import path from "node:path";
import { readGit } from "./run-git.js";

/**
 * What the working tree looked like at one moment: each path git reports as changed or
 * untracked, with its modification time. Comparing two of these finds every file a task
 * changed, including through bash (`sed -i`, a code generator), which no tool reports.
 */
export interface TreeSnapshot {
  root: string;
  /** Where `root` sits inside the repository ("" at its top, "src/" below it), as git prints it. */
  prefix: string;
  /** Project-relative path → mtime (ms), or -1 when the path is gone. */
  dirty: Map<string, number>;
}

/**
 * Past this many changed paths the comparison is skipped: statting them all would compete
 * with the first model request, and a task's own changes would be lost in the noise.
 */
const MAX_TRACKED = 5_000;

/** Null outside a git repository, when git is missing or too slow, or with too many changes to track. */
export async function snapshotWorkingTree(root: string, timeoutMs = 3_000): Promise<TreeSnapshot | null> {
  const prefix = await readGit(root, ["rev-parse", "--show-prefix"], timeoutMs);
  if (prefix === null) return null;
  const snapshot = { root, prefix: prefix.trim(), dirty: new Map<string, number>() };
  const paths = await dirtyPaths(snapshot, timeoutMs);
  if (!paths || paths.length > MAX_TRACKED) return null;
  snapshot.dirty = await withMtimes(root, paths);
  return snapshot;
}

/** Paths changed since `before`: newly dirty, dirty with a new mtime, or deleted. Sorted. */
export async function changedSince(before: TreeSnapshot, timeoutMs = 3_000): Promise<string[]> {
  const paths = await dirtyPaths(before, timeoutMs);
  if (!paths || paths.length > MAX_TRACKED) return [];
  const after = await withMtimes(before.root, paths);
  const changed = [...after].filter(([file, mtime]) => before.dirty.get(file) !== mtime).map(([file]) => file);
  return changed.sort();
}

async function withMtimes(root: string, paths: string[]): Promise<Map<string, number>> {
  const entries = await Promise.all(
    paths.map(async (file) => {
      try {
        return [file, (await stat(path.join(root, file))).mtimeMs] as const;
      } catch {
        return [file, -1] as const;
      }
    }),
  );
  return new Map(entries);
}

/**
 * `git status` paths (NUL-separated, so spaces and quotes need no unescaping), renames as
 * their new name. An untracked folder is one entry ("tmp/"), not every file inside it.
 * Only paths under the root, relative to it: porcelain output is relative to the top of
 * the repository whatever the working directory, so from `repo/src` it says `src/a.ts`,
 * and without the pathspec it would list `repo/other.ts` as if it were inside the root.
 */
async function dirtyPaths(
  snapshot: Pick<TreeSnapshot, "root" | "prefix">,
  timeoutMs: number,
): Promise<string[] | null> {
  const stdout = await readGit(
    snapshot.root,
    ["status", "--porcelain=v1", "-z", "--untracked-files=normal", "--", "."],
    timeoutMs,
    16 * 1024 * 1024,
  );
  if (stdout === null) return null;
  const fields = stdout.split("\0");
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (entry.length < 4) continue;
    const file = entry.slice(3);
    if (file.startsWith(snapshot.prefix)) paths.push(file.slice(snapshot.prefix.length));
    // A rename or copy is followed by its source path, which is not a change of its own.
    if (entry[0] === "R" || entry[0] === "C") i++;
  }
  return paths;
}
