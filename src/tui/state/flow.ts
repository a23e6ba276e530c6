/**
 * Small state transitions shared by the reducer's event and key halves: adding to the
 * scrollback, starting and queueing prompts.
 */
import type { PermissionMode } from "../../core/approval.js";
import { filterItems } from "./completion.js";
import type { Effect, EntryBody, QueuedPrompt, UiState } from "./types.js";

export interface Update {
  state: UiState;
  effects: Effect[];
}

/** Appends finished items to the scrollback. */
export function addEntries(state: UiState, bodies: readonly EntryBody[]): UiState {
  if (bodies.length === 0) return state;
  let nextId = state.nextId;
  let previous = state.entries.at(-1)?.kind;
  const added = bodies.map((body) => {
    const prose = body.kind === "assistant" || body.kind === "markdown";
    const gap =
      body.kind === "user" ||
      body.kind === "welcome" ||
      body.kind === "shell" ||
      body.kind === "plan-step" ||
      (prose && previous === body.kind);
    previous = body.kind;
    return { ...body, id: nextId++, at: state.now, gap };
  });
  return { ...state, entries: [...state.entries, ...added], nextId };
}

export function isBusy(state: UiState): boolean {
  return state.activity.kind !== "idle";
}

/** Starts the next queued prompt when nothing runs. */
export function drainQueue(state: UiState): Update {
  if (isBusy(state) || state.approval || state.queue.length === 0) return { state, effects: [] };
  const [next, ...queue] = state.queue;
  return startPrompt({ ...state, queue }, next);
}

/** Shows the prompt in the scrollback and asks the controller to run it (or the shell command). */
export function startPrompt(state: UiState, prompt: QueuedPrompt): Update {
  if (prompt.text.startsWith("!")) {
    const command = prompt.text.slice(1).trim();
    return {
      state: { ...state, activity: { kind: "shell", since: state.now, command } },
      effects: [{ type: "shell", command }],
    };
  }
  const shown = addEntries(state, [
    { kind: "user", text: prompt.quick ? `/quick ${prompt.text}` : prompt.text, attachments: prompt.attachments },
  ]);
  return {
    state: { ...shown, activity: { kind: "starting", since: state.now }, badge: prompt.quick ? "quick" : null },
    effects: [{ type: "run", prompt }],
  };
}

/** Re-filters the palette or a picker after its query changed. */
export function refilter(state: UiState, query: string): UiState {
  const overlay = state.overlay;
  if (overlay?.kind !== "list") return state;
  const items = filterItems(overlay.all ?? overlay.items, query);
  return { ...state, overlay: { ...overlay, query, items, selected: 0 } };
}

export const MODE_CYCLE: readonly PermissionMode[] = ["ask", "accept-edits", "read-only"];
