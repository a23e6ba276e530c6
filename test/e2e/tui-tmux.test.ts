import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PATH, makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import {
  type RecordedRequest,
  type ScriptedServer,
  type ScriptedTurn,
  startScriptedServer,
} from "../support/scripted-server.js";
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

const STREAMED =
  "Streaming starts here. The answer arrives in many small pieces, one after another, so the person watching sees it grow line by line until the very last words: all done now.";

function messagesOf(request: RecordedRequest): Array<{ role: string; content: string }> {
  const messages = request.body.messages as Array<{ role: string; content: string | null }>;
  return messages.map((m) => ({ role: m.role, content: m.content ?? "" }));
}

/** Answers by the task in the last user message, so the test reads as a conversation. */
function policy(request: RecordedRequest): ScriptedTurn {
  const messages = messagesOf(request);
  const task = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  const tools = messages.filter((m) => m.role === "tool").length;
  const current = task.slice(task.lastIndexOf("[Current task]") + 1);
  if (current.includes("stream please")) return { text: STREAMED, chunkDelayMs: 60 };
  if (current.includes("write two files")) {
    if (tools === 0) return { toolCalls: [{ name: "bash", args: { command: "echo one > first.txt" } }] };
    if (tools === 1) return { toolCalls: [{ name: "bash", args: { command: "echo two > second.txt" } }] };
    return { text: "Wrote first.txt; second.txt was refused." };
  }
  if (current.includes("take your time")) return { text: "too late", delayMs: 20_000 };
  if (current.includes("queued prompt")) return { text: "The queued prompt ran." };
  return { text: `Answered by ${String(request.body.model)}.` };
}

async function startUi(width = 100, height = 32): Promise<TmuxSession> {
  if (!project) throw new Error("no project");
  return startTmux({
    command: `${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)}`,
    cwd: project.dir,
    env: { ...project.env, TERM: "xterm-256color" },
    width,
    height,
  });
}

async function typeLine(session: TmuxSession, text: string): Promise<void> {
  session.send(text, { literal: true });
  session.send("Enter");
}

describe("the interactive UI in a real terminal", () => {
  it("streams, approves and denies, cancels keeping typed text, queues, switches profile, and reflows on resize", async () => {
    project = await makeTempProject({ "README.md": "# demo\n" });
    server = await startScriptedServer({ policy });
    await project.writeConfig(
      `default_profile = "main"\n${profileToml("main", { provider: "openai", endpoint: server.openaiBaseUrl })}\n${profileToml(
        "fast",
        { provider: "openai", endpoint: server.openaiBaseUrl, model: "fast-model" },
      )}`,
    );
    tmux = await startUi();
    await tmux.waitFor(/● ready/);

    // Streaming: the first words are on screen while the last have not arrived.
    await typeLine(tmux, "stream please");
    const partial = await tmux.waitFor(/Streaming starts here/);
    expect(partial).not.toContain("all done now");
    expect(partial).toMatch(/writing \d+s/);
    await tmux.waitFor(/all done now[\s\S]*─ done · 1 call/);

    // Approve one command with y, deny the next with n and a reason.
    await typeLine(tmux, "write two files");
    await tmux.waitFor(/Run this command\?[\s\S]*\$ echo one > first\.txt[\s\S]*asked by: default: commands are asked/);
    tmux.send("y");
    await tmux.waitFor(/\$ echo two > second\.txt/);
    tmux.send("n");
    await tmux.waitFor(/reason for the model/);
    await typeLine(tmux, "not this one");
    await tmux.waitFor(/Wrote first\.txt; second\.txt was refused\./);
    expect(existsSync(path.join(project.dir, "first.txt"))).toBe(true);
    expect(existsSync(path.join(project.dir, "second.txt"))).toBe(false);
    const denied = server.requests.find((r) => messagesOf(r).some((m) => m.content.includes("not this one")));
    expect(denied).toBeDefined();

    // A queued prompt survives Ctrl+C of the running task, and so does the typed text.
    await typeLine(tmux, "take your time");
    await tmux.waitFor(/thinking \d+s/);
    await typeLine(tmux, "queued prompt");
    await tmux.waitFor(/⏳ queued 1: queued prompt/);
    tmux.send("keep this text", { literal: true });
    tmux.send("C-c");
    const after = await tmux.waitFor(/The queued prompt ran\./);
    expect(after).toContain("─ interrupted");
    expect(after).toMatch(/│ › keep this text/);

    // Switch profile mid-session; the next task goes to the other model with the carry-over.
    tmux.send("C-u");
    await typeLine(tmux, "/profile fast");
    await tmux.waitFor(/Now using fast · fast-model/);
    await typeLine(tmux, "which model?");
    await tmux.waitFor(/Answered by fast-model\./);
    expect(messagesOf(server.requests.at(-1) as RecordedRequest).at(-1)?.content).toContain(
      "[Earlier in this session]",
    );

    // Narrower: the live region reflows, compact status bar, nothing wider than the terminal.
    tmux.resize(60, 24);
    const narrow = await tmux.waitFor(/● ready +│ fast-model │ \d+% │ \$/);
    for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(60);
    expect(narrow).toContain("Answered by fast-model.");
  });

  it("runs first-time setup when nothing is configured: hidden key, the server's models, config written 0600", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ fallbackText: "hello", ollamaModels: [{ name: "served-model" }] });
    tmux = await startUi();
    await tmux.waitFor(/Which provider\?/);
    for (let i = 0; i < 5; i++) tmux.send("Down");
    tmux.send("Enter");
    await tmux.waitFor(/Server URL/);
    tmux.send("C-u");
    await typeLine(tmux, server.openaiBaseUrl);
    await tmux.waitFor(/API key/);
    tmux.send("sk-test-hidden-1234", { literal: true });
    const keyScreen = await tmux.waitFor(/•{19}/);
    expect(keyScreen).not.toContain("sk-test-hidden");
    tmux.send("Enter");
    await tmux.waitFor(/› served-model/);
    tmux.send("Enter");
    await tmux.waitFor(/● ready +│ server · served-model/);
    await tmux.waitFor(/run \/init/);

    const file = path.join(project.home, "config", "parecode", "config.toml");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const written = await readFile(file, "utf8");
    expect(written).toContain('model          = "served-model"');
    expect(written).toContain("sk-test-hidden-1234");
  });
});
