import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { COST_AND_HOOK_COMMANDS } from "../../src/tui/commands/cost-hook-commands.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { commandContext } from "../support/tui-context.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  await server?.close();
  await project?.cleanup();
  runtime = undefined;
  server = undefined;
  project = undefined;
});

const command = (name: string) => {
  const found = COST_AND_HOOK_COMMANDS.find((c) => c.name === name);
  if (!found) throw new Error(`no /${name}`);
  return found;
};

describe("/cost and /hooks", () => {
  it("/cost shows the session's tokens and money per model; /cost reset starts again", async () => {
    server = await startScriptedServer({ fallbackText: "ok" });
    project = await makeTempProject();
    await project.writeConfig(
      `${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}cost_per_mtok_input = 2\ncost_per_mtok_output = 8\n`,
    );
    runtime = await createRuntime({ cwd: project.dir, env: project.env, onEvent: () => undefined });
    await runtime.run("hello", new AbortController().signal);
    const { ctx, notices } = commandContext(runtime);
    await command("cost").run(ctx, "");
    expect(notices.at(-1)).toMatch(/^cost \$\d/);
    expect(notices.at(-1)).toContain("gpt-4.1-mini: 1 task");
    await command("cost").run(ctx, "reset");
    await command("cost").run(ctx, "");
    expect(notices.at(-1)).toContain("0 tasks");
  });

  it("/hooks off and on toggle the session's hooks; /list-hooks lists every event", async () => {
    server = await startScriptedServer({ fallbackText: "ok" });
    project = await makeTempProject();
    await project.writeConfig(
      `${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}[profiles.t.hooks]\non_edit = ["true"]\n`,
    );
    runtime = await createRuntime({ cwd: project.dir, env: project.env, onEvent: () => undefined });
    const { ctx, notices } = commandContext(runtime);
    await command("hooks").run(ctx, "off");
    expect(runtime.hooks.enabled()).toBe(false);
    await command("hooks").run(ctx, "");
    expect(notices.at(-1)).toMatch(/^Hooks are off: on_edit: true/);
    await command("hooks").run(ctx, "on");
    expect(runtime.hooks.enabled()).toBe(true);
    await command("list-hooks").run(ctx, "");
    const listing = notices.at(-1) ?? "";
    for (const event of ["on_edit: true", "on_task_done", "on_plan_step_done", "on_session_start", "on_session_end"]) {
      expect(listing).toContain(event);
    }
  });
});
