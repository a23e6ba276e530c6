import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentSession } from "../../src/agent/session.js";
import type { CompletedTurn } from "../../src/context/carry-over.js";
import { createModelClient } from "../../src/providers/index.js";
import { createSessionStore } from "../../src/sessions/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import { commitAll } from "../support/git.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let base: string;

afterEach(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe("recording a real agent session", () => {
  it("stores every event as it happens and reopens with exactly the turns carry-over was given", async () => {
    base = await mkdtemp(path.join(tmpdir(), "session-record-"));
    const root = path.join(base, "project");
    await mkdir(root);
    await writeFile(path.join(root, "notes.txt"), "draft\n");
    commitAll(root);
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "bash", args: { command: "sed -i 's/draft/final/' notes.txt" } }] },
        { text: "Marked the notes final. Shall I add a date too?" },
        { text: "Done: no date needed after all." },
      ],
    });
    const profile = {
      name: "t",
      provider: "openai" as const,
      endpoint: server.openaiBaseUrl,
      model: "m",
      apiKey: "k",
      contextTokens: 8_000,
      source: "config" as const,
    };
    const agent = createAgentSession({
      root,
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools: createNativeToolRegistry({ root }),
      model: "m",
      profileName: "t",
      provider: "openai",
      contextTokens: profile.contextTokens,
      maxIterations: 5,
      costUsd: () => 0.002,
    });
    const store = createSessionStore(path.join(base, "sessions"));
    const session = store.create({ root, profile: "t", model: "m" });
    const run = { signal: new AbortController().signal, onEvent: session.append };
    for (const task of ["finalise the notes", "no"]) {
      session.appendTask(task);
      await agent.run(task, run);
    }
    session.close();

    const reopened = store.open(session.id);
    const turns: CompletedTurn[] = reopened.completedTurns();
    expect(turns).toEqual(agent.turns());
    expect(turns.map((t) => [t.task, t.status, t.filesChanged])).toEqual([
      ["finalise the notes", "done", ["notes.txt"]],
      ["no", "done", []],
    ]);
    const text = await readFile(session.file, "utf8");
    expect(text).not.toContain("text_delta");
    expect(reopened.turns()[0].steps.map((s) => (s.type === "assistant" ? "assistant" : s.event.type))).toEqual([
      "task_start",
      "turn_start",
      "request",
      "usage",
      "assistant",
      "tool_start",
      "tool_end",
      "turn_start",
      "request",
      "usage",
      "assistant",
    ]);
    expect(store.list().sessions[0]).toMatchObject({ turns: 2, costUsd: 0.006, title: "finalise the notes" });
  });
});
