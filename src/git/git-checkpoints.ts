/**
 * Checkpoints in a git repository: the work tree under the project root (tracked and
 * untracked files, .gitignore respected) written as a commit on a private ref,
 * `refs/parecode/checkpoints/<id>`, through a temporary index. The user's index, branch,
 * HEAD, stash and reflog are never written: the temporary index starts as a copy of
 * theirs (so unchanged files are not hashed again) and is deleted afterwards.
 */
import { copyFile, mkdir, mkdtemp, rename, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { newSortableId } from "../core/sortable-id.js";
import type { Checkpoint, FileChange } from "./checkpoint-types.js";
import type { RepoInfo } from "./git-repo.js";
import { runGit } from "./run-git.js";

const REF_PREFIX = "refs/parecode/checkpoints/";
/** Checkpoint commits carry their own identity, so a machine without user.name works and no hook or signing runs. */
const IDENTITY = {
  GIT_AUTHOR_NAME: "parecode",
  GIT_AUTHOR_EMAIL: "parecode@localhost",
  GIT_COMMITTER_NAME: "parecode",
  GIT_COMMITTER_EMAIL: "parecode@localhost",
};
/** How long to wait for the user's own git to release index.lock before copying their index. */
const INDEX_LOCK_WAIT_MS = 1_000;

export class GitCheckpointError extends Error {}

export interface TreeSnapshot {
  tree: string;
  /** Root-relative untracked files left out for their size. */
  skipped: string[];
}

/**
 * The work tree under `root` as a git tree object (written to the object store, referenced
 * by nothing yet). `indexCache` is parecode's own index file for this root, kept between
 * checkpoints: it remembers the stat data of untracked files too, which the user's index
 * does not, so a large untracked tree is hashed once rather than before every task.
 */
export async function snapshotGitTree(
  root: string,
  repo: RepoInfo,
  maxFileBytes: number,
  indexCache?: string,
): Promise<TreeSnapshot> {
  const temp = await mkdtemp(path.join(tmpdir(), "parecode-index-"));
  const env = { GIT_INDEX_FILE: path.join(temp, "index") };
  try {
    const cached = indexCache
      ? await copyIndex(indexCache, env.GIT_INDEX_FILE).then(
          () => true,
          () => false,
        )
      : false;
    if (!cached) await copyUserIndex(repo.gitDir, env.GIT_INDEX_FILE);
    const skipped = await largeUntracked(root, maxFileBytes);
    // `literal`: a file named `a[1].txt` or `*.bin` is itself, not a pattern.
    const pathspecs = [".", ...skipped.map((file) => `:(exclude,literal)${file}`)];
    const add = await runGit(
      root,
      ["-c", "advice.addEmbeddedRepo=false", "add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"],
      { env, input: pathspecs.join("\0") },
    );
    if (add.code !== 0) throw new GitCheckpointError(`git add failed: ${add.stderr || "no message"}`);
    const written = await runGit(root, ["write-tree"], { env });
    if (written.code !== 0) throw new GitCheckpointError(`git write-tree failed: ${written.stderr}`);
    if (indexCache) await keepIndex(env.GIT_INDEX_FILE, indexCache);
    return { tree: written.stdout.toString("utf8").trim(), skipped };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * A copy of the user's index carries their stat data, so `git add -A` hashes only files
 * that changed instead of the whole tree. While their own git holds index.lock the index
 * is being replaced: wait briefly for the new one, and copy the old one if it takes long
 * (the copy is only a cache; `add -A` makes the result exact either way).
 */
async function copyUserIndex(gitDir: string, into: string): Promise<void> {
  const deadline = Date.now() + INDEX_LOCK_WAIT_MS;
  while (Date.now() < deadline && (await exists(path.join(gitDir, "index.lock")))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  try {
    await copyIndex(path.join(gitDir, "index"), into);
  } catch {
    // No index yet (a fresh repository): start from an empty one.
  }
}

/**
 * A copy keeps the original's modification time. Git trusts an entry's stat data only
 * when the file is older than the index ("racy git"): a copy stamped now would make a
 * same-size edit made in the same second as the last index write look unchanged.
 */
async function copyIndex(from: string, to: string): Promise<void> {
  const { atime, mtime } = await stat(from);
  await copyFile(from, to);
  await utimes(to, atime, mtime);
}

/** Copied next to the cache, then renamed over it: another parecode never reads half an index. */
async function keepIndex(from: string, cache: string): Promise<void> {
  try {
    await mkdir(path.dirname(cache), { recursive: true });
    const temp = `${cache}.${process.pid}.tmp`;
    await copyIndex(from, temp);
    await rename(temp, cache);
  } catch {
    // Only a cache: the next checkpoint starts from the user's index instead.
  }
}

async function largeUntracked(root: string, maxFileBytes: number): Promise<string[]> {
  const run = await runGit(root, ["ls-files", "-z", "--others", "--exclude-standard", "--", "."]);
  if (run.code !== 0) return [];
  // A nested repository is listed as "dir/": git add records it as a gitlink, never its files.
  const files = run.stdout
    .toString("utf8")
    .split("\0")
    .filter((f) => f !== "" && !f.endsWith("/"));
  const large: string[] = [];
  for (let i = 0; i < files.length; i += 256) {
    const sizes = await Promise.all(
      files.slice(i, i + 256).map((file) =>
        stat(path.join(root, file)).then(
          (s) => (s.isFile() ? s.size : 0),
          () => 0,
        ),
      ),
    );
    sizes.forEach((size, j) => {
      if (size > maxFileBytes) large.push(files[i + j]);
    });
  }
  return large.sort();
}

interface CheckpointMeta {
  id: string;
  root: string;
  created: string;
  label: string;
  skipped: string[];
}

export async function commitGitCheckpoint(
  root: string,
  repo: RepoInfo,
  label: string,
  snapshot: TreeSnapshot,
): Promise<Checkpoint> {
  const meta: CheckpointMeta = {
    id: newSortableId(),
    root,
    created: new Date().toISOString(),
    label,
    skipped: snapshot.skipped,
  };
  const title = label.replace(/\s+/g, " ").trim().slice(0, 100);
  const message = `parecode checkpoint: ${title}\n\nparecode-meta: ${JSON.stringify(meta)}\n`;
  const commit = await runGit(repo.toplevel, ["commit-tree", "--no-gpg-sign", snapshot.tree, "-F", "-"], {
    env: IDENTITY,
    input: message,
  });
  if (commit.code !== 0) throw new GitCheckpointError(`git commit-tree failed: ${commit.stderr}`);
  const sha = commit.stdout.toString("utf8").trim();
  // "" as the old value: create only, never move an existing ref. No reflog for our refs.
  const ref = await runGit(repo.toplevel, [
    "-c",
    "core.logAllRefUpdates=false",
    "update-ref",
    `${REF_PREFIX}${meta.id}`,
    sha,
    "",
  ]);
  if (ref.code !== 0) throw new GitCheckpointError(`git update-ref failed: ${ref.stderr}`);
  return { ...meta, kind: "git", tree: snapshot.tree, commit: sha };
}

/** This root's checkpoints in the repository, newest first. */
export async function listGitCheckpoints(root: string, repo: RepoInfo): Promise<Checkpoint[]> {
  const run = await runGit(repo.toplevel, [
    "for-each-ref",
    "--format=%(objectname)%00%(tree)%00%(contents)%1e",
    REF_PREFIX,
  ]);
  if (run.code !== 0) return [];
  const found: Checkpoint[] = [];
  for (const record of run.stdout.toString("utf8").split("\x1e")) {
    const [commit, tree, contents] = record.replace(/^\n/, "").split("\0");
    const line = contents?.split("\n").find((l) => l.startsWith("parecode-meta: "));
    if (!commit || !tree || !line) continue;
    try {
      const meta = JSON.parse(line.slice("parecode-meta: ".length)) as CheckpointMeta;
      if (meta.root !== root) continue;
      found.push({ ...meta, skipped: meta.skipped ?? [], kind: "git", tree, commit });
    } catch {
      // Not one of ours, or damaged: leave it out.
    }
  }
  return found.sort(newestFirst);
}

export function newestFirst(a: Checkpoint, b: Checkpoint): number {
  return b.created.localeCompare(a.created) || b.id.localeCompare(a.id);
}

/** Drops this root's checkpoints beyond the newest `keep` (never `protect`); git's own gc then reclaims their objects. */
export async function pruneGitCheckpoints(
  root: string,
  repo: RepoInfo,
  keep: number,
  protect?: string,
): Promise<number> {
  const old = (await listGitCheckpoints(root, repo)).slice(Math.max(keep, 1)).filter((cp) => cp.id !== protect);
  if (old.length === 0) return 0;
  const input = old.map((cp) => `delete ${REF_PREFIX}${cp.id}\n`).join("");
  await runGit(repo.toplevel, ["-c", "core.logAllRefUpdates=false", "update-ref", "--stdin"], { input });
  return old.length;
}

/** Paths under the root that differ between two trees, root-relative. */
export async function gitTreeChanges(root: string, repo: RepoInfo, from: string, to: string): Promise<FileChange[]> {
  const run = await runGit(root, ["diff-tree", "-r", "-z", "--no-renames", "--raw", from, to, "--", "."]);
  if (run.code !== 0) throw new GitCheckpointError(`git diff-tree failed: ${run.stderr}`);
  const fields = run.stdout.toString("utf8").split("\0");
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, oldId, newId, status] = fields[i].replace(/^:/, "").split(" ");
    const full = fields[i + 1];
    if (!full.startsWith(repo.prefix)) continue;
    const file = full.slice(repo.prefix.length);
    const before = { mode: Number.parseInt(oldMode, 8), id: oldId };
    const after = { mode: Number.parseInt(newMode, 8), id: newId };
    if (status === "A") changes.push({ path: file, kind: "added", after });
    else if (status === "D") changes.push({ path: file, kind: "deleted", before });
    else changes.push({ path: file, kind: oldId === newId ? "mode_changed" : "modified", before, after });
  }
  return changes;
}

/** Contents of blobs by id, through one `git cat-file --batch`. Missing ids are absent from the map. */
export async function readGitBlobs(repo: RepoInfo, ids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(ids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const run = await runGit(repo.toplevel, ["cat-file", "--batch"], { input: `${unique.join("\n")}\n` });
  const out = run.stdout;
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [id, type, size] = out.subarray(at, eol).toString("utf8").split(" ");
    at = eol + 1;
    if (type === "missing" || size === undefined) continue;
    const length = Number(size);
    blobs.set(id, out.subarray(at, at + length));
    at += length + 1;
  }
  return blobs;
}

/**
 * Writes `files` (root-relative) from `tree` into the work tree with their modes, through a
 * temporary index, so the user's index is untouched. Returns the paths git refused, with why.
 */
export async function checkoutFromTree(
  root: string,
  tree: string,
  files: string[],
): Promise<Array<{ path: string; error: string }>> {
  if (files.length === 0) return [];
  const temp = await mkdtemp(path.join(tmpdir(), "parecode-index-"));
  const env = { GIT_INDEX_FILE: path.join(temp, "index") };
  try {
    const read = await runGit(root, ["read-tree", tree], { env });
    if (read.code !== 0) return files.map((file) => ({ path: file, error: read.stderr }));
    const out = await runGit(root, ["checkout-index", "-f", "-z", "--stdin"], {
      env,
      input: `${files.join("\0")}\0`,
    });
    if (out.code === 0) return [];
    const failed = files.filter((file) => out.stderr.includes(file));
    return (failed.length > 0 ? failed : files).map((file) => ({ path: file, error: out.stderr }));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
