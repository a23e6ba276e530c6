/**
 * The menus that follow the input text: `/` opens command completion (while the cursor is
 * in the first word), `@` the fuzzy file picker (for the word being typed). Both are
 * derived from the editor after every edit, so they can never disagree with the text.
 */
import fuzzysort from "fuzzysort";
import type { EditorState } from "./editor.js";
import type { CommandInfo, ListItem, ListOverlay, UiState } from "./types.js";

/** Most rows a completion menu offers. */
export const MAX_MENU_ITEMS = 50;

/** The `/word` being typed at the start of the input, or undefined. */
export function slashToken(editor: EditorState): string | undefined {
  const before = editor.text.slice(0, editor.cursor);
  if (!/^\/[^\s]*$/.test(before)) return undefined;
  return before;
}

/** The `@query` right before the cursor (at the start or after whitespace), or undefined. */
export function atToken(editor: EditorState): { token: string; start: number } | undefined {
  const before = editor.text.slice(0, editor.cursor);
  const match = /(^|\s)@([^\s@]*)$/.exec(before);
  if (!match) return undefined;
  const start = before.length - match[2].length - 1;
  return { token: `@${match[2]}`, start };
}

export function commandItems(commands: readonly CommandInfo[], typed: string): ListItem[] {
  const query = typed.replace(/^\//, "").toLowerCase();
  const toItem = (c: CommandInfo): ListItem => ({
    value: c.name,
    label: `/${c.name}${c.args ? ` ${c.args}` : ""}`,
    hint: c.description,
  });
  if (query === "") return commands.map(toItem);
  const prefix = commands.filter((c) => c.name.startsWith(query));
  const fuzzy = fuzzysort
    .go(query, commands as CommandInfo[], { key: "name", threshold: 0.3 })
    .map((r) => r.obj)
    .filter((c) => !prefix.includes(c));
  return [...prefix, ...fuzzy].map(toItem);
}

export function fileItems(files: readonly string[] | null, query: string): ListItem[] {
  if (!files) return [];
  if (query === "") return files.slice(0, MAX_MENU_ITEMS).map((f) => ({ value: f, label: f }));
  return fuzzysort
    .go(query, files as string[], { limit: MAX_MENU_ITEMS, threshold: 0.2 })
    .map((r) => ({ value: r.target, label: r.target }));
}

/** Opens, refreshes or closes the slash and @ menus to match the editor. */
export function syncCompletion(state: UiState): UiState {
  const current = state.overlay;
  // Palette, pickers and views are not driven by the text.
  if (current && !(current.kind === "list" && (current.purpose.kind === "slash" || current.purpose.kind === "files"))) {
    return state;
  }
  const slash = slashToken(state.editor);
  const at = slash === undefined ? atToken(state.editor) : undefined;
  const token = slash ?? at?.token;
  if (token === undefined || token === state.dismissed) {
    return current ? { ...state, overlay: null } : state;
  }
  const dismissed = null;
  if (slash !== undefined) {
    const items = commandItems(state.commands, slash);
    return { ...state, dismissed, overlay: menu(current, { kind: "slash" }, "commands", items, "no command matches") };
  }
  const query = (at?.token ?? "@").slice(1);
  const items = fileItems(state.fileIndex, query);
  const empty = state.fileIndex === null ? "reading the project's files…" : "no file matches";
  return { ...state, dismissed, overlay: menu(current, { kind: "files" }, "files", items, empty) };
}

function menu(
  current: UiState["overlay"],
  purpose: ListOverlay["purpose"],
  title: string,
  items: ListItem[],
  empty: string,
): ListOverlay {
  const samePurpose = current?.kind === "list" && current.purpose.kind === purpose.kind;
  const previous = samePurpose ? current.items[current.selected]?.value : undefined;
  const keep = previous === undefined ? -1 : items.findIndex((i) => i.value === previous);
  return { kind: "list", purpose, title, query: "", items, selected: keep >= 0 ? keep : 0, empty };
}

/** Items of the palette or a picker that match its typed filter. */
export function filterItems(items: readonly ListItem[], query: string): ListItem[] {
  if (query.trim() === "") return [...items];
  return fuzzysort.go(query, items as ListItem[], { keys: ["label", "hint"], threshold: 0.2 }).map((r) => r.obj);
}
