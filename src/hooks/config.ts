/**
 * The one reader of a `hooks` table, shared by the runtime and `parecode doctor`:
 *
 *   [profiles.local.hooks]
 *   on_edit = ["cargo check -q"]
 *   on_task_done = ["cargo test -q 2>&1 | tail -5"]
 *   timeout = 60          # seconds per command (default 30)
 *
 * A mistake never stops a run: the event it concerns is ignored and the problem is
 * reported (a warning at run time, a failed check in doctor).
 */
import { closestKey } from "../config/known-keys.js";
import type { HookEventName } from "../core/types.js";

export const HOOK_EVENTS: readonly HookEventName[] = [
  "on_edit",
  "on_task_done",
  "on_plan_step_done",
  "on_session_start",
  "on_session_end",
];

/** Commands per event, in the order they run. */
export type HookSet = Record<HookEventName, string[]>;

/** Seconds a hook command may run before its process group is killed. */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 30;

export interface HookProblem {
  /** Dotted key, e.g. `profiles.local.hooks.on_edit`. */
  at: string;
  problem: string;
  fix: string;
  /** "fail": the event is ignored; "warn": an unknown key, nothing lost. */
  severity: "warn" | "fail";
}

export interface ParsedHooks {
  hooks: HookSet;
  /** `timeout` in the table, when valid. */
  timeoutSeconds?: number;
  problems: HookProblem[];
}

export function emptyHookSet(): HookSet {
  return { on_edit: [], on_task_done: [], on_plan_step_done: [], on_session_start: [], on_session_end: [] };
}

export function isHookEvent(key: string): key is HookEventName {
  return (HOOK_EVENTS as readonly string[]).includes(key);
}

/**
 * Reads one `hooks` table. `at` is its dotted key (`profiles.local.hooks`); `place` says
 * where to edit, for fixes (`under [profiles.local] in ~/.config/parecode/config.toml`).
 */
export function parseHooksTable(value: unknown, at: string, place: string): ParsedHooks {
  const hooks = emptyHookSet();
  const problems: HookProblem[] = [];
  if (value === undefined) return { hooks, problems };
  if (!isTable(value)) {
    problems.push({
      at,
      problem: `${at} is not a table`,
      fix: `Write it like hooks = { on_edit = ["npm run lint"] } ${place}.`,
      severity: "fail",
    });
    return { hooks, problems };
  }
  let timeoutSeconds: number | undefined;
  for (const [key, commands] of Object.entries(value)) {
    const keyAt = `${at}.${key}`;
    if (key === "timeout") {
      if (typeof commands === "number" && Number.isFinite(commands) && commands > 0) timeoutSeconds = commands;
      else {
        problems.push({
          at: keyAt,
          problem: `${keyAt} must be a number of seconds greater than 0`,
          fix: `Write it like timeout = 60 ${place}.`,
          severity: "fail",
        });
      }
      continue;
    }
    if (!isHookEvent(key)) {
      problems.push({
        at: keyAt,
        problem: `${keyAt} is not a hook event${closeEvent(key)}`,
        fix: `Rename it to one of ${HOOK_EVENTS.join(", ")} ${place}.`,
        severity: "warn",
      });
      continue;
    }
    if (!Array.isArray(commands) || !commands.every((c) => typeof c === "string")) {
      problems.push({
        at: keyAt,
        problem: `${keyAt} is not a list of commands`,
        fix: `Write it like ${key} = ["npm run lint"] ${place}.`,
        severity: "fail",
      });
      continue;
    }
    hooks[key] = (commands as string[]).map((c) => c.trim()).filter((c) => c !== "");
  }
  return timeoutSeconds === undefined ? { hooks, problems } : { hooks, timeoutSeconds, problems };
}

/** "; did you mean on_edit?" when the key is a likely typo of an event. */
function closeEvent(key: string): string {
  const close = closestKey(key, [...HOOK_EVENTS, "timeout"]);
  return close === undefined ? "" : `; did you mean ${close}?`;
}

/** True when the table holds at least one command. */
export function hasCommands(hooks: HookSet): boolean {
  return HOOK_EVENTS.some((event) => hooks[event].length > 0);
}

/**
 * One line naming every configured command, for the start of a session:
 * `on_edit: cargo check -q · on_task_done: cargo test -q 2>&1 | tail -5`.
 */
export function describeHooks(hooks: HookSet): string {
  return HOOK_EVENTS.filter((event) => hooks[event].length > 0)
    .map((event) => `${event}: ${hooks[event].join(", ")}`)
    .join(" · ");
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
