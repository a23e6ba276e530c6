/**
 * The snapshot store's objects: file contents (blobs) and directory listings (trees),
 * each stored once under its content hash, deflated. Every object carries a reference
 * count (trees and checkpoints pointing at it), so dropping the oldest checkpoint frees
 * exactly what nothing else uses, without scanning the rest of the store.
 *
 * The counts live in index.json, written atomically after the objects: a crash in
 * between leaves at worst unreferenced object files, which a rebuild sweeps away.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { deflateSync, inflateSync } from "node:zlib";

export type ObjectKind = "blob" | "tree";

/** A directory listing entry: name, type (f file, l symlink, d directory, s skipped for its size), mode, hash. */
export type TreeEntry = [name: string, type: "f" | "l" | "d" | "s", mode: number, hash: string];

interface IndexFile {
  version: 1;
  /** hash → [bytes on disk, reference count, 1 for a tree] */
  objects: Record<string, [number, number, 0 | 1]>;
}

export interface ObjectStore {
  has(hash: string): boolean;
  /** Stores the object unless present; a new object starts with no references. True when it was new. */
  put(hash: string, kind: ObjectKind, content: Buffer): Promise<boolean>;
  get(hash: string): Promise<Buffer>;
  getTree(hash: string): Promise<TreeEntry[]>;
  /** A new reference to an object (from a new tree or a checkpoint). */
  addRef(hash: string): void;
  /** Drops one reference; an object left with none is deleted, and a tree releases its entries. */
  release(hash: string): Promise<void>;
  /** Deletes objects added since the last save that nothing references (an aborted snapshot). */
  dropUnreferenced(): Promise<void>;
  totalBytes(): number;
  save(): Promise<void>;
  /**
   * Recounts references from the checkpoints' root trees and deletes object files nothing
   * reaches: the repair when index.json is lost or damaged.
   */
  rebuild(roots: string[]): Promise<void>;
  /** True when index.json was missing or unreadable at open. */
  readonly recovered: boolean;
}

export function hashObject(kind: ObjectKind, content: Buffer): string {
  return createHash("sha256").update(`${kind} ${content.length}\0`).update(content).digest("hex");
}

export function encodeTree(entries: TreeEntry[]): Buffer {
  return Buffer.from(JSON.stringify(entries));
}

export async function openObjectStore(dir: string): Promise<ObjectStore> {
  const objectsDir = path.join(dir, "objects");
  const indexPath = path.join(dir, "index.json");
  await mkdir(objectsDir, { recursive: true, mode: 0o700 });
  let index: IndexFile;
  let recovered = false;
  try {
    index = JSON.parse(await readFile(indexPath, "utf8")) as IndexFile;
    if (index.version !== 1 || typeof index.objects !== "object") throw new Error("unknown index");
  } catch {
    index = { version: 1, objects: {} };
    recovered = true;
  }
  let total = Object.values(index.objects).reduce((sum, [bytes]) => sum + bytes, 0);
  const added = new Set<string>();
  const file = (hash: string) => path.join(objectsDir, hash.slice(0, 2), hash.slice(2));

  const store: ObjectStore = {
    has: (hash) => hash in index.objects,
    async put(hash, kind, content) {
      if (hash in index.objects) return false;
      const packed = deflateSync(content, { level: 1 });
      await mkdir(path.dirname(file(hash)), { recursive: true });
      // Objects not in the index are never trusted, so a half-written one is simply rewritten.
      await writeFile(file(hash), packed);
      index.objects[hash] = [packed.length, 0, kind === "tree" ? 1 : 0];
      total += packed.length;
      added.add(hash);
      return true;
    },
    async get(hash) {
      return inflateSync(await readFile(file(hash)));
    },
    async getTree(hash) {
      return JSON.parse((await store.get(hash)).toString("utf8")) as TreeEntry[];
    },
    addRef(hash) {
      const entry = index.objects[hash];
      if (entry) entry[1]++;
    },
    async release(hash) {
      const entry = index.objects[hash];
      if (!entry) return;
      entry[1]--;
      if (entry[1] > 0) return;
      if (entry[2] === 1) {
        const entries = await store.getTree(hash).catch((): TreeEntry[] => []);
        for (const [, type, , child] of entries) if (type !== "s") await store.release(child);
      }
      delete index.objects[hash];
      total -= entry[0];
      await rm(file(hash), { force: true });
    },
    async dropUnreferenced() {
      // release() takes a never-referenced object below zero and deletes it, and a tree
      // with it releases its entries (counted when the tree was stored).
      for (const hash of added) if (index.objects[hash]?.[1] === 0) await store.release(hash);
      added.clear();
    },
    totalBytes: () => total,
    recovered,
    async rebuild(roots) {
      index = { version: 1, objects: {} };
      total = 0;
      const seen = new Set<string>();
      const count = async (hash: string, isTree: boolean): Promise<void> => {
        const known = index.objects[hash];
        if (known) {
          known[1]++;
          return;
        }
        let bytes: number;
        try {
          bytes = (await readFile(file(hash))).length;
        } catch {
          return; // lost with the index: the checkpoint is damaged, its other files still count
        }
        index.objects[hash] = [bytes, 1, isTree ? 1 : 0];
        total += bytes;
        if (!isTree || seen.has(hash)) return;
        seen.add(hash);
        for (const [, type, , child] of await store.getTree(hash).catch((): TreeEntry[] => [])) {
          if (type !== "s") await count(child, type === "d");
        }
      };
      for (const root of roots) await count(root, true);
      for (const bucket of await readdir(objectsDir).catch(() => [])) {
        for (const name of await readdir(path.join(objectsDir, bucket)).catch(() => [])) {
          if (!(bucket + name in index.objects)) await rm(path.join(objectsDir, bucket, name), { force: true });
        }
      }
      added.clear();
      await store.save();
    },
    async save() {
      const temp = `${indexPath}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(index));
      await rename(temp, indexPath);
      added.clear();
    },
  };
  return store;
}
