/**
 * MCP tools through the real agent loop and the scripted model server: the registry is
 * built here (native tools + MCP tools) the way the runtime will build it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAgentTask } from "../../src/agent/agent.js";
import { buildSystemPrompt } from "../../src/agent/system-prompt.js";
import { DEFAULT_MCP_SETTINGS } from "../../src/config/mcp-servers.js";
import type { Profile } from "../../src/config/types.js";
import { createReadCache } from "../../src/context/read-cache.js";
import { countTokensNow } from "../../src/context/tokens.js";
import { type McpSession, startMcp, withMcpExposure } from "../../src/mcp/index.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeTools } from "../../src/tools/index.js";
import { createOutputStore } from "../../src/tools/output-store.js";
import { createToolRegistry } from "../../src/tools/registry.js";
import { EVERYTHING, FAKE, stdioServer } from "../support/mcp-servers.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let mcp: McpSession | undefined;
let root: string;

afterEach(async () => {
  await server?.close();
  await mcp?.close();
  server = undefined;
  mcp = undefined;
  await rm(root, { recursive: true, force: true });
});

type Body = {
  tools?: Array<{ function: { name: string; parameters: unknown } }>;
  messages: Array<{ role: string; content: string; tool_call_id?: string }>;
};

const body = (index: number) => server?.requests[index].body as unknown as Body;
const toolNames = (index: number) => (body(index).tools ?? []).map((t) => t.function.name);

async function setup(turns: ScriptedTurn[], lazy: "never" | "always") {
  root = await mkdtemp(path.join(tmpdir(), "parecode-mcp-agent-"));
  await writeFile(path.join(root, "README.md"), "# demo\n");
  server = await startScriptedServer({ script: turns });
  mcp = await startMcp({
    servers: [
      stdioServer("everything", [process.execPath, EVERYTHING, "stdio"]),
      stdioServer("fake", [process.execPath, FAKE]),
    ],
    settings: { ...DEFAULT_MCP_SETTINGS, lazy },
    env: process.env,
    cwd: root,
    contextTokens: 32_000,
    countTokens: (text) => countTokensNow(text).tokens,
    logDir: path.join(root, ".logs"),
  });
  const outputs = createOutputStore();
  const native = createNativeTools({ root, cache: createReadCache(), outputs });
  const registry = createToolRegistry([...native, ...mcp.exposure.tools], { outputs });
  const tools = withMcpExposure(registry, mcp.exposure);
  const profile: Profile = {
    name: "t",
    provider: "openai",
    endpoint: server.openaiBaseUrl,
    model: "m",
    apiKey: "k",
    contextTokens: 32_000,
    source: "config",
  };
  const run = (task: string) =>
    runAgentTask(
      task,
      {
        client: createModelClient(profile, { providerMaxRetries: 0 }),
        tools,
        model: profile.model,
        profileName: profile.name,
        provider: profile.provider,
        systemPrompt: buildSystemPrompt({ platform: "linux", preamble: "" }),
        contextTokens: profile.contextTokens,
        maxIterations: 10,
        costUsd: () => 0,
      },
      { signal: new AbortController().signal, onEvent: () => undefined },
    );
  return { run };
}

describe("MCP tools in the agent loop", () => {
  it("sends MCP schemas beside the native ones and returns a server's result to the model", async () => {
    const { run } = await setup(
      [
        { toolCalls: [{ id: "call_echo", name: "everything__echo", args: { message: "ping" } }] },
        { text: "It said ping." },
      ],
      "never",
    );
    const result = await run("Echo ping through the everything server");

    expect(result.status).toBe("done");
    expect(toolNames(0)).toEqual(
      expect.arrayContaining(["read_file", "bash", "everything__echo", "fake__create_issue"]),
    );
    const echo = body(0).tools?.find((t) => t.function.name === "everything__echo");
    expect(echo?.function.parameters).toEqual({
      type: "object",
      properties: { message: { type: "string", description: "Message to echo" } },
      required: ["message"],
    });
    const reply = body(1).messages.find((m) => m.role === "tool");
    expect(reply).toMatchObject({ tool_call_id: "call_echo", content: "Echo: ping" });
  });

  it("lazy: the first request has only mcp_search; a search makes the tool callable and sent from then on", async () => {
    const { run } = await setup(
      [
        { toolCalls: [{ id: "call_search", name: "mcp_search", args: { query: "echo message" } }] },
        { toolCalls: [{ id: "call_echo", name: "everything__echo", args: { message: "found it" } }] },
        { text: "done" },
        { text: "second task done" },
      ],
      "always",
    );
    const result = await run("Echo through whatever MCP tool fits");
    expect(result.status).toBe("done");

    const first = toolNames(0);
    expect(first).toContain("mcp_search");
    expect(first.filter((name) => name.includes("__"))).toEqual([]);
    const searchResult = body(1).messages.find((m) => m.role === "tool")?.content ?? "";
    expect(searchResult).toMatch(/^\d+ tools? found and now available; call them directly:\n/);
    // The very next request of the same task carries the tools the search found.
    expect(toolNames(1)).toContain("everything__echo");
    expect(toolNames(1).filter((name) => name.includes("__"))).toEqual(mcp?.exposure.loaded());
    expect(searchResult).toContain("everything__echo: Echoes back the input string");
    expect(
      body(2)
        .messages.filter((m) => m.role === "tool")
        .at(-1)?.content,
    ).toBe("Echo: found it");

    // And every later task too.
    await run("again");
    expect(toolNames(3)).toContain("everything__echo");
    expect(toolNames(3).filter((name) => name.includes("__"))).toEqual(mcp?.exposure.loaded());
  });
});
