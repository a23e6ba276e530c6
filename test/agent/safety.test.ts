import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentOptions, runAgentTask } from "../../src/agent/agent.js";
import { collectSecrets } from "../../src/config/collect-secrets.js";
import type { Profile } from "../../src/config/types.js";
import { createRedactor } from "../../src/core/redact.js";
import type { AgentEvent } from "../../src/core/types.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

/** The profile's key; the model (scripted) makes a command print it. */
const KEY = "sk-test-agent-key-0123456789";
const GITHUB = `ghp_${"Ab3".repeat(12)}`;

let server: ScriptedServer | undefined;
let root: string | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

type Wire = "openai" | "anthropic";

async function setup(wire: Wire, files: Record<string, string>, script: ScriptedTurn[]): Promise<Profile> {
  root = await mkdtemp(path.join(tmpdir(), "agent-safety-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  server = await startScriptedServer({ script });
  return {
    name: "t",
    provider: wire,
    endpoint: wire === "openai" ? server.openaiBaseUrl : `${server.url}/v1`,
    model: "m",
    apiKey: KEY,
    contextTokens: 32_000,
    source: "config",
  };
}

async function run(profile: Profile, task: string, overrides: Partial<AgentOptions> = {}) {
  const dir = root ?? "";
  const events: AgentEvent[] = [];
  const tools = createNativeToolRegistry({ root: dir });
  const result = await runAgentTask(
    task,
    {
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools,
      model: profile.model,
      profileName: profile.name,
      provider: profile.provider,
      systemPrompt: "You are a test.",
      contextTokens: profile.contextTokens,
      maxIterations: 6,
      costUsd: () => 0,
      ...overrides,
    },
    { signal: new AbortController().signal, onEvent: (event) => events.push(event) },
  );
  return { result, events };
}

/** Every tool result the agent sent back in model call `index`, in either wire format. */
function toolResults(index: number): string {
  return JSON.stringify(server?.requests[index]?.body.messages ?? []);
}

describe.each<Wire>(["openai", "anthropic"])("tool results reach the %s model redacted", (wire) => {
  it("a command printing a key, a token and a URL password hands the model [REDACTED]", async () => {
    const catEnv = { toolCalls: [{ name: "bash", args: { command: "cat .env" } }] };
    const profile = await setup(
      wire,
      { ".env": `OPENAI_API_KEY=${KEY}\nGH=${GITHUB}\nDB=postgres://app:pw-1234567@db/x\nPORT=8080\n` },
      [catEnv, catEnv, { text: "done" }],
    );
    const redactor = createRedactor(collectSecrets({}, [profile]));
    const { result, events } = await run(profile, "show the env file", { redact: redactor.text });

    expect(result.status).toBe("done");
    for (const index of [1, 2]) {
      const sent = toolResults(index);
      expect(sent).toContain("PORT=8080");
      expect(sent).toContain("OPENAI_API_KEY=[REDACTED]");
      expect(sent).toContain("postgres://app:[REDACTED]@db/x");
      expect(sent).not.toContain(KEY);
      expect(sent).not.toContain(GITHUB);
      expect(sent).not.toContain("pw-1234567");
    }
    // The repeat was answered from the loop cache, which holds the redacted text too.
    expect(toolResults(2)).toContain("repeated call");
    expect(JSON.stringify(events)).not.toContain(KEY);
  });
});

describe.each<Wire>(["openai", "anthropic"])("tool arguments cut off by the %s model", (wire) => {
  const cutOff = '{"path": "big.txt", "content": "line 1\\nline 2\\nline 3\\nli';

  it("a write_file call cut off inside content writes nothing and tells the model to send less", async () => {
    const profile = await setup(wire, {}, [
      { toolCalls: [{ name: "write_file", args: cutOff }] },
      { text: "I will write it in parts." },
    ]);
    const { result, events } = await run(profile, "write big.txt");

    expect(result.status).toBe("done");
    expect(existsSync(path.join(root ?? "", "big.txt"))).toBe(false);
    const end = events.find((e) => e.type === "tool_end");
    expect(end).toMatchObject({ type: "tool_end", name: "write_file", isError: true });
    const sent = toolResults(1);
    expect(sent).toContain("cut off");
    expect(sent).toContain("output token limit");
    expect(sent).toContain("write a large file in parts");
  });

  it("a call written as text and cut off inside a string writes nothing either", async () => {
    const profile = await setup(wire, {}, [
      { text: `Writing it now.\n<tool_call>{"name": "write_file", "arguments": ${cutOff}` },
      { text: "Retrying smaller." },
    ]);
    const { result } = await run(profile, "write big.txt");

    expect(result.status).toBe("done");
    expect(existsSync(path.join(root ?? "", "big.txt"))).toBe(false);
    expect(toolResults(1)).toContain("cut off");
  });

  it("arguments with only a notation slip (trailing comma, open brace) are still repaired and run", async () => {
    const profile = await setup(wire, {}, [
      { toolCalls: [{ name: "write_file", args: '{"path": "ok.txt", "content": "whole\\n",' }] },
      { text: "done" },
    ]);
    const { result } = await run(profile, "write ok.txt");

    expect(result.status).toBe("done");
    expect(await readFile(path.join(root ?? "", "ok.txt"), "utf8")).toBe("whole\n");
  });
});
