/**
 * `parecode mcp serve`: our native tools offered to other MCP hosts over stdio. Every
 * call passes the caller's permission check first (a refusal is an error result the
 * host's model reads), then runs through the same registry as the agent's calls, so
 * arguments are validated and results cut exactly as they are for our own model; what
 * goes back is redacted.
 */

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool as McpToolInfo,
} from "@modelcontextprotocol/sdk/types.js";
import type { Tool } from "../core/types.js";
import type { OutputStore } from "../tools/output-store.js";
import { createToolRegistry } from "../tools/registry.js";

export interface ServeCall {
  /** Unique within this server's lifetime. */
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Whether the tool can change files or run commands. */
  mutates: boolean;
}

/**
 * Decides whether a host may make a call. Must not throw; `reason` is what the host's
 * model reads when the call is refused, so it should say how to get permission.
 */
export type CheckPermission = (call: ServeCall) => Promise<{ allow: boolean; reason?: string }>;

export interface ServeToolsOptions {
  /** The tools to offer, already rooted at the project (createNativeTools). */
  tools: readonly Tool[];
  /** The output store the tools were built with (recall reads it). */
  outputs: OutputStore;
  checkPermission: CheckPermission;
  /** Applied to every text sent back (results and refusals): secrets never reach the host. */
  redact?: (text: string) => string;
  serverInfo: { name: string; version: string };
  /** Sent to hosts at initialisation: what the tools are and where they are rooted. */
  instructions?: string;
  /** Default: stdio of this process. */
  transport?: Transport;
}

export interface ServedTools {
  /** Settles when the host disconnects (stdin ends) or close() is called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveTools(options: ServeToolsOptions): Promise<ServedTools> {
  const registry = createToolRegistry([...options.tools], { outputs: options.outputs });
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  const server = new Server(options.serverInfo, {
    capabilities: { tools: {} },
    instructions: options.instructions,
  });
  let calls = 0;
  const redact = options.redact ?? ((value: string) => value);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: options.tools.map(
      (tool): McpToolInfo => ({
        name: tool.name,
        description: tool.description,
        inputSchema: { ...tool.parameters, type: "object" },
        annotations: { readOnlyHint: !tool.mutates, destructiveHint: tool.mutates, openWorldHint: false },
      }),
    ),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const args = request.params.arguments ?? {};
    const tool = byName.get(name);
    if (!tool) {
      return text(`unknown tool ${JSON.stringify(name)}; the tools are ${[...byName.keys()].join(", ")}`, true);
    }
    calls++;
    const callId = `mcp_${calls}`;
    const decision = await options
      .checkPermission({ id: callId, name, args, mutates: tool.mutates })
      .catch(() => ({ allow: false, reason: "the permission check failed" }));
    if (!decision.allow) return text(redact(`${name} was refused: ${decision.reason ?? "not permitted"}`), true);
    const result = await registry.execute(
      { id: callId, name, args, rawArgs: JSON.stringify(args) },
      { signal: extra.signal, callId, turn: calls },
    );
    return text(redact(result.content), result.isError);
  });

  const transport = options.transport ?? new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  if (!options.transport) {
    // The stdio transport does not notice its input ending; a host that goes away closes stdin.
    process.stdin.once("end", () => void server.close());
  }
  return { closed, close: () => server.close() };
}

function text(content: string, isError: boolean): CallToolResult {
  return { content: [{ type: "text", text: content }], isError };
}
