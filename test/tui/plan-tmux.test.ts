/**
 * /plan in the real UI on a real terminal: the review opens, E hands the terminal to the
 * person's editor (one that reads keys, so a key Ink swallowed would show), the edit is read
 * back, and the approved plan runs to ✓ on every step.
 */
import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPlanPolicy, FILES, stepOf, TASK, userOf } from "../plan/plan-fixture.js";
import { CLI_PATH, makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { shellQuote, startTmux, type TmuxSession } from "../support/tmux.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;
let tmux: TmuxSession | undefined;

afterEach(async () => {
  await tmux?.close();
  await server?.close();
  await project?.cleanup();
});

// Asks on the terminal how to finish step 4's sentence and writes the answer into plan.md.
const EDITOR_SCRIPT = `#!/bin/sh
printf 'editor> '
read -r answer
sed -i "s/from src\\/index.js\\./from src\\/index.js, $answer./" "$1"
`;

describe("/plan in the UI on a terminal", () => {
  it("reviews, edits plan.md in a terminal editor, and runs every step", async () => {
    project = await makeTempProject(FILES);
    server = await startScriptedServer({ policy: createPlanPolicy() });
    await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    const editor = path.join(project.dir, "..", `editor-${path.basename(project.dir)}.sh`);
    await writeFile(editor, EDITOR_SCRIPT);
    await chmod(editor, 0o755);
    tmux = await startTmux({
      command: `${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} --permission-mode trust --no-sandbox`,
      cwd: project.dir,
      env: { ...project.env, TERM: "xterm-256color", EDITOR: editor, VISUAL: "" },
      width: 110,
      height: 34,
    });
    await tmux.waitFor(/● ready/);
    tmux.send(`/plan ${TASK}`, { literal: true });
    tmux.send("Enter");
    await tmux.waitFor(/E edit in \$EDITOR/, 15_000);
    tmux.send("E", { literal: true });
    await tmux.waitFor(/editor>/);
    tmux.send("sorted by name", { literal: true });
    tmux.send("Enter");
    await tmux.waitFor(/step 4 edited/);
    tmux.send("A", { literal: true });
    tmux.send("Enter");
    const done = await tmux.waitFor(/Plan done: 4 steps/, 20_000);
    expect(done).not.toContain("editor>");
    expect(userOf(server.requests.find((r) => stepOf(r) === 4) ?? ({} as never))).toContain(
      "Re-export add, multiply and pad from src/index.js, sorted by name.",
    );
  });
});
