/**
 * The UI's thin IO shell: it holds the state, feeds actions through the pure reducer and
 * performs the effects it asks for against the runtime (run, cancel, answer an approval,
 * run a command). React only subscribes; the loop stays in the runtime, not in a hook.
 */

import type { ApprovalDecision, Approver } from "../core/approval.js";
import type { AgentEvent } from "../core/types.js";
import { openInEditorSync } from "../exec/editor.js";
import type { Runtime } from "../runtime/runtime.js";
import type { CommandContext, CommandRegistry, ViewRegistry } from "./commands/registry.js";
import { listProjectFiles } from "./file-index.js";
import type { HistoryStore } from "./history-store.js";
import { type Action, initialState, update } from "./state/reducer.js";
import type { Effect, UiState } from "./state/types.js";

export interface ControllerIo {
  /** Clears the visible screen (scrollback stays) and redraws the live region. */
  clearScreen(): void;
  /** Leaves the UI. */
  exit(): void;
  /**
   * Hands the terminal to the person's editor on `file` and takes it back when the editor
   * exits; resolves to why the edit did not happen, or undefined.
   */
  openInEditor(file: string, env: NodeJS.ProcessEnv): string | undefined;
}

export interface ControllerOptions {
  commands: CommandRegistry;
  views: ViewRegistry;
  history?: HistoryStore;
  width: number;
  height: number;
  /** Builds a runtime for a folder with this controller's callbacks (used at start and by /cd). */
  createRuntime(cwd: string, callbacks: RuntimeCallbacks): Promise<Runtime>;
  /** Ms between status-bar ticks while busy (elapsed time, spinner). */
  tickMs?: number;
  now?: () => number;
  /** The environment the person's editor is looked up in ($VISUAL, $EDITOR); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

export interface RuntimeCallbacks {
  approve: Approver;
  onEvent(event: AgentEvent): void;
}

export interface Controller {
  getState(): UiState;
  subscribe(listener: () => void): () => void;
  dispatch(action: Action): void;
  /** The runtime callbacks to build a runtime with. */
  readonly callbacks: RuntimeCallbacks;
  attach(runtime: Runtime): void;
  runtime(): Runtime | undefined;
  setIo(io: ControllerIo): void;
  /** Ends timers and cancels whatever runs. */
  dispose(): void;
  /** Resolves once the task, shell command or command task in flight (and any queued behind it) has finished. */
  settled(): Promise<void>;
}

