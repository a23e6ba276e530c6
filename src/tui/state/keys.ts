/**
 * The key-press half of the reducer: what each key does given what is on screen. The
 * approval dialog takes every key while it is up; then Ctrl+C; then an open view or list;
 * then the input box. Which key means what comes from the one bindings table.
 */
import type { ApprovalDecision } from "../../core/approval.js";
import { actionFor, KEY_BINDINGS, type KeyAction } from "../keys/bindings.js";
import { type KeyPress, keyId } from "../keys/decode.js";
import { atToken, syncCompletion } from "./completion.js";
import * as ed from "./editor.js";
import { addEntries, isBusy, MODE_CYCLE, refilter, startPrompt, type Update } from "./flow.js";
import { historyNext, historyPrev, historyPush } from "./history.js";
import { PLAN_VIEW } from "./plan-state.js";
import type { ListOverlay, UiState, ViewOverlay } from "./types.js";

/** A paste longer than this (characters or lines) becomes a chip instead of text in the box. */
export const PASTE_CHIP_CHARS = 800;
export const PASTE_CHIP_LINES = 8;
/** How long a first Ctrl+C while idle waits for the second. */
export const EXIT_WINDOW_MS = 2_000;

const none = (state: UiState): Update => ({ state, effects: [] });

export function onKey(state: UiState, key: KeyPress): Update {
  if (state.approval) return approvalKey(state, key);
  const global = actionFor(key, "global");
  if (global === "interrupt") return interrupt(state);
  const s = state.exitArmedUntil > 0 ? { ...state, exitArmedUntil: 0, hint: null } : state;
  const overlay = s.overlay;
  if (global === "close" && overlay && !capturing(overlay)) return closeOverlay(s);
  if (overlay?.kind === "view") return viewKey(s, overlay, key);
  if (overlay?.kind === "list") {
    const handled = listKey(s, overlay, key);
    if (handled) return handled;
  }
  if (global === "close") return none({ ...s, selectedChip: null, hint: null });
  if (global) return runAction(s, global);
  return inputKey(s, key);
}

/** Closes the open view or list; a picker's command learns it was dismissed. */
function closeOverlay(state: UiState): Update {
  const overlay = state.overlay;
  const effects =
    overlay?.kind === "list" && overlay.purpose.kind === "picker"
      ? [{ type: "picked" as const, id: overlay.purpose.id, value: undefined }]
      : [];
  return { state: { ...state, overlay: null, dismissed: tokenOf(state) }, effects };
}

function tokenOf(state: UiState): string | null {
  const slash = /^\/[^\s]*$/.exec(state.editor.text.slice(0, state.editor.cursor))?.[0];
  return slash ?? atToken(state.editor)?.token ?? null;
}

function interrupt(state: UiState): Update {
  if (isBusy(state)) {
    return {
      state: { ...state, hint: "Cancelling… (your typed text and queued prompts are kept)" },
      effects: [{ type: "cancel" }],
    };
  }
  if (state.overlay?.kind === "view" && state.overlay.captureKeys) return viewKey(state, state.overlay, CTRL_C);
  if (state.overlay) return closeOverlay(state);
  if (state.now < state.exitArmedUntil) return { state: { ...state, hint: null }, effects: [{ type: "exit" }] };
  return none({ ...state, exitArmedUntil: state.now + EXIT_WINDOW_MS, hint: "Press Ctrl+C again to exit" });
}

function answer(state: UiState, decision: ApprovalDecision, cancel = false): Update {
  const approval = state.approval;
  if (!approval) return none(state);
  const a = state.activity;
  const taskSince = "taskSince" in a ? a.taskSince : state.now;
  const request = approval.request;
  // An approved change stays readable in the scrollback once the dialog is gone.
  const shown =
    decision.approved && request.diff
      ? addEntries(state, [{ kind: "diff", title: `✎ ${request.path ?? request.title}`, diff: request.diff }])
      : state;
  return {
    state: { ...shown, approval: null, activity: { kind: "thinking", since: state.now, taskSince } },
    effects: [{ type: "answer", id: approval.id, decision }, ...(cancel ? [{ type: "cancel" as const }] : [])],
  };
}

