/**
 * A session's hooks: the commands per event, the `hooks_disabled` kill switch, and the
 * on/off toggle a front end flips (/hooks on|off). Runs an event's commands in order.
 */
import type { HookEventName } from "../core/types.js";
import { HOOK_EVENTS, type HookSet } from "./config.js";
import type { HookRun, HookRunner } from "./runner.js";

export interface HooksOptions {
  hooks: HookSet;
  /** `hooks_disabled = true`: nothing runs, and the toggle cannot turn them on. */
  disabled?: boolean;
  runner: HookRunner;
  /** Where each event's commands came from, for /list-hooks (e.g. "~/.config/parecode/config.toml"). */
  sources?: Partial<Record<HookEventName, string>>;
}

export interface HookListing {
  /** Whether hooks run now: the toggle is on and the config does not disable them. */
  enabled: boolean;
  /** `hooks_disabled = true` in the config. */
  disabledByConfig: boolean;
  events: Array<{ event: HookEventName; commands: string[]; source?: string }>;
}

export interface Hooks {
  enabled(): boolean;
  /** The session toggle; has no effect while the config disables hooks. */
  setEnabled(on: boolean): void;
  /**
   * Runs the event's commands in order and returns each run; [] when hooks are off or
   * the event has none. on_edit stops at the first failure: a second check of a broken
   * build only adds noise to the model's context. Never throws.
   */
  run(event: HookEventName, signal?: AbortSignal): Promise<HookRun[]>;
  list(): HookListing;
}

export function createHooks(options: HooksOptions): Hooks {
  const disabled = options.disabled === true;
  let toggle = true;
  const enabled = () => toggle && !disabled;
  return {
    enabled,
    setEnabled(on) {
      toggle = on;
    },
    async run(event, signal) {
      if (!enabled()) return [];
      const runs: HookRun[] = [];
      for (const command of options.hooks[event]) {
        if (signal?.aborted) break;
        const run = await options.runner(event, command, signal);
        runs.push(run);
        if (!run.ok && event === "on_edit") break;
      }
      return runs;
    },
    list() {
      return {
        enabled: enabled(),
        disabledByConfig: disabled,
        events: HOOK_EVENTS.map((event) => {
          const source = options.sources?.[event];
          const entry = { event, commands: [...options.hooks[event]] };
          return source === undefined ? entry : { ...entry, source };
        }),
      };
    },
  };
}

/**
 * What the model reads after a tool result: one short line per passing command (tokens
 * matter), the command's output when it failed.
 */
export function hookRunsForModel(runs: readonly HookRun[]): string {
  return runs
    .map((run) => {
      if (run.ok) return `⚙ \`${run.command}\` passed`;
      const status = run.timedOut
        ? "timed out, killed"
        : run.exitCode === null
          ? "did not finish"
          : `exit ${run.exitCode}`;
      return `⚙ \`${run.command}\` (${status}):\n${run.output === "" ? "(no output)" : run.output}`;
    })
    .join("\n");
}
