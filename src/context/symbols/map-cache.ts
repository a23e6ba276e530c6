/**
 * The project map's on-disk cache: one JSON file per project root under cacheDir. A cache
 * that is missing, corrupt, from another extractor version or for another root is simply
 * empty; the map rebuilds and overwrites it.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FileSymbol } from "./types.js";

/** Bump when queries or extraction rules change, so old caches are not trusted. */
export const CACHE_VERSION = 1;

export interface CachedFile {
  size: number;
  mtimeMs: number;
  lines: number;
  symbols: FileSymbol[];
}

interface CacheDocument {
  version: number;
  root: string;
  files: Record<string, CachedFile>;
}

/** One cache per root and engine: symbols from the two extractors must never mix. */
export function cachePath(cacheDir: string, root: string, engine: "auto" | "regex" = "regex"): string {
  const hash = createHash("sha256").update(root).digest("hex").slice(0, 16);
  return path.join(cacheDir, `project-map-${engine === "regex" ? "" : "ts-"}${hash}.json`);
}

/** Saves still in flight, per cache file: a later save queues behind, a load waits for it. */
const pendingSaves = new Map<string, Promise<void>>();

export async function loadCache(file: string, root: string): Promise<Map<string, CachedFile>> {
  await pendingSaves.get(file);
  try {
    const doc = JSON.parse(await readFile(file, "utf8")) as Partial<CacheDocument>;
    if (doc.version !== CACHE_VERSION || doc.root !== root || typeof doc.files !== "object" || !doc.files) {
      return new Map();
    }
    return new Map(Object.entries(doc.files));
  } catch {
    return new Map();
  }
}

/**
 * Queues a save behind any in flight for the same file and returns when this one is on
 * disk. Never rejects: a cache that cannot be written is only a slower next run.
 */
export function saveCache(file: string, root: string, files: Map<string, CachedFile>): Promise<void> {
  const previous = pendingSaves.get(file) ?? Promise.resolve();
  const saved = previous.then(() => writeCache(file, root, files)).catch(() => undefined);
  pendingSaves.set(file, saved);
  void saved.then(() => {
    if (pendingSaves.get(file) === saved) pendingSaves.delete(file);
  });
  return saved;
}

/** Written to a temp file and renamed, so a crash mid-write never leaves half a cache. */
async function writeCache(file: string, root: string, files: Map<string, CachedFile>): Promise<void> {
  const doc: CacheDocument = { version: CACHE_VERSION, root, files: Object.fromEntries(files) };
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(doc));
  await rename(tmp, file);
}
