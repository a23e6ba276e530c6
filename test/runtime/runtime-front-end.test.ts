import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/core/types.js";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
const servers: ScriptedServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await project?.cleanup();
  project = undefined;
});

async function serve(options: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const server = await startScriptedServer(options);
  servers.push(server);
  return server;
}

function systemOf(server: ScriptedServer, index: number): string {
  const messages = server.requests[index].body.messages as Array<{ role: string; content: string }>;
  return messages.find((m) => m.role === "system")?.content ?? "";
}

function lastUser(server: ScriptedServer, index: number): string {
  const messages = server.requests[index].body.messages as Array<{ role: string; content: string }>;
  return messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
}

async function runtimeFor(files: Record<string, string>, toml: string, events: AgentEvent[] = []): Promise<Runtime> {
  project = await makeTempProject(files);
  await project.writeConfig(toml);
  return createRuntime({ cwd: project.dir, env: project.env, onEvent: (e) => events.push(e) });
}

describe("runtime API for interactive front ends", () => {
  it("switches profile mid-session and the new model sees the earlier task as carry-over", async () => {
    const a = await serve({ script: [{ text: "The answer is in src/a.ts." }] });
    const b = await serve({ script: [{ text: "Done on the second profile." }] });
    const runtime = await runtimeFor(
      {},
      `default_profile = "one"\n${profileToml("one", { provider: "openai", endpoint: a.openaiBaseUrl })}\n${profileToml(
        "two",
        { provider: "openai", endpoint: b.openaiBaseUrl, model: "other-model" },
      )}`,
    );
    const signal = new AbortController().signal;
    await runtime.run("where is the answer?", signal);
    const switched = await runtime.switchProfile("two");
    expect(switched.name).toBe("two");
    expect(runtime.profile.model).toBe("other-model");
    const result = await runtime.run("now finish it", signal);

    expect(result.message).toBe("Done on the second profile.");
    expect(b.requests[0].body.model).toBe("other-model");
    expect(lastUser(b, 0)).toContain("[Earlier in this session]");
    expect(lastUser(b, 0)).toContain("where is the answer?");
    expect(runtime.turns()).toHaveLength(2);

    await runtime.switchProfile("two", { model: "third-model" });
    expect(runtime.profile.model).toBe("third-model");
  });

  it("pins attached files in the system prompt, fresh for every task, and warns about ones it cannot read", async () => {
    const server = await serve({ script: [{ text: "ok" }, { text: "ok again" }] });
    const events: AgentEvent[] = [];
    const runtime = await runtimeFor(
      { "src/notes.md": "first version of the notes\n" },
      profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }),
      events,
    );
    const signal = new AbortController().signal;
    await runtime.run("summarise", signal, { attachments: ["src/notes.md", "missing.txt"] });
    await writeFile(path.join(project?.dir ?? "", "src/notes.md"), "second version\n");
    await runtime.run("again", signal, { attachments: ["src/notes.md"] });

    expect(systemOf(server, 0)).toContain("## Attached file src/notes.md\nfirst version of the notes");
    expect(systemOf(server, 1)).toContain("second version");
    expect(lastUser(server, 0)).toBe("summarise");
    expect(events.some((e) => e.type === "notice" && e.message.startsWith("Not attached: missing.txt"))).toBe(true);
  });

  it("runs the person's own command through the bash tool and shares it with the next task", async () => {
    const server = await serve({ script: [{ text: "seen" }] });
    const runtime = await runtimeFor(
      { "a.txt": "alpha\n" },
      profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }),
    );
    const signal = new AbortController().signal;
    const shell = await runtime.runShell("cat a.txt && echo made > made.txt", signal);
    expect(shell.isError).toBe(false);
    expect(shell.output).toContain("alpha");
    expect(existsSync(path.join(project?.dir ?? "", "made.txt"))).toBe(true);

    await runtime.run("what did the command print?", signal);
    expect(systemOf(server, 0)).toContain("$ cat a.txt && echo made > made.txt\n");
    expect(systemOf(server, 0)).toContain("alpha");
  });

  it("refuses the person's command in read-only mode, and setPermissionMode changes the mode", async () => {
    const server = await serve({ script: [] });
    const runtime = await runtimeFor({}, profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    expect(runtime.permissionMode).toBe("ask");
    runtime.setPermissionMode("read-only");
    expect(runtime.permissionMode).toBe("read-only");
    const shell = await runtime.runShell("touch nope.txt", new AbortController().signal);
    expect(shell.blocked).toBe("mode read-only");
    expect(existsSync(path.join(project?.dir ?? "", "nope.txt"))).toBe(false);
  });

  it("starts a new session without carry-over", async () => {
    const server = await serve({ script: [{ text: "one" }, { text: "two" }] });
    const runtime = await runtimeFor({}, profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    const signal = new AbortController().signal;
    await runtime.run("first task", signal);
    await runtime.newSession();
    await runtime.run("second task", signal);
    expect(lastUser(server, 1)).toBe("second task");
    expect(runtime.turns()).toHaveLength(1);
  });

  it("lists the models the server offers: Ollama's installed ones, an OpenAI-compatible /models", async () => {
    const server = await serve({ ollamaModels: [{ name: "qwen3:14b" }, { name: "llama3.2:3b" }] });
    project = await makeTempProject();
    await project.writeConfig(
      `default_profile = "o"\n${profileToml("o", { provider: "ollama", endpoint: server.url })}\n${profileToml("c", {
        provider: "openai",
        endpoint: server.openaiBaseUrl,
      })}`,
    );
    const runtime = await createRuntime({ cwd: project.dir, env: project.env, onEvent: () => undefined });
    expect(await runtime.listModels()).toEqual(["qwen3:14b", "llama3.2:3b"]);
    await runtime.switchProfile("c");
    expect(await runtime.listModels()).toEqual(["llama3.2:3b", "qwen3:14b"]);
    const names = (await runtime.listProfiles()).map((p) => p.name);
    expect(names).toEqual(["o", "c"]);
  });
});
