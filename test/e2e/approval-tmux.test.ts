import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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
  tmux = undefined;
  server = undefined;
  project = undefined;
});

describe("one-shot approval on a real terminal", () => {
  it("approves one command with y, denies the next with n and a reason the model receives", async () => {
    project = await makeTempProject({ "README.md": "# demo\n" });
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "bash", args: { command: "echo approved > first.txt" } }] },
        { toolCalls: [{ name: "bash", args: { command: "echo refused > second.txt" } }] },
        { text: "Wrote first.txt; the second command was refused." },
      ],
    });
    await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    tmux = await startTmux({
      command: `${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} 'write two files'`,
      cwd: project.dir,
      env: project.env,
    });

    await tmux.waitFor(/Run this command\?[\s\S]*\$ echo approved > first\.txt[\s\S]*\n\s+>/);
    tmux.send("y");
    await tmux.waitFor(/\$ echo refused > second\.txt[\s\S]*\n\s+>/);
    tmux.send("n");
    await tmux.waitFor(/reason for the model/);
    tmux.send("not in this folder", { literal: true });
    tmux.send("Enter");
    const screen = await tmux.waitFor(/\[exit \d+\]/);

    expect(existsSync(path.join(project.dir, "first.txt"))).toBe(true);
    expect(existsSync(path.join(project.dir, "second.txt"))).toBe(false);
    expect(screen).toContain("asked by: default: commands are asked");
    expect(screen).toMatch(/1 action was denied/);
    expect(screen).toContain("[exit 3]");
    const messages = server.requests[2].body.messages as Array<{ role: string; content: string }>;
    expect(messages.filter((m) => m.role === "tool").at(-1)?.content).toContain("not in this folder");
  });
});
