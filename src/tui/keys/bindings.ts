/**
 * Every key the UI answers to, in one table: the reducer looks actions up here, and /help
 * and the palette list it, so a binding is never described in two places.
 */
import { type KeyPress, keyId } from "./decode.js";

export type KeyAction =
  | "interrupt"
  | "close"
  | "palette"
  | "submit"
  | "newline"
  | "history-prev"
  | "history-next"
  | "cursor-left"
  | "cursor-right"
  | "word-left"
  | "word-right"
  | "line-start"
  | "line-end"
  | "delete-back"
  | "delete-forward"
  | "delete-word"
  | "kill-line-start"
  | "kill-line-end"
  | "chip-next"
  | "chip-remove"
  | "cycle-mode"
  | "tool-output"
  | "plan-view"
  | "clear-screen"
  | "list-up"
  | "list-down"
  | "list-pick"
  | "list-complete"
  | "page-up"
  | "page-down";

/** Where a binding applies: everywhere, in the input box, or in an open list (picker, menu, view). */
export type KeyScope = "global" | "input" | "list";

export interface KeyBinding {
  action: KeyAction;
  scope: KeyScope;
  /** Key ids as keyId() names them. */
  keys: string[];
  /** How /help shows the keys. */
  label: string;
  description: string;
  /** Offered in the command palette under this name (actions that make sense without the key). */
  palette?: string;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  {
    action: "interrupt",
    scope: "global",
    keys: ["ctrl+c"],
    label: "Ctrl+C",
    description: "cancel the request, tool or approval (typed text is kept); when idle, twice to exit",
  },
  { action: "close", scope: "global", keys: ["escape"], label: "Esc", description: "close the open menu or view" },
  { action: "palette", scope: "global", keys: ["ctrl+p"], label: "Ctrl+P", description: "command palette" },
  {
    action: "tool-output",
    scope: "global",
    keys: ["ctrl+o"],
    label: "Ctrl+O",
    description: "tool calls of this session, expandable to their results",
    palette: "Tool calls and their results",
  },
  {
    action: "plan-view",
    scope: "global",
    keys: ["ctrl+t"],
    label: "Ctrl+T",
    description: "the plan: live status, tokens and summary of each step",
    palette: "Plan: status of each step",
  },
  {
    action: "clear-screen",
    scope: "global",
    keys: ["ctrl+l"],
    label: "Ctrl+L",
    description: "clear the screen (the session and scrollback are kept)",
    palette: "Clear the screen",
  },
  { action: "submit", scope: "input", keys: ["enter"], label: "Enter", description: "send (queued while a task runs)" },
  {
    action: "newline",
    scope: "input",
    keys: ["shift+enter", "alt+enter", "ctrl+j", "alt+newline"],
    label: "Shift+Enter, Ctrl+J",
    description: "new line",
  },
  { action: "history-prev", scope: "input", keys: ["up"], label: "↑", description: "previous prompt (history)" },
  { action: "history-next", scope: "input", keys: ["down"], label: "↓", description: "next prompt (history)" },
  { action: "cursor-left", scope: "input", keys: ["left", "ctrl+b"], label: "←", description: "move left" },
  { action: "cursor-right", scope: "input", keys: ["right", "ctrl+f"], label: "→", description: "move right" },
  {
    action: "word-left",
    scope: "input",
    keys: ["alt+b", "ctrl+left", "alt+left"],
    label: "Alt+B, Ctrl+←",
    description: "word left",
  },
  {
    action: "word-right",
    scope: "input",
    keys: ["alt+f", "ctrl+right", "alt+right"],
    label: "Alt+F, Ctrl+→",
    description: "word right",
  },
  { action: "line-start", scope: "input", keys: ["ctrl+a", "home"], label: "Ctrl+A, Home", description: "line start" },
  { action: "line-end", scope: "input", keys: ["ctrl+e", "end"], label: "Ctrl+E, End", description: "line end" },
  { action: "delete-back", scope: "input", keys: ["backspace"], label: "Backspace", description: "delete left" },
  {
    action: "delete-forward",
    scope: "input",
    keys: ["delete", "ctrl+d"],
    label: "Del",
    description: "delete right; with a chip selected, remove it",
  },
  {
    action: "delete-word",
    scope: "input",
    keys: ["ctrl+w", "alt+backspace"],
    label: "Ctrl+W",
    description: "delete the word before the cursor",
  },
  {
    action: "kill-line-start",
    scope: "input",
    keys: ["ctrl+u"],
    label: "Ctrl+U",
    description: "delete to the line start",
  },
  { action: "kill-line-end", scope: "input", keys: ["ctrl+k"], label: "Ctrl+K", description: "delete to the line end" },
  {
    action: "chip-next",
    scope: "input",
    keys: ["tab"],
    label: "Tab",
    description: "select the next attached file (Del removes it)",
  },
  {
    action: "cycle-mode",
    scope: "input",
    keys: ["shift+tab"],
    label: "Shift+Tab",
    description: "cycle the permission mode: ask, accept-edits, read-only",
    palette: "Next permission mode",
  },
  { action: "list-up", scope: "list", keys: ["up", "ctrl+p", "shift+tab"], label: "↑", description: "previous item" },
  { action: "list-down", scope: "list", keys: ["down", "ctrl+n"], label: "↓", description: "next item" },
  { action: "list-pick", scope: "list", keys: ["enter"], label: "Enter", description: "choose" },
  {
    action: "list-complete",
    scope: "list",
    keys: ["tab"],
    label: "Tab",
    description: "complete the command or file name",
  },
  { action: "page-up", scope: "list", keys: ["pageup"], label: "PgUp", description: "scroll up" },
  { action: "page-down", scope: "list", keys: ["pagedown"], label: "PgDn", description: "scroll down" },
];

const BY_SCOPE = new Map<KeyScope, Map<string, KeyAction>>();
for (const binding of KEY_BINDINGS) {
  const map = BY_SCOPE.get(binding.scope) ?? new Map<string, KeyAction>();
  for (const key of binding.keys) if (!map.has(key)) map.set(key, binding.action);
  BY_SCOPE.set(binding.scope, map);
}

/** The action a key means in `scope`, if any. */
export function actionFor(key: KeyPress, scope: KeyScope): KeyAction | undefined {
  return BY_SCOPE.get(scope)?.get(keyId(key));
}
