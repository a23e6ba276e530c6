/**
 * The one command registry: the slash menu, the palette and /help all read it, so a
 * command is defined once. Features register their own commands and views here (sessions,
 * undo/diff, hooks, MCP, plan) without touching the UI's core:
 *
 *   registry.register({ name: "undo", description: "restore the last checkpoint", run: async (ctx) => … });
 *   views.register({ id: "diff", title: "Diff", render: (props) => <DiffView … /> });
 *
 * A command's `run` gets a CommandContext: the runtime, the current UI state, and ways to
 * print into the chat, ask with a picker, open a view, or exit.
 */
import type { ReactNode } from "react";
import type { Runtime } from "../../runtime/runtime.js";
import type { Action } from "../state/reducer.js";
import type { CommandInfo, EntryBody, ListItem, UiState } from "../state/types.js";

export interface PickOptions {
  title: string;
  items: ListItem[];
  /** Shown when the list is empty. */
  empty?: string;
}

export interface CommandContext {
  /** The runtime as it is now (it changes after /cd). */
  readonly runtime: Runtime;
  /** The UI state when the command started. */
  state(): UiState;
  /** Prints finished lines into the chat. */
  print(body: EntryBody): void;
  info(lines: string[], title?: string): void;
  notice(text: string, level?: "info" | "warn" | "error"): void;
  /** Shows a picker; resolves to the chosen value, or undefined on Esc. */
  pick(options: PickOptions): Promise<string | undefined>;
  /** Opens a registered view in the live region (Esc closes it). */
  openView(id: string, data?: unknown): void;
  closeView(): void;
  dispatch(action: Action): void;
  /** Replaces the runtime (e.g. /cd to another folder); the UI's session info follows it. */
  replaceRuntime(runtime: Runtime): void;
  /** Builds a runtime for another folder with the same front-end callbacks. */
  createRuntime(cwd: string): Promise<Runtime>;
  /**
   * Runs `run` as the UI's task, as a typed prompt runs: the status bar shows it busy with
   * `badge` ("plan", "quick"), Ctrl+C aborts its signal, prompts sent meanwhile queue and
   * start once it ends. Resolves to what `run` returned, or undefined when it threw (the
   * error is shown) or another task was running (the person is told to wait).
   */
  runTask<T>(badge: string, run: (signal: AbortSignal) => Promise<T>): Promise<T | undefined>;
  clearScreen(): void;
  /** Opens `file` in $VISUAL/$EDITOR with the terminal handed over; resolves to why not, or undefined once saved and closed. */
  openInEditor(file: string): string | undefined;
  exit(): void;
}

export interface CommandSpec {
  name: string;
  aliases?: string[];
  /** How arguments are written in /help and the menu, e.g. "NAME" or "[clear]". */
  args?: string;
  description: string;
  /** Enter in the slash menu waits for arguments instead of running it at once. */
  needsArgs?: boolean;
  /** Refuse while a task runs (profile switches, /cd, /new). */
  idleOnly?: boolean;
  run(ctx: CommandContext, args: string): void | Promise<void>;
}

export interface CommandRegistry {
  /** Throws when the name or an alias is taken: no command is defined twice. */
  register(spec: CommandSpec): void;
  find(nameOrAlias: string): CommandSpec | undefined;
  list(): readonly CommandSpec[];
  /** What the reducer needs: names (aliases included, pointing at the same description). */
  infos(): CommandInfo[];
}

export function createCommandRegistry(specs: readonly CommandSpec[] = []): CommandRegistry {
  const byName = new Map<string, CommandSpec>();
  const ordered: CommandSpec[] = [];
  const registry: CommandRegistry = {
    register(spec) {
      for (const name of [spec.name, ...(spec.aliases ?? [])]) {
        if (!/^[a-z][a-z0-9-]*$/.test(name))
          throw new Error(`Command name "${name}" must be lower-case letters, digits and dashes.`);
        if (byName.has(name)) throw new Error(`The command /${name} is already registered.`);
      }
      for (const name of [spec.name, ...(spec.aliases ?? [])]) byName.set(name, spec);
      ordered.push(spec);
    },
    find: (name) => byName.get(name.toLowerCase()),
    list: () => ordered,
    infos() {
      const infos: CommandInfo[] = [];
      for (const spec of ordered) {
        const base = { args: spec.args, description: spec.description, needsArgs: spec.needsArgs ?? false };
        infos.push({ name: spec.name, ...base });
        for (const alias of spec.aliases ?? []) infos.push({ name: alias, ...base, description: `= /${spec.name}` });
      }
      return infos;
    },
  };
  for (const spec of specs) registry.register(spec);
  return registry;
}

export interface ViewProps {
  state: UiState;
  width: number;
  /** Rows the view may use (its frame included): more would make the terminal scroll. */
  height: number;
  /** Lines scrolled with ↑/↓/PgUp/PgDn. */
  scroll: number;
  /** What the view was opened with. */
  data?: unknown;
}

export interface ViewSpec {
  id: string;
  title: string;
  /** One line under the title, e.g. "Enter saves · Esc cancels". */
  help?: string;
  render(props: ViewProps): ReactNode;
  /**
   * Keys the view does not scroll with (Enter, letters); key ids as the bindings table names
   * them. With `captureKeys`, every key arrives here: typed characters as "text" and pasted
   * text as "paste", with the characters in `text`.
   */
  onKey?(key: string, ctx: CommandContext, data: unknown, text?: string): void | Promise<void>;
  /**
   * The view takes ↑/↓/PgUp/PgDn (a cursor instead of scrolling), Esc and, when nothing
   * runs, Ctrl+C; it must close itself (ctx.closeView) on the keys that should close it.
   */
  captureKeys?: boolean;
}

export interface ViewRegistry {
  register(spec: ViewSpec): void;
  find(id: string): ViewSpec | undefined;
  list(): readonly ViewSpec[];
}

export function createViewRegistry(specs: readonly ViewSpec[] = []): ViewRegistry {
  const byId = new Map<string, ViewSpec>();
  const registry: ViewRegistry = {
    register(spec) {
      if (byId.has(spec.id)) throw new Error(`The view "${spec.id}" is already registered.`);
      byId.set(spec.id, spec);
    },
    find: (id) => byId.get(id),
    list: () => [...byId.values()],
  };
  for (const spec of specs) registry.register(spec);
  return registry;
}

/** A feature's additions to the UI: its commands and views. */
export interface TuiExtension {
  commands?: CommandSpec[];
  views?: ViewSpec[];
}
