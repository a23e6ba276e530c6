/**
 * First-request tokens with 50 MCP tools (the everything server's 13 and 37 from the fake
 * server, shaped like GitHub, Postgres, fetch, Slack, … tools), sent eagerly and lazily.
 * The session is assembled the way the runtime assembles it (preamble, system prompt,
 * native tools + MCP tools in one registry) and driven by the scripted model; the first
 * recorded request is counted like every other benchmark request.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAgentSession } from "../src/agent/session.js";
import { DEFAULT_MCP_SETTINGS, type McpLazyMode } from "../src/config/mcp-servers.js";
import type { Profile } from "../src/config/types.js";
import { createReadCache } from "../src/context/read-cache.js";
import { countTokensNow, preloadTokenizer } from "../src/context/tokens.js";
import { createMcpToolExposure, startMcpServers, withMcpExposure } from "../src/mcp/index.js";
import type { McpTool } from "../src/mcp/mcp-tool.js";
import { createModelClient } from "../src/providers/index.js";
import { createNativeTools } from "../src/tools/index.js";
import { createOutputStore } from "../src/tools/output-store.js";
import { createToolRegistry } from "../src/tools/registry.js";
import { EVERYTHING, FAKE, stdioServer } from "../test/support/mcp-servers.js";
import { startScriptedServer } from "../test/support/scripted-server.js";
import { countRequestTokens, type RequestTokens } from "./request-tokens.js";

export interface McpFirstRequest {
  mcpTools: number;
  /** The 50 lowered MCP schemas on their own. */
  mcpSchemaTokens: number;
  budgetTokens: number;
  native: RequestTokens;
  eager: RequestTokens;
  lazy: RequestTokens;
}

const CONTEXT_TOKENS = 32_768;
const TASK = "What does this project do?";

export async function measureMcpFirstRequest(): Promise<McpFirstRequest> {
  await preloadTokenizer();
  const root = await mkdtemp(path.join(tmpdir(), "parecode-bench-mcp-"));
  await writeFile(path.join(root, "README.md"), "# demo\n");
  const manager = await startMcpServers({
    servers: [
      stdioServer("everything", [process.execPath, EVERYTHING, "stdio"]),
      stdioServer("tools", [process.execPath, FAKE, "--tools", "34"]),
    ],
    cwd: root,
  });
  try {
    if (manager.warnings.length > 0) throw new Error(manager.warnings.join("\n"));
    const tools = manager.tools();
    if (tools.length !== 50) throw new Error(`expected 50 MCP tools, got ${tools.length}`);
    const eager = await firstRequest(root, tools, "never");
    const lazy = await firstRequest(root, tools, "auto");
    if (!lazy.exposureLazy) throw new Error("50 MCP tools did not switch to lazy loading at 32k");
    return {
      mcpTools: tools.length,
      mcpSchemaTokens: lazy.schemaTokens,
      budgetTokens: lazy.budgetTokens,
      native: await firstRequest(root, [], "auto").then((r) => r.tokens),
      eager: eager.tokens,
      lazy: lazy.tokens,
    };
  } finally {
    await manager.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function firstRequest(root: string, mcpTools: readonly McpTool[], lazy: McpLazyMode) {
  const server = await startScriptedServer({ script: [{ text: "A demo." }] });
  try {
    const exposure = createMcpToolExposure({
      tools: mcpTools,
      contextTokens: CONTEXT_TOKENS,
      countTokens: (text) => countTokensNow(text).tokens,
      settings: { ...DEFAULT_MCP_SETTINGS, lazy },
    });
    const outputs = createOutputStore();
    const registry = createToolRegistry(
      [...createNativeTools({ root, cache: createReadCache(), outputs }), ...exposure.tools],
      { outputs },
    );
    const profile: Profile = {
      name: "bench",
      provider: "openai",
      endpoint: server.openaiBaseUrl,
      model: "bench",
      apiKey: "k",
      contextTokens: CONTEXT_TOKENS,
      source: "config",
    };
    const session = createAgentSession({
      root,
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools: withMcpExposure(registry, exposure),
      model: profile.model,
      profileName: profile.name,
      provider: profile.provider,
      contextTokens: CONTEXT_TOKENS,
      maxIterations: 3,
      costUsd: () => 0,
    });
    const result = await session.run(TASK, { signal: new AbortController().signal, onEvent: () => undefined });
    if (result.status !== "done") throw new Error(`bench task failed: ${result.message}`);
    return {
      tokens: await countRequestTokens(server.requests[0].body),
      exposureLazy: exposure.lazy,
      schemaTokens: exposure.schemaTokens,
      budgetTokens: exposure.budgetTokens,
    };
  } finally {
    await server.close();
  }
}