function approvalKey(state: UiState, key: KeyPress): Update {
  const approval = state.approval;
  if (!approval) return none(state);
  const id = keyId(key);
  if (id === "ctrl+c") return answer(state, { approved: false }, true);
  if (approval.reason) {
    if (key.name === "enter" && !key.alt && !key.shift) {
      const reason = approval.reason.text.trim();
      return answer(state, reason ? { approved: false, reason } : { approved: false });
    }
    if (key.name === "escape") return answer(state, { approved: false });
    const reason = editKey(approval.reason, key);
    return none(reason ? { ...state, approval: { ...approval, reason } } : state);
  }
  if (key.name === "escape") return answer(state, { approved: false });
  if (key.name !== "char" || key.ctrl || key.alt) return none(state);
  const ch = (key.text ?? "").toLowerCase();
  if (ch === "y") return answer(state, { approved: true, scope: "once" });
  if (ch === "a") return answer(state, { approved: true, scope: "session" });
  if (ch === "p") return answer(state, { approved: true, scope: "project" });
  if (ch === "n") return none({ ...state, approval: { ...approval, reason: ed.EMPTY_EDITOR } });
  return none(state);
}

/** Plain text editing shared by the input box and the approval reason; undefined when the key is not an edit. */
function editKey(editor: ed.EditorState, key: KeyPress): ed.EditorState | undefined {
  if (key.name === "char" && !key.ctrl && !key.alt) return ed.insertText(editor, key.text ?? "");
  if (key.name === "paste") return ed.insertText(editor, key.text ?? "");
  switch (actionFor(key, "input")) {
    case "cursor-left":
      return ed.moveLeft(editor);
    case "cursor-right":
      return ed.moveRight(editor);
    case "word-left":
      return ed.wordLeft(editor);
    case "word-right":
      return ed.wordRight(editor);
    case "line-start":
      return ed.lineStart(editor);
    case "line-end":
      return ed.lineEnd(editor);
    case "delete-back":
      return ed.deleteBack(editor);
    case "delete-forward":
      return ed.deleteForward(editor);
    case "delete-word":
      return ed.deleteWord(editor);
    case "kill-line-start":
      return ed.killLineStart(editor);
    case "kill-line-end":
      return ed.killLineEnd(editor);
    default:
      return undefined;
  }
}

const CTRL_C: KeyPress = { name: "char", ctrl: true, text: "c" };

/** A view that takes the arrows and Esc itself (a cursor, a text field); it closes itself. */
function capturing(overlay: UiState["overlay"]): boolean {
  return overlay?.kind === "view" && overlay.captureKeys === true;
}

function viewKey(state: UiState, view: ViewOverlay, key: KeyPress): Update {
  if (view.captureKeys) {
    const id = keyId(key);
    const text = key.name === "char" && !key.ctrl && !key.alt ? key.text : key.name === "paste" ? key.text : undefined;
    return { state, effects: [{ type: "view-key", id: view.id, key: id, data: view.data, text }] };
  }
  const scrollBy = (delta: number) =>
    none({ ...state, overlay: { ...view, scroll: Math.max(0, view.scroll + delta) } });
  if (key.name === "up") return scrollBy(-1);
  if (key.name === "down") return scrollBy(1);
  if (key.name === "pageup") return scrollBy(-10);
  if (key.name === "pagedown") return scrollBy(10);
  if (key.name === "home") return none({ ...state, overlay: { ...view, scroll: 0 } });
  const id = key.name === "char" && !key.ctrl && !key.alt ? (key.text ?? "") : keyId(key);
  return { state, effects: [{ type: "view-key", id: view.id, key: id, data: view.data }] };
}

function moveSelection(state: UiState, list: ListOverlay, delta: number): Update {
  const n = list.items.length;
  if (n === 0) return none(state);
  const selected =
    Math.abs(delta) === 1 ? (list.selected + delta + n) % n : Math.max(0, Math.min(n - 1, list.selected + delta));
  return none({ ...state, overlay: { ...list, selected } });
}

