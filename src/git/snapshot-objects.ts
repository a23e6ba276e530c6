/**
 * The snapshot store's objects: file contents (blobs) and directory listings (trees),
 * each stored once under its content hash, deflated. Objects written together (one
 * checkpoint) go into one pack file: a 20,000-file project is one file on disk, not
 * 20,000 files each rounded up to a disk block.
 *
 * Every object carries a reference count (the trees and checkpoints pointing at it), so
 * dropping the oldest checkpoint frees exactly what nothing else uses without scanning the
 * rest of the store. A pack is deleted when nothing in it is live, and rewritten once more
 * than half of it is dead.
 *
 * The counts live in index.json, written atomically after the packs. Packs describe their
 * own objects, so when the index is lost or damaged `rebuild` recovers it from the packs
 * and the checkpoints' root trees.
 */
import { createHash, randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { deflateSync, inflateSync } from "node:zlib";

export type ObjectKind = "blob" | "tree";

/** A directory listing entry: name, type (f file, l symlink, d directory, s skipped for its size), mode, hash. */
export type TreeEntry = [name: string, type: "f" | "l" | "d" | "s", mode: number, hash: string];

/** hash → [pack, offset of the deflated data, its length, reference count, 1 for a tree] */
type ObjectRecord = [pack: string, offset: number, length: number, refs: number, tree: 0 | 1];

interface IndexFile {
  version: 2;
  objects: Record<string, ObjectRecord>;
  /** pack → [bytes in the file, bytes of live objects] */
  packs: Record<string, [number, number]>;
}

/** In a pack, each object is: 32-byte sha256, 1 byte kind (0 blob, 1 tree), 4-byte length, deflated data. */
const HEADER_BYTES = 37;
/** A pack is rewritten when less than this share of it is still live. */
const REPACK_BELOW = 0.5;

export interface ObjectStore {
  has(hash: string): boolean;
  /** Stores the object unless present; a new object starts with no references. True when it was new. */
  put(hash: string, kind: ObjectKind, content: Buffer): Promise<boolean>;
  get(hash: string): Promise<Buffer>;
  getTree(hash: string): Promise<TreeEntry[]>;
  /** A new reference to an object (from a new tree or a checkpoint). */
  addRef(hash: string): void;
  /** Drops one reference; an object left with none is dead, and a dead tree releases its entries. */
  release(hash: string): Promise<void>;
  /** Releases objects added since the last save that nothing references (an aborted snapshot). */
  dropUnreferenced(): Promise<void>;
  /** Bytes of all pack files: what the store takes on disk, give or take the index. */
  totalBytes(): number;
  /** Bytes of live objects: what the packs shrink to once compacted. */
  liveBytes(): number;
  /**
   * Deletes dead packs, rewrites mostly dead ones (all with dead space when the packs
   * would still exceed `maxBytes`), and writes the index.
   */
  save(maxBytes?: number): Promise<void>;
  /** Recounts references from the checkpoints' root trees, reading the packs; the repair for a lost index. */
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
  const packsDir = path.join(dir, "packs");
  const indexPath = path.join(dir, "index.json");
  await mkdir(packsDir, { recursive: true, mode: 0o700 });
  let index: IndexFile;
  let recovered = false;
  try {
    index = JSON.parse(await readFile(indexPath, "utf8")) as IndexFile;
    if (index.version !== 2 || typeof index.objects !== "object" || typeof index.packs !== "object") {
      throw new Error("unknown index");
    }
  } catch {
    index = { version: 2, objects: {}, packs: {} };
    recovered = true;
  }
  const added = new Set<string>();
  const packFile = (pack: string) => path.join(packsDir, `${pack}.pack`);
  /** The pack this process appends to, opened on the first new object; one promise, so concurrent puts share it. */
  let writing: Promise<{ name: string; handle: FileHandle; size: number }> | undefined;
  const openPack = async () => {
    const name = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
    const handle = await open(packFile(name), "wx", 0o600);
    index.packs[name] = [0, 0];
    return { name, handle, size: 0 };
  };

  const append = async (hash: string, kind: ObjectKind, data: Buffer): Promise<[string, number]> => {
    writing ??= openPack();
    const pack = await writing;
    const record = Buffer.alloc(HEADER_BYTES + data.length);
    Buffer.from(hash, "hex").copy(record, 0);
    record[32] = kind === "tree" ? 1 : 0;
    record.writeUInt32BE(data.length, 33);
    data.copy(record, HEADER_BYTES);
    // The offset is claimed before the write, so concurrent puts never overlap.
    const at = pack.size;
    pack.size += record.length;
    const sizes = index.packs[pack.name];
    sizes[0] += record.length;
    sizes[1] += record.length;
    await pack.handle.write(record, 0, record.length, at);
    return [pack.name, at + HEADER_BYTES];
  };

  const readObject = async (record: ObjectRecord): Promise<Buffer> => {
    const handle = await open(packFile(record[0]), "r");
    try {
      const data = Buffer.alloc(record[2]);
      await handle.read(data, 0, record[2], record[1]);
      return inflateSync(data);
    } finally {
      await handle.close();
    }
  };

  const kill = (record: ObjectRecord): void => {
    const pack = index.packs[record[0]];
    if (pack) pack[1] -= record[2] + HEADER_BYTES;
  };

  const closeWriting = async (): Promise<void> => {
    if (!writing) return;
    const pack = await writing;
    writing = undefined;
    await pack.handle.close();
  };

  /**
   * Live objects of packs that are less than `below` live move into a new pack (copied
   * as stored, no re-compression); dead packs go.
   */
  const compact = async (below: number): Promise<void> => {
    await closeWriting();
    const sparse = Object.entries(index.packs)
      .filter(([, [size, live]]) => live > 0 && live < size * below)
      .map(([name]) => name);
    for (const name of sparse) {
      const bytes = await readFile(packFile(name));
      for (const [hash, record] of Object.entries(index.objects)) {
        if (record[0] !== name) continue;
        const data = bytes.subarray(record[1], record[1] + record[2]);
        const [pack, offset] = await append(hash, record[4] === 1 ? "tree" : "blob", data);
        kill(record);
        record[0] = pack;
        record[1] = offset;
      }
    }
    await closeWriting();
    for (const [name, [, live]] of Object.entries(index.packs)) {
      if (live <= 0) {
        delete index.packs[name];
        await rm(packFile(name), { force: true });
      }
    }
  };

  const store: ObjectStore = {
    has: (hash) => hash in index.objects,
    async put(hash, kind, content) {
      if (hash in index.objects) return false;
      const data = deflateSync(content, { level: 1 });
      // Claim the hash before the write: a second put of the same content must not append it twice.
      const record: ObjectRecord = ["", 0, data.length, 0, kind === "tree" ? 1 : 0];
      index.objects[hash] = record;
      try {
        [record[0], record[1]] = await append(hash, kind, data);
      } catch (err) {
        delete index.objects[hash];
        throw err;
      }
      added.add(hash);
      return true;
    },
    async get(hash) {
      const record = index.objects[hash];
      if (!record) throw new Error(`object ${hash.slice(0, 12)} is missing from the snapshot store`);
      return readObject(record);
    },
    async getTree(hash) {
      return JSON.parse((await store.get(hash)).toString("utf8")) as TreeEntry[];
    },
    addRef(hash) {
      const record = index.objects[hash];
      if (record) record[3]++;
    },
    async release(hash) {
      const record = index.objects[hash];
      if (!record) return;
      record[3]--;
      if (record[3] > 0) return;
      if (record[4] === 1) {
        const entries = await store.getTree(hash).catch((): TreeEntry[] => []);
        for (const [, type, , child] of entries) if (type !== "s") await store.release(child);
      }
      delete index.objects[hash];
      kill(record);
    },
    async dropUnreferenced() {
      // A never-referenced object goes below zero in release() and dies; a tree takes its entries with it.
      for (const hash of added) if (index.objects[hash]?.[3] === 0) await store.release(hash);
      added.clear();
    },
    totalBytes: () => Object.values(index.packs).reduce((sum, [size]) => sum + size, 0),
    liveBytes: () => Object.values(index.packs).reduce((sum, [, live]) => sum + live, 0),
    recovered,
    async save(maxBytes = Number.POSITIVE_INFINITY) {
      await compact(REPACK_BELOW);
      // Over the bound only because of dead space: rewrite every pack that has any.
      if (store.totalBytes() > maxBytes) await compact(1);
      const temp = `${indexPath}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(index));
      await rename(temp, indexPath);
      added.clear();
    },
    async rebuild(roots) {
      await closeWriting();
      const found = new Map<string, ObjectRecord>();
      const packs: IndexFile["packs"] = {};
      for (const name of (await readdir(packsDir)).filter((n) => n.endsWith(".pack"))) {
        const pack = name.slice(0, -".pack".length);
        const bytes = await readFile(path.join(packsDir, name));
        packs[pack] = [bytes.length, 0];
        for (let at = 0; at + HEADER_BYTES <= bytes.length; ) {
          const hash = bytes.subarray(at, at + 32).toString("hex");
          const length = bytes.readUInt32BE(at + 33);
          if (!found.has(hash)) found.set(hash, [pack, at + HEADER_BYTES, length, 0, bytes[at + 32] === 1 ? 1 : 0]);
          at += HEADER_BYTES + length;
        }
      }
      index = { version: 2, objects: {}, packs };
      const count = async (hash: string): Promise<void> => {
        const known = index.objects[hash];
        if (known) {
          known[3]++;
          return;
        }
        const record = found.get(hash);
        if (!record) return; // lost: that checkpoint is damaged, the others still count
        index.objects[hash] = [record[0], record[1], record[2], 1, record[4]];
        packs[record[0]][1] += record[2] + HEADER_BYTES;
        if (record[4] !== 1) return;
        for (const [, type, , child] of await store.getTree(hash).catch((): TreeEntry[] => [])) {
          if (type !== "s") await count(child);
        }
      };
      for (const root of roots) await count(root);
      added.clear();
      await store.save();
    },
  };
  return store;
}
