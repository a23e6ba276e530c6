/**
 * The whole UI as one value. The reducer (reducer.ts) is the only thing that makes a new
 * one, from agent events and key presses; components only read it.
 */
import type { ApprovalDecision, ApprovalRequest, PermissionMode } from "../../core/approval.js";
import type { TaskStatus } from "../../core/types.js";
import type { EditorState } from "./editor.js";
import type { HistoryState } from "./history.js";
import type { PlanUi } from "./plan-state.js";

/** What the agent is doing right now, for the status bar. */
export type Activity =
  | { kind: "idle" }
  | { kind: "starting"; since: number }
  | { kind: "thinking"; since: number; taskSince: number }
  | { kind: "streaming"; since: number; taskSince: number }
  | { kind: "tool"; since: number; taskSince: number; summary: string }
  | { kind: "approval"; since: number; taskSince: number }
  /** The task waits for the person outside an approval (e.g. the review of a plan). */
  | { kind: "waiting"; since: number; taskSince: number; what: string }
  | { kind: "shell"; since: number; command: string };

/** One finished item of the chat, printed once into the terminal's scrollback. */
export type EntryBody =
  | { kind: "user"; text: string; attachments: string[] }
  | { kind: "assistant"; markdown: string }
  | {
      kind: "tool";
      callId: string;
      name: string;
      summary: string;
      display: string;
      status: "ok" | "error" | "denied";
      durationMs: number;
    }
  | { kind: "hook"; hook: string; command: string; ok: boolean; output: string }
  | { kind: "diff"; title: string; diff: string }
  | { kind: "notice"; level: "info" | "warn" | "error"; text: string }
  | { kind: "result"; status: TaskStatus; line: string }
  | { kind: "shell"; command: string; output: string; display: string; isError: boolean; blocked?: string }
  | { kind: "info"; title?: string; lines: string[] }
  | { kind: "markdown"; markdown: string }
  /** The header above a plan step's tool lines and answer. */
  | { kind: "plan-step"; step: number; total: number; description: string; detail: string }
  | { kind: "welcome"; lines: string[] };

/** `gap`: a blank line above it (a new Markdown block of the same answer, a new prompt). */
export type Entry = EntryBody & { id: number; at: number; gap: boolean };

/** A prompt waiting its turn, with the files pinned when it was sent. */
export interface QueuedPrompt {
  text: string;
  attachments: string[];
  /** /quick: one call on the quick route, no history (attachments are not sent). */
  quick?: boolean;
}

/** A large paste shown as a chip in the input; expanded back when the prompt is sent. */
export interface PasteChip {
  id: number;
  /** The placeholder in the input text, e.g. "[Pasted text #1 +42 lines]". */
  label: string;
  text: string;
}

export interface ListItem {
  value: string;
  label: string;
  hint?: string;
}

/** What a list overlay is for; the controller resolves `picker` ones to the command that asked. */
export type ListPurpose = { kind: "slash" } | { kind: "files" } | { kind: "palette" } | { kind: "picker"; id: number };

export interface ListOverlay {
  kind: "list";
  purpose: ListPurpose;
  title: string;
  /** Typed filter (palette and pickers); the slash menu and file picker filter on the input text. */
  query: string;
  /** The items shown (after the filter). */
  items: ListItem[];
  /** Everything the palette or picker offers before the filter. */
  all?: ListItem[];
  selected: number;
  /** Message shown when there are no items. */
  empty?: string;
}

export interface ViewOverlay {
  kind: "view";
  id: string;
  scroll: number;
  /** Whatever the view was opened with (e.g. the /init preview text). */
  data?: unknown;
  /** The view takes ↑/↓/PgUp/PgDn, Esc and (when idle) Ctrl+C itself; see ViewSpec.captureKeys. */
  captureKeys?: boolean;
}

export type Overlay = ListOverlay | ViewOverlay;

export interface PendingApproval {
  id: number;
  request: ApprovalRequest;
  /** After "n": typing the optional reason for the model. */
  reason: EditorState | null;
}

export interface SessionInfo {
  profile: string;
  model: string;
  provider: string;
  mode: PermissionMode;
  /** The window the budget works against. */
  window: number;
  cwd: string;
}

export interface Stats {
  tasks: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Null once any call's price was unknown. */
  costUsd: number | null;
  toolCalls: number;
  /** History tokens the budget removed by compressing and dropping, over the session. */
  savedTokens: number;
  /** Tokens of the latest request (estimated before the answer, exact after). */
  contextTokens: number;
  peakContextPct: number;
  /** Input+output tokens per finished task, oldest first (the stats view draws them). */
  perTask: number[];
  /** Tool calls by tool name. */
  byTool: Record<string, number>;
}

/** What the slash menu, the palette and /help know of a registered command. */
export interface CommandInfo {
  name: string;
  /** How its arguments are written, e.g. "NAME" or "[clear]". */
  args?: string;
  description: string;
  /** Enter in the slash menu inserts the name and waits for arguments instead of running it. */
  needsArgs: boolean;
}

export interface UiState {
  session: SessionInfo;
  /** Every registered command, for the slash menu and the palette. */
  commands: CommandInfo[];
  entries: Entry[];
  nextId: number;
  /** Markdown still streaming: only the tail that is not yet a finished block. */
  streaming: string;
  activity: Activity;
  /** What kind of task runs, when it is not a plain prompt ("quick", "plan 2/4"); shown before the activity. */
  badge: string | null;
  /** Plan mode: planning, the review, the run and how it ended; null before the first /plan. */
  plan: PlanUi | null;
  /** Calls started and not yet ended, in order. */
  running: { callId: string; summary: string }[];
  editor: EditorState;
  history: HistoryState;
  /** Project-relative files pinned to every prompt until removed. */
  files: string[];
  /** Index into `files` selected with Tab (Del removes it), or null. */
  selectedChip: number | null;
  pastes: PasteChip[];
  queue: QueuedPrompt[];
  overlay: Overlay | null;
  /** The completion token (e.g. "/he" or "@src") whose menu Esc closed; it stays closed until the token changes. */
  dismissed: string | null;
  approval: PendingApproval | null;
  /** The project's files for the @ picker; null until loaded. */
  fileIndex: string[] | null;
  stats: Stats;
  /** Tool outputs of the session by call id, for the tool view (capped). */
  toolOutputs: { callId: string; summary: string; output: string; isError: boolean }[];
  timestamps: boolean;
  /** A first Ctrl+C while idle arms exit until this time. */
  exitArmedUntil: number;
  /** A one-line hint under the input (e.g. "Press Ctrl+C again to exit"). */
  hint: string | null;
  width: number;
  height: number;
  /** Bumped when the whole chat is printed again at a new width (after a resize). */
  epoch: number;
  now: number;
}

/** Work the reducer asks for; the controller performs it and reports back with actions. */
export type Effect =
  | { type: "run"; prompt: QueuedPrompt }
  | { type: "cancel" }
  | { type: "exit" }
  | { type: "answer"; id: number; decision: ApprovalDecision }
  | { type: "shell"; command: string }
  | { type: "command"; name: string; args: string }
  | { type: "picked"; id: number; value: string | undefined }
  | { type: "remember"; text: string }
  | { type: "load-files" }
  /** `text`: what was typed or pasted, for views that capture keys (their key is then "text" or "paste"). */
  | { type: "view-key"; id: string; key: string; data?: unknown; text?: string }
  | { type: "clear-screen" }
  | { type: "set-mode"; mode: PermissionMode };
