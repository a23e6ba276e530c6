/**
 * The runtime's face of hooks: the /hooks toggle and /list-hooks for front ends, the
 * session-level events (start, end, plan step) run on request, and the loop's view for
 * on_edit and on_task_done. The commands can change with the profile (`use`); the toggle
 * belongs to the session and carries over.
 */
import type { AgentHooks } from "../agent/agent.js";
import type { AgentEvent, HookEventName } from "../core/types.js";
import type { HookListing, Hooks } from "../hooks/hooks.js";
import type { HookRun } from "../hooks/runner.js";

/** The session's hooks as a front end drives them (/hooks on|off, /list-hooks, plan steps, session start and end). */
export interface RuntimeHooks {
  /** Whether hooks run now: the toggle is on and the config does not disable them. */
  enabled(): boolean;
  /** /hooks on|off for the rest of the session; `hooks_disabled = true` in the config still wins. */
  setEnabled(on: boolean): void;
  /** Every event with its commands and where they came from, for /list-hooks. */
  list(): HookListing;
  /**
   * Runs an event's commands now (on_session_start when a front end opens, on_session_end
   * when it closes, on_plan_step_done after a plan step), each reported as a `hook` event
   * with turn 0. Resolves with the runs; [] when hooks are off. Never rejects.
   */
  run(event: Exclude<HookEventName, "on_edit" | "on_task_done">, signal?: AbortSignal): Promise<HookRun[]>;
}

export interface RuntimeHooksHolder {
  api: RuntimeHooks;
  /** What the agent loop gets: always the current profile's hooks. */
  agent: AgentHooks;
  /** Switches to another profile's hooks, keeping the session's toggle. */
  use(hooks: Hooks): void;
}

export function createRuntimeHooks(
  first: Hooks,
  emit: (event: AgentEvent) => void,
  redact: (text: string) => string,
): RuntimeHooksHolder {
  let current = first;
  let toggle = true;
  return {
    api: {
      enabled: () => current.enabled(),
      setEnabled(on) {
        toggle = on;
        current.setEnabled(on);
      },
      list: () => current.list(),
      async run(event, signal) {
        const runs = await current.run(event, signal);
        return runs.map((raw) => {
          const run = { ...raw, output: redact(raw.output) };
          const { event: hook, ...rest } = run;
          emit({ type: "hook", turn: 0, hook, ...rest });
          return run;
        });
      },
    },
    agent: { run: (event, signal) => current.run(event, signal) },
    use(hooks) {
      current = hooks;
      current.setEnabled(toggle);
    },
  };
}
