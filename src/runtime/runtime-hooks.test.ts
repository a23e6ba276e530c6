import { describe, expect, it } from "vitest";
import type { AgentEvent, HookEventName } from "../core/types.js";
import { emptyHookSet } from "../hooks/config.js";
import { createHooks } from "../hooks/hooks.js";
import { createRuntimeHooks } from "./runtime-hooks.js";

const hooksRunning = (command: string, output: string) =>
  createHooks({
    hooks: { ...emptyHookSet(), on_session_end: [command], on_edit: [command] },
    runner: async (event: HookEventName, cmd: string) => ({
      event,
      command: cmd,
      ok: true,
      exitCode: 0,
      timedOut: false,
      output,
      durationMs: 3,
    }),
  });

describe("runtime hooks", () => {
  it("report session hooks as redacted events with turn 0, and keep /hooks off across a profile switch", async () => {
    const events: AgentEvent[] = [];
    const holder = createRuntimeHooks(
      hooksRunning("git status --short", "token sk-secret-1"),
      (e) => events.push(e),
      (text) => text.replace("sk-secret-1", "[REDACTED]"),
    );
    const runs = await holder.api.run("on_session_end");
    expect(runs[0].output).toBe("token [REDACTED]");
    expect(events).toEqual([
      {
        type: "hook",
        turn: 0,
        hook: "on_session_end",
        command: "git status --short",
        ok: true,
        exitCode: 0,
        timedOut: false,
        output: "token [REDACTED]",
        durationMs: 3,
      },
    ]);

    holder.api.setEnabled(false);
    holder.use(hooksRunning("cargo check", ""));
    expect(holder.api.enabled()).toBe(false);
    expect(await holder.agent.run("on_edit")).toEqual([]);
    holder.api.setEnabled(true);
    expect((await holder.agent.run("on_edit")).map((r) => r.command)).toEqual(["cargo check"]);
    expect(holder.api.list().events.find((e) => e.event === "on_edit")?.commands).toEqual(["cargo check"]);
  });
});
