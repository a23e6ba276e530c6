/**
 * Remembers which file excerpts the model has already been shown, so an identical
 * re-read of an unchanged file costs one short note instead of the text again.
 * Pure bookkeeping: callers supply the file's stamp; this module never touches disk.
 * Whoever drops old tool results from the conversation (compression, a fresh plan
 * step) must call `invalidate` or `clear`, or the note would point at text the model
 * can no longer see.
 */

/** What identifies a version of a file cheaply. A change in either means "changed". */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

export interface ReadCache {
  /** The turn in which `key` (e.g. a line range) of this unchanged file was last shown, if any. */
  lookup(absPath: string, key: string, stamp: FileStamp): { turn: number } | undefined;
  remember(absPath: string, key: string, stamp: FileStamp, turn: number): void;
  /** Forgets every read of the file (after a write, edit or patch). */
  invalidate(absPath: string): void;
  clear(): void;
}

interface Entry {
  stamp: FileStamp;
  turns: Map<string, number>;
}

export function createReadCache(): ReadCache {
  const files = new Map<string, Entry>();
  const sameStamp = (a: FileStamp, b: FileStamp) => a.mtimeMs === b.mtimeMs && a.size === b.size;
  return {
    lookup(absPath, key, stamp) {
      const entry = files.get(absPath);
      if (!entry) return undefined;
      if (!sameStamp(entry.stamp, stamp)) {
        files.delete(absPath);
        return undefined;
      }
      const turn = entry.turns.get(key);
      return turn === undefined ? undefined : { turn };
    },
    remember(absPath, key, stamp, turn) {
      let entry = files.get(absPath);
      if (!entry || !sameStamp(entry.stamp, stamp)) {
        entry = { stamp: { mtimeMs: stamp.mtimeMs, size: stamp.size }, turns: new Map() };
        files.set(absPath, entry);
      }
      entry.turns.set(key, turn);
    },
    invalidate(absPath) {
      files.delete(absPath);
    },
    clear() {
      files.clear();
    },
  };
}
