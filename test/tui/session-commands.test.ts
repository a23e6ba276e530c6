import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { SESSION_EXTENSION } from "../../src/tui/commands/session-commands.js";
import type { ViewLine } from "../../src/tui/views/view-frame.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { commitAll } from "../support/git.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { commandContext as context } from "../support/tui-context.js";

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

function command(name: string) {
  const found = SESSION_EXTENSION.commands?.find((c) => c.name === name);
  if (!found) throw new Error(`no /${name}`);
  return found;
}

function text(lines: unknown): string {
  return ((lines as { lines: ViewLine[] }).lines ?? []).map((l) => l.text).join("\n");
}

async function setup() {
  server = await startScriptedServer({
    script: [
      { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "beta\n", overwrite: true } }] },
      { text: "Changed notes." },
      { text: "Second answer." },
    ],
  });
  project = await makeTempProject({ "notes.txt": "alpha\n" });
  commitAll(project.dir);
  await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
  runtime = await createRuntime({
    cwd: project.dir,
    env: project.env,
    approve: async () => ({ approved: true, scope: "once" }),
    onEvent: () => undefined,
  });
  await runtime.run("change the notes", new AbortController().signal);
  await runtime.run("what did you do?", new AbortController().signal);
  return { project, runtime };
}

describe("sessions, diff and undo in the UI", () => {
  it("/diff shows the change per file; /undo lists what it will do and Enter restores it", async () => {
    const { project, runtime } = await setup();
    const { ctx, views, notices } = context(runtime);
    // The checkpoint before the first task is the second newest.
    await command("diff").run(ctx, "2");
    expect(views[0].id).toBe("diff");
    const shown = text(views[0].data);
    expect(shown).toContain("▌ notes.txt");
    expect(shown).toContain("-alpha");
    expect(shown).toContain("+beta");

    await command("undo").run(ctx, "2");
    expect(views[1].id).toBe("undo");
    expect(text(views[1].data)).toMatch(/restore\s+notes\.txt/);
    const undoView = SESSION_EXTENSION.views?.find((v) => v.id === "undo");
    await undoView?.onKey?.("enter", ctx, views[1].data);
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("alpha\n");
    expect(notices.at(-1)).toMatch(/^Restored 1 file\./);
  });

  it("/sessions lists this folder's sessions and continues the one picked; /rollback forgets tasks", async () => {
    const { runtime } = await setup();
    const id = runtime.sessionId;
    expect(id).toBeDefined();
    await runtime.newSession();
    expect(runtime.turns()).toHaveLength(0);

    const { ctx, picked, notices } = context(runtime, [id as string]);
    await command("sessions").run(ctx, "");
    expect(picked[0].items.map((i) => i.value)).toContain(id);
    expect(picked[0].items.find((i) => i.value === id)?.label).toContain("change the notes");
    expect(runtime.turns()).toHaveLength(2);
    expect(notices.at(-1)).toMatch(/2 earlier tasks in context/);

    await command("rollback").run(ctx, "1");
    expect(runtime.turns().map((t) => t.task)).toEqual(["change the notes"]);
  });
});
