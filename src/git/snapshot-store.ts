/**
 * Checkpoints outside git: a content-addressed snapshot store under parecode's data
 * folder, shared by all projects and bounded in total (bytes and checkpoints), the
 * oldest checkpoints pruned first. Layout under `<dataDir>/checkpoints/`:
 *   packs/<name>.pack     deflated file contents and directory trees, by content hash
 *   index.json            where each object is, and its reference count
 *   records/<id>.json     one per checkpoint: project root, label, time, root tree
 *   stat-cache/<key>.json per project: the last snapshot's file stats, to skip unchanged files
 *   lock                  held while the store is written
 */
import { createHash } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { newSortableId } from "../core/sortable-id.js";
import type { Checkpoint, CheckpointLimits, CreateCheckpointResult } from "./checkpoint-types.js";
import { formatBytes } from "./format-bytes.js";
import { newestFirst } from "./git-checkpoints.js";
import type { TreeSource } from "./snapshot-compare.js";
import { type ObjectStore, openObjectStore, type TreeEntry } from "./snapshot-objects.js";
import { type StatCache, TooManyFilesError, walkSnapshot } from "./snapshot-walk.js";

const LOCK_WAIT_MS = 10_000;
/** A lock older than this was left by a process that died holding it. */
const STALE_LOCK_MS = 120_000;

export function snapshotStoreDir(dataDir: string): string {
  return path.join(dataDir, "checkpoints");
}

interface CheckpointRecord {
  version: 1;
  id: string;
  root: string;
  label: string;
  created: string;
  tree: string;
  skipped: string[];
}

export interface FilesCheckpointOptions {
  storeDir: string;
  limits: CheckpointLimits;
  /** A checkpoint pruning must keep (the one a restore is about to read). */
  protect?: string;
}

export async function createFilesCheckpoint(
  root: string,
  label: string,
  options: FilesCheckpointOptions,
): Promise<CreateCheckpointResult> {
  const started = Date.now();
  const { storeDir, limits } = options;
  await mkdir(path.join(storeDir, "records"), { recursive: true, mode: 0o700 });
  const unlock = await lock(storeDir);
  if (!unlock) {
    return {
      status: "skipped",
      reason: "store_busy",
      message: `No checkpoint: another parecode has held the checkpoint store for over ${LOCK_WAIT_MS / 1000} s (${storeDir}). If none is running, delete ${path.join(storeDir, "lock")}.`,
    };
  }
  try {
    const store = await openObjectStore(storeDir);
    let records = await readRecords(storeDir);
    // No index (first use, or lost): recount from the records, so packs nothing reaches are freed.
    if (store.recovered) await store.rebuild(records.map((r) => r.tree));

    let walk: Awaited<ReturnType<typeof walkSnapshot>>;
    try {
      walk = await walkSnapshot({
        root,
        maxFileBytes: limits.maxFileBytes,
        maxFiles: limits.maxFiles,
        previous: await readStatCache(storeDir, root),
        reusable: (hash) => store.has(hash),
        onBlob: async (hash, content) => {
          await store.put(hash, "blob", content);
        },
        onTree: async (hash, entries, content) => {
          if (await store.put(hash, "tree", content)) {
            for (const entry of entries) if (entry[1] !== "s") store.addRef(entry[3]);
          }
        },
      });
    } catch (err) {
      await store.dropUnreferenced();
      await store.save();
      if (!(err instanceof TooManyFilesError)) throw err;
      return {
        status: "skipped",
        reason: "too_many_files",
        message: `No checkpoint: this folder holds more than ${limits.maxFiles.toLocaleString("en-US")} files outside ignored folders, too many to save before every task. Run parecode in the project's own folder, or list large folders in .gitignore.`,
      };
    }

    store.addRef(walk.tree);
    const record: CheckpointRecord = {
      version: 1,
      id: newSortableId(),
      root,
      label,
      created: new Date().toISOString(),
      tree: walk.tree,
      skipped: walk.skipped,
    };
    await writeFileAtomic(recordPath(storeDir, record.id), JSON.stringify(record));
    await writeStatCache(storeDir, root, walk.stats);
    records = [...records, record];

    // Oldest first, across projects; the new checkpoint and a protected one stay.
    const prunable = records
      .filter((r) => r.id !== record.id && r.id !== options.protect)
      .sort((a, b) => -newestFirst(toCheckpoint(a), toCheckpoint(b)));
    const dropped = new Set<string>();
    for (const old of prunable) {
      if (records.length - dropped.size <= limits.maxCheckpoints && store.liveBytes() <= limits.maxStoreBytes) break;
      await dropRecord(storeDir, store, old);
      dropped.add(old.id);
    }
    if (store.liveBytes() > limits.maxStoreBytes) {
      const size = store.liveBytes();
      await dropRecord(storeDir, store, record);
      await store.save(limits.maxStoreBytes);
      return {
        status: "skipped",
        reason: "too_large",
        message: `No checkpoint: this project needs ${formatBytes(size)} in the snapshot store, over its ${formatBytes(limits.maxStoreBytes)} limit. List large folders in .gitignore, or raise the limit.`,
      };
    }
    await store.save(limits.maxStoreBytes);
    await forgetIdleProjects(
      storeDir,
      records.filter((r) => !dropped.has(r.id)),
    );
    return { status: "created", checkpoint: toCheckpoint(record), durationMs: Date.now() - started };
  } finally {
    await unlock();
  }
}

