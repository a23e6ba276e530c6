/**
 * Prompt history: ↑/↓ walk through earlier prompts; the text being typed is kept as a
 * draft and comes back after the newest entry. Persisted across runs by history-store.
 */

export interface HistoryState {
  /** Oldest first. */
  entries: readonly string[];
  /** The entry shown, or null while editing the draft. */
  index: number | null;
  draft: string;
}

export const HISTORY_LIMIT = 500;

export function emptyHistory(entries: readonly string[] = []): HistoryState {
  return { entries, index: null, draft: "" };
}

/** Older entry; undefined when there is none. */
export function historyPrev(
  history: HistoryState,
  current: string,
): { history: HistoryState; text: string } | undefined {
  if (history.entries.length === 0) return undefined;
  if (history.index === null) {
    const index = history.entries.length - 1;
    return { history: { ...history, index, draft: current }, text: history.entries[index] };
  }
  if (history.index === 0) return undefined;
  const index = history.index - 1;
  return { history: { ...history, index }, text: history.entries[index] };
}

/** Newer entry, or the draft after the newest; undefined when not browsing. */
export function historyNext(history: HistoryState): { history: HistoryState; text: string } | undefined {
  if (history.index === null) return undefined;
  const index = history.index + 1;
  if (index >= history.entries.length) return { history: { ...history, index: null }, text: history.draft };
  return { history: { ...history, index }, text: history.entries[index] };
}

/** Records a submitted prompt (a repeat of the newest is not stored twice) and stops browsing. */
export function historyPush(history: HistoryState, text: string): HistoryState {
  const entries = history.entries.at(-1) === text ? history.entries : [...history.entries, text].slice(-HISTORY_LIMIT);
  return { entries, index: null, draft: "" };
}