/** Keys of an open list; undefined hands the key on to the input box (slash and @ menus follow the text). */
function listKey(state: UiState, list: ListOverlay, key: KeyPress): Update | undefined {
  const action = actionFor(key, "list");
  const followsText = list.purpose.kind === "slash" || list.purpose.kind === "files";
  if (action === "list-up") return moveSelection(state, list, -1);
  if (action === "list-down") return moveSelection(state, list, 1);
  if (action === "page-up") return moveSelection(state, list, -8);
  if (action === "page-down") return moveSelection(state, list, 8);
  const item = list.items[list.selected];
  if (action === "list-pick" || action === "list-complete") {
    if (!item) return followsText ? undefined : none(state);
    return pick(state, list, item.value, action === "list-complete");
  }
  if (followsText) return undefined;
  if (key.name === "char" && !key.ctrl && !key.alt) return none(refilter(state, list.query + (key.text ?? "")));
  if (key.name === "backspace") return none(refilter(state, list.query.slice(0, -1)));
  return none(state);
}

function pick(state: UiState, list: ListOverlay, value: string, completeOnly: boolean): Update {
  switch (list.purpose.kind) {
    case "slash": {
      const command = state.commands.find((c) => c.name === value);
      const rest = state.editor.text.replace(/^\/\S*/, "").trimStart();
      if (completeOnly || command?.needsArgs) {
        const text = `/${value} ${rest}`;
        return none(syncCompletion({ ...state, editor: ed.editorOf(text), overlay: null }));
      }
      return submitText({ ...state, overlay: null }, `/${value}${rest ? ` ${rest}` : ""}`);
    }
    case "files": {
      const token = atToken(state.editor);
      let editor = state.editor;
      if (token) {
        const text = editor.text.slice(0, token.start) + editor.text.slice(editor.cursor);
        editor = { text, cursor: token.start };
      }
      const files = state.files.includes(value) ? state.files : [...state.files, value];
      return none(syncCompletion({ ...state, editor, files, overlay: null }));
    }
    case "palette": {
      const closed = { ...state, overlay: null };
      if (value.startsWith("key:")) return runAction(closed, value.slice(4) as KeyAction);
      const name = value.replace(/^cmd:/, "");
      const command = state.commands.find((c) => c.name === name);
      if (command?.needsArgs) return none(syncCompletion({ ...closed, editor: ed.editorOf(`/${name} `) }));
      return { state: closed, effects: [{ type: "command", name, args: "" }] };
    }
    case "picker":
      return { state: { ...state, overlay: null }, effects: [{ type: "picked", id: list.purpose.id, value }] };
  }
}

/** The palette: every command, then the key actions marked for it, each with its key. */
export function paletteItems(state: UiState) {
  const commands = state.commands.map((c) => ({
    value: `cmd:${c.name}`,
    label: `/${c.name}${c.args ? ` ${c.args}` : ""}`,
    hint: c.description,
  }));
  const keys = KEY_BINDINGS.filter((b) => b.palette).map((b) => ({
    value: `key:${b.action}`,
    label: b.palette ?? b.action,
    hint: `${b.label} · ${b.description}`,
  }));
  return [...commands, ...keys];
}

function runAction(state: UiState, action: KeyAction): Update {
  switch (action) {
    case "palette": {
      const items = paletteItems(state);
      const overlay: ListOverlay = {
        kind: "list",
        purpose: { kind: "palette" },
        title: "commands",
        query: "",
        items,
        all: items,
        selected: 0,
        empty: "nothing matches",
      };
      return none({ ...state, overlay });
    }
    case "tool-output":
      return none({ ...state, overlay: { kind: "view", id: "tools", scroll: 0 } });
    case "plan-view":
      return none({ ...state, overlay: { kind: "view", id: PLAN_VIEW, scroll: 0 } });
    case "clear-screen":
      return { state, effects: [{ type: "clear-screen" }] };
    case "cycle-mode": {
      const at = MODE_CYCLE.indexOf(state.session.mode);
      const mode = MODE_CYCLE[(at + 1) % MODE_CYCLE.length];
      return {
        state: { ...state, session: { ...state.session, mode }, hint: `permission mode: ${mode}` },
        effects: [{ type: "set-mode", mode }],
      };
    }
    default:
      return none(state);
  }
}

