/** The one-shot review on a real terminal: a note, an edit in $EDITOR read back, then run. */
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PATH, makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { shellQuote, startTmux, type TmuxSession } from "../support/tmux.js";
import { createPlanPolicy, FILES, stepOf, TASK, userOf } from "./plan-fixture.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;
let tmux: TmuxSession | undefined;

afterEach(async () => {
  await tmux?.close();
  await server?.close();
  await project?.cleanup();
});

describe("plan review on a terminal", () => {
  it("adds a note, reads back an edit made in $EDITOR, then runs on y", async () => {
    project = await makeTempProject(FILES);
    server = await startScriptedServer({ policy: createPlanPolicy() });
    await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    // The "editor" rewords step 4's instruction in place, as a person would.
    const editor = "sed -i 's/from src\\/index.js\\./from src\\/index.js, sorted by name./'";
    tmux = await startTmux({
      command: `${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} plan ${shellQuote(TASK)} --permission-mode trust --no-sandbox`,
      cwd: project.dir,
      env: { ...project.env, EDITOR: editor, VISUAL: "" },
    });
    await tmux.waitFor(/Run all 4 steps\? \[y\/N\/e\/a N\]/);
    tmux.send("a 2", { literal: true });
    tmux.send("Enter");
    await tmux.waitFor(/Note for step 2:/);
    tmux.send("put it after add", { literal: true });
    tmux.send("Enter");
    await tmux.waitFor(/note added to step 2/);
    tmux.send("e");
    tmux.send("Enter");
    await tmux.waitFor(/from plan\.md: step 4 edited/);
    tmux.send("y");
    tmux.send("Enter");
    const screen = await tmux.waitFor(/\[exit \d+\]/, 20_000);
    expect(screen).toContain("[exit 0]");
    const step = (n: number) => userOf(server?.requests.find((r) => stepOf(r) === n) ?? ({} as never));
    expect(step(2)).toContain("User note: put it after add");
    expect(step(4)).toContain("Re-export add, multiply and pad from src/index.js, sorted by name.");
  });
});
