import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentSession } from "../../src/agent/session.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let root: string;

afterEach(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function userMessages(index: number): string[] {
  const messages = server?.requests[index].body.messages as Array<{ role: string; content: string }>;
  return messages.filter((m) => m.role === "user").map((m) => m.content);
}

describe("agent session", () => {
  it("carries earlier turns as a summary and reads a short reply as an answer to the last question", async () => {
    root = await mkdtemp(path.join(tmpdir(), "session-"));
    server = await startScriptedServer({
      script: [
        { text: "The config loader lives in src/config/load.ts. Shall I also add tests for it?" },
        { text: "Added the tests." },
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
    const session = createAgentSession({
      root,
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools: createNativeToolRegistry({ root }),
      model: "m",
      profileName: "t",
      provider: "openai",
      contextTokens: profile.contextTokens,
      maxIterations: 5,
      costUsd: () => null,
    });
    const run = { signal: new AbortController().signal, onEvent: () => undefined };
    await session.run("where is the config loader?", run);
    const second = await session.run("yes", run);

    expect(second.status).toBe("done");
    expect(userMessages(0)).toEqual(["where is the config loader?"]);
    const [carried] = userMessages(1);
    expect(carried).toContain("[Earlier in this session]");
    expect(carried).toContain("where is the config loader?");
    expect(carried).toMatch(/answered "yes" to your question: "Shall I also add tests for it\?"/);
    // The system prompt is identical across turns, so provider prompt caches keep hitting.
    const system = (i: number) =>
      (server?.requests[i].body.messages as Array<{ content: string }> | undefined)?.[0]?.content;
    expect(system(1)).toBe(system(0));
    expect(session.turns()).toHaveLength(2);
  });
});
