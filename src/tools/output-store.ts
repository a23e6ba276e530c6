/**
 * Remembers the full output of recent tool calls so `recall` can hand back what a
 * truncated result left out. Bounded: the oldest entries are evicted first.
 */

export interface StoredOutput {
  callId: string;
  toolName: string;
  turn: number;
  output: string;
}

export interface OutputStoreOptions {
  /** Entries kept (default 200). */
  maxEntries?: number;
  /** Characters kept over all entries (default 24,000,000); one larger entry is kept alone. */
  maxChars?: number;
}

export interface OutputStore {
  /** Records (or replaces) the output of one call. */
  record(entry: StoredOutput): void;
  byId(callId: string): StoredOutput | undefined;
  /** The most recent call of `toolName`. */
  latestOf(toolName: string): StoredOutput | undefined;
  /** Newest first. */
  recent(limit: number): StoredOutput[];
}

export function createOutputStore(options: OutputStoreOptions = {}): OutputStore {
  const maxEntries = options.maxEntries ?? 200;
  const maxChars = options.maxChars ?? 24_000_000;
  // Map keeps insertion order: the first key is the oldest entry.
  const entries = new Map<string, StoredOutput>();
  let chars = 0;

  const evict = () => {
    for (const [id, entry] of entries) {
      if (entries.size <= 1) return;
      if (entries.size <= maxEntries && chars <= maxChars) return;
      entries.delete(id);
      chars -= entry.output.length;
    }
  };

  return {
    record(entry) {
      const previous = entries.get(entry.callId);
      if (previous) {
        entries.delete(entry.callId);
        chars -= previous.output.length;
      }
      entries.set(entry.callId, { ...entry });
      chars += entry.output.length;
      evict();
    },
    byId(callId) {
      return entries.get(callId);
    },
    latestOf(toolName) {
      let found: StoredOutput | undefined;
      for (const entry of entries.values()) if (entry.toolName === toolName) found = entry;
      return found;
    },
    recent(limit) {
      return [...entries.values()].reverse().slice(0, limit);
    },
  };
}