function inputKey(state: UiState, key: KeyPress): Update {
  const action = actionFor(key, "input");
  if (state.selectedChip !== null) {
    if (action === "delete-forward" || action === "delete-back") {
      const files = state.files.filter((_, i) => i !== state.selectedChip);
      const selectedChip = files.length === 0 ? null : Math.min(state.selectedChip, files.length - 1);
      return none({ ...state, files, selectedChip });
    }
    if (action !== "chip-next") return inputKey({ ...state, selectedChip: null }, key);
  }
  switch (action) {
    case "submit":
      return submitText(state, expandPastes(state.editor.text, state.pastes));
    case "newline":
      return edited(state, ed.insertText(state.editor, "\n"));
    case "history-prev":
    case "history-next":
      return browse(state, action === "history-prev" ? -1 : 1);
    case "chip-next": {
      if (state.files.length === 0) return none({ ...state, hint: "Type @ to attach a file" });
      const next = state.selectedChip === null ? 0 : state.selectedChip + 1;
      return none({ ...state, selectedChip: next >= state.files.length ? null : next });
    }
    case "cycle-mode":
      return runAction(state, action);
    default:
      break;
  }
  if (key.name === "paste") return paste(state, key.text ?? "");
  const editor = editKey(state.editor, key);
  return editor ? edited(state, editor) : none(state);
}

function edited(state: UiState, editor: ed.EditorState): Update {
  const history = state.history.index === null ? state.history : { ...state.history, index: null };
  return none(syncCompletion({ ...state, editor, history, hint: null }));
}

function browse(state: UiState, delta: -1 | 1): Update {
  const moved = ed.moveVertical(state.editor, delta);
  if (moved) return none({ ...state, editor: moved });
  const step = delta < 0 ? historyPrev(state.history, state.editor.text) : historyNext(state.history);
  if (!step) return none(state);
  return none(syncCompletion({ ...state, history: step.history, editor: ed.editorOf(step.text), overlay: null }));
}

function paste(state: UiState, text: string): Update {
  const lines = text.replace(/\n$/, "").split("\n").length;
  if (text.length <= PASTE_CHIP_CHARS && lines <= PASTE_CHIP_LINES)
    return edited(state, ed.insertText(state.editor, text));
  const id = (state.pastes.at(-1)?.id ?? 0) + 1;
  const label = `[Pasted text #${id} +${lines} lines]`;
  return edited({ ...state, pastes: [...state.pastes, { id, label, text }] }, ed.insertText(state.editor, label));
}

export function expandPastes(text: string, pastes: UiState["pastes"]): string {
  let out = text;
  for (const chip of pastes) out = out.split(chip.label).join(chip.text);
  return out;
}

/** Sends what was typed: a /command, a !shell command, or a prompt (queued while busy). */
function submitText(state: UiState, raw: string): Update {
  const text = raw.trim();
  if (text === "") return none(state);
  const cleared: UiState = {
    ...state,
    editor: ed.EMPTY_EDITOR,
    pastes: [],
    overlay: null,
    dismissed: null,
    hint: null,
    history: historyPush(state.history, raw.trimEnd()),
  };
  const remember = { type: "remember" as const, text: raw.trimEnd() };
  if (text.startsWith("/") && !text.startsWith("//")) {
    const [word] = text.slice(1).split(/\s+/);
    const name = word.toLowerCase();
    const known = state.commands.some((c) => c.name === name);
    if (!known) {
      const shown = addEntries(cleared, [
        { kind: "notice", level: "warn", text: `Unknown command /${word}. /help lists the commands.` },
      ]);
      return { state: { ...shown, editor: ed.editorOf(text) }, effects: [] };
    }
    const args = text.slice(1 + word.length).trim();
    return { state: cleared, effects: [remember, { type: "command", name, args }] };
  }
  const prompt = { text: text.startsWith("//") ? text.slice(1) : text, attachments: [...state.files] };
  if (isBusy(state) || state.approval) {
    const queue = [...cleared.queue, prompt];
    const hint = `Queued (${queue.length}): runs when the current task ends. /queue lists, /queue clear drops.`;
    return { state: { ...cleared, queue, hint }, effects: [remember] };
  }
  const started = startPrompt(cleared, prompt);
  return { state: started.state, effects: [remember, ...started.effects] };
}