export async function listFilesCheckpoints(root: string, storeDir: string): Promise<Checkpoint[]> {
  return (await readRecords(storeDir))
    .filter((r) => r.root === root)
    .map(toCheckpoint)
    .sort(newestFirst);
}

export interface NowSnapshot {
  tree: string;
  skipped: string[];
  /** Trees of this snapshot (in memory) and of every stored checkpoint. */
  source: TreeSource;
  store: ObjectStore;
}

/** The project as it is now, hashed but not stored: for diffs and restore plans. */
export async function snapshotFilesNow(root: string, options: FilesCheckpointOptions): Promise<NowSnapshot> {
  const store = await openObjectStore(options.storeDir);
  const trees = new Map<string, TreeEntry[]>();
  const walk = await walkSnapshot({
    root,
    maxFileBytes: options.limits.maxFileBytes,
    maxFiles: Number.POSITIVE_INFINITY,
    previous: await readStatCache(options.storeDir, root),
    reusable: () => true,
    onTree: async (hash, entries) => {
      trees.set(hash, entries);
    },
  });
  return {
    tree: walk.tree,
    skipped: walk.skipped,
    store,
    source: { getTree: async (hash) => trees.get(hash) ?? store.getTree(hash) },
  };
}

/** The entry at a root-relative path inside a stored tree, if any. */
export async function findEntry(source: TreeSource, tree: string, file: string): Promise<TreeEntry | undefined> {
  const parts = file.split("/");
  let current = tree;
  for (let i = 0; i < parts.length; i++) {
    const entry = (await source.getTree(current)).find((e) => e[0] === parts[i]);
    if (!entry) return undefined;
    if (i === parts.length - 1) return entry;
    if (entry[1] !== "d") return undefined;
    current = entry[3];
  }
  return undefined;
}

/**
 * Writes one file (or symlink) from the store at its checkpoint content and mode. The
 * content goes to a temporary file first and is renamed over the old one, so a crash
 * never leaves a half-written file.
 */
export async function writeStoredFile(root: string, file: string, entry: TreeEntry, store: ObjectStore): Promise<void> {
  const abs = path.join(root, ...file.split("/"));
  const [, type, mode, hash] = entry;
  const content = await store.get(hash);
  await mkdir(path.dirname(abs), { recursive: true });
  const existing = await lstat(abs).catch(() => undefined);
  if (existing?.isDirectory()) await rm(abs); // fails unless empty: never drop what a restore does not own
  if (type === "l") {
    if (existing && !existing.isDirectory()) await unlink(abs);
    await symlink(content.toString("utf8"), abs);
    return;
  }
  const temp = `${abs}.parecode-${process.pid}.tmp`;
  try {
    await writeFile(temp, content);
    await chmod(temp, mode & 0o7777);
    await rename(temp, abs);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function toCheckpoint(record: CheckpointRecord): Checkpoint {
  return {
    id: record.id,
    kind: "files",
    root: record.root,
    label: record.label,
    created: record.created,
    tree: record.tree,
    skipped: record.skipped ?? [],
  };
}

function recordPath(storeDir: string, id: string): string {
  return path.join(storeDir, "records", `${id}.json`);
}

async function readRecords(storeDir: string): Promise<CheckpointRecord[]> {
  const dir = path.join(storeDir, "records");
  const names = await readdir(dir).catch(() => []);
  const records: CheckpointRecord[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    try {
      const record = JSON.parse(await readFile(path.join(dir, name), "utf8")) as CheckpointRecord;
      if (record.version === 1 && typeof record.tree === "string") records.push(record);
    } catch {
      // A record being written right now, or damaged: not listed.
    }
  }
  return records;
}

async function dropRecord(storeDir: string, store: ObjectStore, record: CheckpointRecord): Promise<void> {
  await rm(recordPath(storeDir, record.id), { force: true });
  await store.release(record.tree);
}

/** Stat caches of projects with no checkpoint left are dropped with their last checkpoint. */
async function forgetIdleProjects(storeDir: string, kept: CheckpointRecord[]): Promise<void> {
  const live = new Set(kept.map((r) => `${projectKey(r.root)}.json`));
  const dir = path.join(storeDir, "stat-cache");
  for (const name of await readdir(dir).catch(() => [])) {
    if (!live.has(name)) await rm(path.join(dir, name), { force: true });
  }
}

function projectKey(root: string): string {
  return createHash("sha256").update(root).digest("hex").slice(0, 24);
}

async function readStatCache(storeDir: string, root: string): Promise<StatCache> {
  try {
    const text = await readFile(path.join(storeDir, "stat-cache", `${projectKey(root)}.json`), "utf8");
    const parsed = JSON.parse(text) as { root: string; files: Array<[string, number, number, number, number, string]> };
    if (parsed.root !== root) return new Map();
    return new Map(parsed.files.map(([file, ...rest]) => [file, rest]));
  } catch {
    return new Map();
  }
}

async function writeStatCache(storeDir: string, root: string, stats: StatCache): Promise<void> {
  await mkdir(path.join(storeDir, "stat-cache"), { recursive: true });
  const files = [...stats].map(([file, rest]) => [file, ...rest]);
  await writeFileAtomic(path.join(storeDir, "stat-cache", `${projectKey(root)}.json`), JSON.stringify({ root, files }));
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}

/** Takes the store's lock file; resolves to its release, or null when another process kept it too long. */
async function lock(storeDir: string): Promise<(() => Promise<void>) | null> {
  const file = path.join(storeDir, "lock");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const held = await stat(file).catch(() => undefined);
    if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
