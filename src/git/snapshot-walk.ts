/**
 * Walks a project outside git and turns it into snapshot trees: one tree object per
 * directory (name, type, mode, content hash of each entry), built bottom-up, so two
 * snapshots share every directory that did not change and comparing them skips whole
 * unchanged subtrees. A stat cache from the previous snapshot (size, mtime, ctime,
 * inode) spares re-reading files that did not change.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { encodeTree, hashObject, type TreeEntry } from "./snapshot-objects.js";

/** Heavy or tool-owned folders never saved, .gitignore or not. */
const SKIPPED_DIRS = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  ".venv",
  "__pycache__",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".next",
  ".turbo",
]);
/** Files modified this close to a walk are not trusted from the stat cache next time. */
const RACY_MS = 2_000;
/** Files read at once; enough to keep the disk busy without exhausting descriptors. */
const PARALLEL_READS = 64;

/** path → [size, mtimeMs, ctimeMs, inode, hash] */
export type StatCache = Map<string, [number, number, number, number, string]>;

export interface WalkOptions {
  root: string;
  maxFileBytes: number;
  maxFiles: number;
  previous: StatCache;
  /** Whether a cached hash may stand in for reading the file (when storing: only if its object is still stored). */
  reusable(hash: string): boolean;
  /** Each file read (not served from the stat cache): store it when snapshotting for a checkpoint. */
  onBlob?(hash: string, content: Buffer): Promise<void>;
  /** Each directory's tree, children before parents. */
  onTree(hash: string, entries: TreeEntry[], content: Buffer): Promise<void>;
}

export interface WalkResult {
  tree: string;
  files: number;
  /** Root-relative files over the size cap. */
  skipped: string[];
  stats: StatCache;
}

export class TooManyFilesError extends Error {}

interface Scope {
  base: string;
  rules: Ignore;
}

export async function walkSnapshot(options: WalkOptions): Promise<WalkResult> {
  const started = Date.now();
  const stats: StatCache = new Map();
  const skipped: string[] = [];
  let files = 0;

  const fileEntry = async (abs: string, rel: string, name: string): Promise<TreeEntry | undefined> => {
    const st = await lstat(abs).catch(() => undefined);
    if (!st) return undefined; // removed while we walked
    if (++files > options.maxFiles) throw new TooManyFilesError();
    if (st.isSymbolicLink()) {
      const target = Buffer.from(await readlink(abs));
      const hash = hashObject("blob", target);
      await options.onBlob?.(hash, target);
      return [name, "l", 0o120000, hash];
    }
    if (!st.isFile()) return undefined;
    if (st.size > options.maxFileBytes) {
      skipped.push(rel);
      return [name, "s", 0, ""];
    }
    const cached = options.previous.get(rel);
    let hash: string;
    if (
      cached &&
      cached[0] === st.size &&
      cached[1] === st.mtimeMs &&
      cached[2] === st.ctimeMs &&
      cached[3] === st.ino &&
      options.reusable(cached[4])
    ) {
      hash = cached[4];
    } else {
      const content = await readFile(abs).catch(() => undefined);
      if (!content) return undefined;
      hash = hashObject("blob", content);
      await options.onBlob?.(hash, content);
    }
    // A file changed just before the walk could change again within the same timestamp tick
    // (coarse on some file systems) without its stats moving: read it again next time.
    if (st.mtimeMs < started - RACY_MS && st.ctimeMs < started - RACY_MS) {
      stats.set(rel, [st.size, st.mtimeMs, st.ctimeMs, st.ino, hash]);
    }
    return [name, "f", 0o100000 | (st.mode & 0o777), hash];
  };

  const walkDir = async (abs: string, rel: string, scopes: Scope[]): Promise<string | undefined> => {
    const dirents: Dirent[] = await readdir(abs, { withFileTypes: true }).catch(() => []);
    const rules = dirents.some((d) => d.name === ".gitignore" && d.isFile())
      ? await readFile(path.join(abs, ".gitignore"), "utf8").catch(() => "")
      : "";
    const inner = rules === "" ? scopes : [...scopes, { base: rel, rules: ignore().add(rules) }];
    const entries: TreeEntry[] = [];
    const pending: Array<() => Promise<TreeEntry | undefined>> = [];
    for (const dirent of dirents) {
      const childRel = rel === "" ? dirent.name : `${rel}/${dirent.name}`;
      const childAbs = path.join(abs, dirent.name);
      if (dirent.isDirectory()) {
        if (SKIPPED_DIRS.has(dirent.name) || isIgnored(inner, childRel, true)) continue;
        const hash = await walkDir(childAbs, childRel, inner);
        // Like git, a folder with nothing saved in it is not recorded.
        if (hash) entries.push([dirent.name, "d", 0o40000, hash]);
      } else if (!isIgnored(inner, childRel, false)) {
        pending.push(() => fileEntry(childAbs, childRel, dirent.name));
      }
    }
    for (let i = 0; i < pending.length; i += PARALLEL_READS) {
      // allSettled: an error must not leave reads still storing objects after the caller cleaned up.
      const done = await Promise.allSettled(pending.slice(i, i + PARALLEL_READS).map((task) => task()));
      for (const outcome of done) {
        if (outcome.status === "rejected") throw outcome.reason;
        if (outcome.value) entries.push(outcome.value);
      }
    }
    if (entries.length === 0 && rel !== "") return undefined;
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const content = encodeTree(entries);
    const hash = hashObject("tree", content);
    await options.onTree(hash, entries, content);
    return hash;
  };

  const tree = (await walkDir(options.root, "", [])) as string;
  return { tree, files, skipped: skipped.sort(), stats };
}

/** Deeper .gitignore files decide first; a `!` rule there re-includes what a shallower one ignores. */
function isIgnored(scopes: Scope[], rel: string, isDir: boolean): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const { base, rules } = scopes[i];
    const sub = base === "" ? rel : rel.slice(base.length + 1);
    const verdict = rules.test(isDir ? `${sub}/` : sub);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
