/**
 * The UI as a pure function: (state, action, now) → (state, effects). Agent events and key
 * presses come in; what the user sees comes out, plus the work the controller must do
 * (run a task, cancel, answer an approval). Nothing here touches a terminal, a file or
 * the runtime, so every behaviour is tested by feeding actions.
 */
import type { ApprovalRequest } from "../../core/approval.js";
import type { AgentEvent } from "../../core/types.js";
import type { ShellResult } from "../../runtime/runtime.js";
import type { KeyPress } from "../keys/decode.js";
import { applyAgentEvent, emptyStats } from "./agent-events.js";
import { syncCompletion } from "./completion.js";
import { EMPTY_EDITOR, editorOf } from "./editor.js";
import { addEntries, drainQueue, isBusy, startPrompt, type Update } from "./flow.js";
import { emptyHistory } from "./history.js";
import { onKey } from "./keys.js";
import { applyPlanEvent } from "./plan-events.js";
import { type PlanAction, reducePlanAction } from "./plan-state.js";
import type { EntryBody, ListItem, ListPurpose, QueuedPrompt, SessionInfo, UiState, ViewOverlay } from "./types.js";

export type { Update } from "./flow.js";

export type Action =
  | { type: "key"; key: KeyPress }
  | { type: "agent"; event: AgentEvent }
  | { type: "tick" }
  | { type: "resize"; width: number; height: number }
  /** The screen was cleared: print the whole chat again at the current width. */
  | { type: "reflow" }
  /** The runtime's approver is waiting for this answer. */
  | { type: "approval"; id: number; request: ApprovalRequest }
  /** The task behind a pending approval was cancelled: the dialog goes away. */
  | { type: "approval-gone"; id: number }
  /** A task could not start or crashed outside the loop. */
  | { type: "task-error"; message: string }
  | { type: "shell-start"; command: string }
  | { type: "shell-done"; command: string; result: ShellResult }
  | { type: "files"; files: string[] }
  | { type: "history"; entries: string[] }
  | { type: "print"; body: EntryBody }
  | { type: "open-list"; purpose: ListPurpose; title: string; items: ListItem[]; empty?: string }
  | { type: "open-view"; id: string; data?: unknown; captureKeys?: boolean }
  | { type: "close-overlay" }
  | { type: "session"; session: Partial<SessionInfo> }
  | { type: "set-input"; text: string }
  | { type: "queue-clear" }
  | { type: "timestamps"; on: boolean }
  | { type: "reset-stats" }
  | { type: "hint"; text: string | null }
  /** A prompt from a command (/quick): runs now, or queues behind the running task. */
  | { type: "prompt"; prompt: QueuedPrompt }
  /** A command's own task began (see CommandContext.runTask); `badge` names it in the status bar. */
  | { type: "task-begin"; badge: string }
  /** That task ended: the next queued prompt may start. */
  | { type: "task-end" }
  | PlanAction;

export interface InitialStateOptions {
  session: SessionInfo;
  commands?: UiState["commands"];
  width?: number;
  height?: number;
  now?: number;
  history?: string[];
}

export function initialState(options: InitialStateOptions): UiState {
  return {
    session: options.session,
    commands: options.commands ?? [],
    entries: [],
    nextId: 1,
    streaming: "",
    activity: { kind: "idle" },
    badge: null,
    plan: null,
    running: [],
    editor: EMPTY_EDITOR,
    history: emptyHistory(options.history ?? []),
    files: [],
    selectedChip: null,
    pastes: [],
    queue: [],
    overlay: null,
    dismissed: null,
    approval: null,
    fileIndex: null,
    stats: emptyStats(),
    toolOutputs: [],
    timestamps: false,
    exitArmedUntil: 0,
    hint: null,
    width: options.width ?? 80,
    height: options.height ?? 24,
    epoch: 0,
    now: options.now ?? Date.now(),
  };
}

