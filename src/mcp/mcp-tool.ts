/**
 * A server's tool as one of our Tool objects: lowered schema, `server__tool` name,
 * `mutates` unless the server marks it read-only, and an execute that calls the server
 * with the call's AbortSignal. Permissions see it by its name like any native tool.
 */

import type { Tool, ToolResult } from "../core/types.js";
import { failedCall, toToolResult } from "./call-result.js";
import { lowerSchema } from "./lower-schema.js";
import type { McpToolInfo, ServerConnection } from "./server-connection.js";

/** Longest tool description sent to the model, in characters. */
const MAX_DESCRIPTION = 1_000;

export interface McpTool extends Tool {
  /** The configured server's name. */
  server: string;
  /** The tool's name on its server. */
  remoteName: string;
}

export function createMcpTool(server: ServerConnection, info: McpToolInfo, name: string): McpTool {
  return {
    name,
    server: server.config.name,
    remoteName: info.name,
    description: describeTool(info),
    parameters: lowerSchema(info.inputSchema),
    mutates: info.annotations?.readOnlyHint !== true,
    async execute(args, ctx): Promise<ToolResult> {
      const outcome = await server.call(info.name, args, ctx.signal);
      if (!outcome.ok) return failedCall(name, outcome.message);
      return toToolResult(outcome.result, name, ctx.callId, server.redact);
    },
  };
}

function describeTool(info: McpToolInfo): string {
  const text = (info.description ?? info.title ?? info.annotations?.title ?? info.name).replace(/\s+/g, " ").trim();
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}