export function createController(options: ControllerOptions): Controller {
  const now = options.now ?? Date.now;
  let state = initialState({
    session: { profile: "", model: "", provider: "", mode: "ask", window: 0, cwd: "" },
    commands: options.commands.infos(),
    width: options.width,
    height: options.height,
    now: now(),
  });
  const listeners = new Set<() => void>();
  let runtime: Runtime | undefined;
  let io: ControllerIo = { clearScreen: () => undefined, exit: () => undefined, openInEditor: openInEditorSync };
  let task: AbortController | undefined;
  /** The task or shell command in flight; the next one starts after it settles. */
  let work: Promise<void> = Promise.resolve();
  let ticker: NodeJS.Timeout | undefined;
  let notifyScheduled = false;
  let nextApproval = 1;
  let nextPicker = 1;
  const approvals = new Map<number, (decision: ApprovalDecision) => void>();
  const pickers = new Map<number, (value: string | undefined) => void>();

  const notify = () => {
    // Bursts of stream deltas are drawn once.
    if (notifyScheduled) return;
    notifyScheduled = true;
    setImmediate(() => {
      notifyScheduled = false;
      for (const listener of listeners) listener();
    });
  };

  const syncTicker = () => {
    const busy = state.activity.kind !== "idle";
    if (busy && !ticker) {
      ticker = setInterval(() => dispatch({ type: "tick" }), options.tickMs ?? 500);
      ticker.unref();
    } else if (!busy && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  function dispatch(action: Action): void {
    const out = update(state, action, now());
    state = out.state;
    notify();
    syncTicker();
    for (const effect of out.effects) perform(effect);
  }

  const callbacks: RuntimeCallbacks = {
    onEvent: (event) => dispatch({ type: "agent", event }),
    approve: (request, signal) =>
      new Promise<ApprovalDecision>((resolve) => {
        const id = nextApproval++;
        const finish = (decision: ApprovalDecision) => {
          if (!approvals.delete(id)) return;
          signal.removeEventListener("abort", onAbort);
          resolve(decision);
        };
        const onAbort = () => {
          finish({ approved: false });
          dispatch({ type: "approval-gone", id });
        };
        approvals.set(id, finish);
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        dispatch({ type: "approval", id, request });
      }),
  };

  const sessionFrom = (r: Runtime) => ({
    profile: r.profile.name,
    model: r.profile.model,
    provider: r.profile.provider,
    mode: r.permissionMode,
    window: r.contextWindow,
    cwd: r.root,
  });

  const context = (): CommandContext => ({
    get runtime() {
      if (!runtime) throw new Error("No runtime yet.");
      return runtime;
    },
    state: () => state,
    print: (body) => dispatch({ type: "print", body }),
    info: (lines, title) => dispatch({ type: "print", body: { kind: "info", title, lines } }),
    notice: (text, level = "info") => dispatch({ type: "print", body: { kind: "notice", level, text } }),
    pick: (pickOptions) =>
      new Promise((resolve) => {
        const id = nextPicker++;
        pickers.set(id, resolve);
        dispatch({
          type: "open-list",
          purpose: { kind: "picker", id },
          title: pickOptions.title,
          items: pickOptions.items,
          empty: pickOptions.empty,
        });
      }),
    openView: (id, data) => dispatch({ type: "open-view", id, data, captureKeys: options.views.find(id)?.captureKeys }),
    closeView: () => dispatch({ type: "close-overlay" }),
    dispatch,
    replaceRuntime: (next) => controller.attach(next),
    createRuntime: (cwd) => options.createRuntime(cwd, callbacks),
    runTask,
    clearScreen: () => io.clearScreen(),
    openInEditor: (file) => io.openInEditor(file, options.env ?? process.env),
    exit: () => io.exit(),
  });

  function runTask<T>(badge: string, run: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    if (state.activity.kind !== "idle" || state.approval) {
      dispatch({
        type: "print",
        body: { kind: "notice", level: "warn", text: "A task is running; wait for it (or Ctrl+C cancels it)." },
      });
      return Promise.resolve(undefined);
    }
    dispatch({ type: "task-begin", badge });
    task = new AbortController();
    const signal = task.signal;
    const done = work.then(() => run(signal));
    work = done.then(
      () => dispatch({ type: "task-end" }),
      (err: unknown) => dispatch({ type: "task-error", message: (err as Error)?.message ?? String(err) }),
    );
    return done.then(
      (value) => value,
      () => undefined,
    );
  }

  const report = (err: unknown) =>
    dispatch({ type: "print", body: { kind: "notice", level: "error", text: (err as Error)?.message ?? String(err) } });

  async function runCommand(name: string, args: string): Promise<void> {
    const spec = options.commands.find(name);
    if (!spec) return;
    if (spec.idleOnly && state.activity.kind !== "idle") {
      dispatch({
        type: "print",
        body: {
          kind: "notice",
          level: "warn",
          text: `/${spec.name} waits until the task ends (or Ctrl+C cancels it).`,
        },
      });
      return;
    }
    // The UI goes idle on the result event, a moment before run() returns (telemetry,
    // checkpoint, auto-commit): a profile switch or /new waits for that tail.
    if (spec.idleOnly) await work;
    await spec.run(context(), args);
  }

  function perform(effect: Effect): void {
    switch (effect.type) {
      case "run": {
        if (!runtime) return;
        const current = runtime;
        task = new AbortController();
        const signal = task.signal;
        const { text, attachments, quick } = effect.prompt;
        // The result event ends a task a moment before run() returns: a queued prompt waits for it.
        work = work
          .then(() => (quick ? current.runQuick(text, signal) : current.run(text, signal, { attachments })))
          .then(
            () => undefined,
            (err: unknown) => dispatch({ type: "task-error", message: (err as Error)?.message ?? String(err) }),
          );
        return;
      }
      case "cancel":
        task?.abort();
        return;
      case "exit":
        io.exit();
        return;
      case "answer":
        approvals.get(effect.id)?.(effect.decision);
        return;
      case "shell": {
        if (!runtime) return;
        const current = runtime;
        task = new AbortController();
        const signal = task.signal;
        const command = effect.command;
        work = work
          .then(() => current.runShell(command, signal))
          .then(
            (result) => dispatch({ type: "shell-done", command, result }),
            (err: unknown) => dispatch({ type: "task-error", message: (err as Error)?.message ?? String(err) }),
          );
        return;
      }
      case "command":
        runCommand(effect.name, effect.args).catch(report);
        return;
      case "picked": {
        const resolve = pickers.get(effect.id);
        pickers.delete(effect.id);
        resolve?.(effect.value);
        return;
      }
      case "remember":
        options.history?.append(effect.text).catch(() => undefined);
        return;
      case "load-files":
        if (runtime) listProjectFiles(runtime.root).then((files) => dispatch({ type: "files", files }), report);
        return;
      case "set-mode":
        runtime?.setPermissionMode(effect.mode);
        return;
      case "view-key": {
        const view = options.views.find(effect.id);
        Promise.resolve(view?.onKey?.(effect.key, context(), effect.data, effect.text)).catch(report);
        return;
      }
      case "clear-screen":
        io.clearScreen();
        return;
    }
  }

  const controller: Controller = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch,
    callbacks,
    attach(next) {
      runtime = next;
      dispatch({ type: "session", session: sessionFrom(next) });
      dispatch({ type: "files", files: [] });
      listProjectFiles(next.root).then((files) => dispatch({ type: "files", files }), report);
    },
    runtime: () => runtime,
    async settled() {
      for (let seen: Promise<void> | undefined; seen !== work; ) {
        seen = work;
        await seen;
      }
    },
    setIo(next) {
      io = next;
    },
    dispose() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      task?.abort();
      for (const resolve of pickers.values()) resolve(undefined);
      pickers.clear();
    },
  };
  options.history
    ?.load()
    .then((entries) => dispatch({ type: "history", entries }))
    .catch(() => undefined);
  return controller;
}