export function update(state: UiState, action: Action, now: number): Update {
  const s: UiState = { ...state, now };
  switch (action.type) {
    case "key":
      return onKey(s, action.key);
    case "agent": {
      const outcome = applyAgentEvent(s, action.event);
      const next = addEntries(outcome.state, outcome.entries);
      if (!outcome.taskEnded) return { state: next, effects: [] };
      // The task may have created files: the @ picker should offer them.
      const drained = drainQueue(next);
      return { state: drained.state, effects: [{ type: "load-files" }, ...drained.effects] };
    }
    case "tick":
      return { state: s, effects: [] };
    case "resize":
      return { state: { ...s, width: action.width, height: action.height }, effects: [] };
    case "reflow":
      return { state: { ...s, epoch: s.epoch + 1 }, effects: [] };
    case "approval": {
      const since =
        s.activity.kind === "idle" || s.activity.kind === "starting" || s.activity.kind === "shell"
          ? now
          : s.activity.taskSince;
      return {
        state: {
          ...s,
          approval: { id: action.id, request: action.request, reason: null },
          activity: { kind: "approval", since: now, taskSince: since },
        },
        effects: [],
      };
    }
    case "approval-gone":
      return { state: s.approval?.id === action.id ? { ...s, approval: null } : s, effects: [] };
    case "task-error": {
      const next = addEntries({ ...s, activity: { kind: "idle" }, badge: null, running: [], streaming: "" }, [
        { kind: "notice", level: "error", text: action.message },
      ]);
      return drainQueue(next);
    }
    case "prompt": {
      if (isBusy(s) || s.approval) {
        const queue = [...s.queue, action.prompt];
        return {
          state: { ...s, queue, hint: `Queued (${queue.length}): runs when the current task ends.` },
          effects: [],
        };
      }
      return startPrompt(s, action.prompt);
    }
    case "task-begin":
      return { state: { ...s, activity: { kind: "starting", since: now }, badge: action.badge }, effects: [] };
    case "task-end": {
      const leftover = s.streaming.trim();
      const ended = addEntries(
        {
          ...s,
          activity: { kind: "idle" },
          badge: null,
          running: [],
          streaming: "",
          hint: s.hint?.startsWith("Cancelling") ? null : s.hint,
        },
        leftover === "" ? [] : [{ kind: "assistant", markdown: leftover }],
      );
      const drained = drainQueue(ended);
      return { state: drained.state, effects: [{ type: "load-files" }, ...drained.effects] };
    }
    case "plan": {
      const outcome = applyPlanEvent(s, action.event);
      return { state: addEntries(outcome.state, outcome.entries), effects: [] };
    }
    case "plan-begin":
    case "plan-review":
    case "plan-review-action":
    case "plan-review-hint":
    case "plan-run":
    case "plan-end":
      return reducePlanAction(s, action);
    case "shell-start":
      return { state: { ...s, activity: { kind: "shell", since: now, command: action.command } }, effects: [] };
    case "shell-done": {
      const r = action.result;
      const toolOutputs = [
        ...s.toolOutputs,
        { callId: `shell-${s.nextId}`, summary: `! ${action.command}`, output: r.output, isError: r.isError },
      ].slice(-200);
      const hint = s.hint?.startsWith("Cancelling") ? null : s.hint;
      const next = addEntries({ ...s, activity: { kind: "idle" }, toolOutputs, hint }, [
        {
          kind: "shell",
          command: action.command,
          output: r.output,
          display: r.display,
          isError: r.isError,
          blocked: r.blocked,
        },
      ]);
      return drainQueue(next);
    }
    case "files":
      return { state: syncCompletion({ ...s, fileIndex: action.files }), effects: [] };
    case "history":
      return { state: { ...s, history: emptyHistory(action.entries) }, effects: [] };
    case "print":
      return { state: addEntries(s, [action.body]), effects: [] };
    case "open-list":
      return {
        state: {
          ...s,
          overlay: {
            kind: "list",
            purpose: action.purpose,
            title: action.title,
            query: "",
            items: action.items,
            all: action.items,
            selected: 0,
            empty: action.empty,
          },
        },
        effects: [],
      };
    case "open-view": {
      const view: ViewOverlay = { kind: "view", id: action.id, scroll: 0, data: action.data };
      if (action.captureKeys) view.captureKeys = true;
      return { state: { ...s, overlay: view }, effects: [] };
    }
    case "close-overlay":
      return { state: { ...s, overlay: null }, effects: [] };
    case "session":
      return { state: { ...s, session: { ...s.session, ...action.session } }, effects: [] };
    case "set-input":
      return { state: syncCompletion({ ...s, editor: editorOf(action.text), dismissed: null }), effects: [] };
    case "queue-clear":
      return { state: { ...s, queue: [] }, effects: [] };
    case "timestamps":
      return { state: { ...s, timestamps: action.on }, effects: [] };
    case "reset-stats":
      return { state: { ...s, stats: emptyStats(), toolOutputs: [] }, effects: [] };
    case "hint":
      return { state: { ...s, hint: action.text }, effects: [] };
  }
}
