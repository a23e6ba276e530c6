/**
 * Starts the configured MCP servers together, each within its own timeout, and turns
 * the tools of those that came up into `server__tool` Tools. A server that fails or
 * times out is skipped with a one-line warning for the caller to print; the others go
 * on. Nothing here prints: front ends decide where warnings go.
 */

import type { McpServerConfig } from "../config/mcp-servers.js";
import { createMcpTool, type McpTool } from "./mcp-tool.js";
import {
  createServerConnection,
  type ServerConnection,
  type ServerStatus,
  type TransportKind,
} from "./server-connection.js";
import { mcpToolName } from "./tool-names.js";

export interface McpManagerOptions {
  servers: readonly McpServerConfig[];
  /** The environment parecode runs with (default process.env): children get an allowlist of it. */
  env?: NodeJS.ProcessEnv;
  /** Working directory of stdio servers: the project root. */
  cwd?: string;
  /** Directory for `<server>.log` files (see mcpLogDir); in memory only when absent. */
  logDir?: string;
  /** Longest a tool call may go without progress (default 5 minutes). */
  callTimeoutMs?: number;
  /** How parecode introduces itself to servers. */
  clientInfo?: { name: string; version: string };
}

export interface McpServerSummary {
  name: string;
  /** "global" or the profile the block is under. */
  origin: string;
  /** How it is reached: stdio, or http/sse once connected (http before). */
  transport: TransportKind;
  status: ServerStatus;
  error?: string;
  /** Our names for its tools. */
  tools: string[];
  startMs?: number;
  pid: number | null;
}

export interface McpManager {
  /** One line per server that was skipped, for the front end to show. */
  readonly warnings: readonly string[];
  /** The tools of every server that started, in config order. */
  tools(): McpTool[];
  servers(): McpServerSummary[];
  server(name: string): ServerConnection | undefined;
  /** Stops every server (children are terminated). Safe to call twice. */
  close(): Promise<void>;
}

export async function startMcpServers(options: McpManagerOptions): Promise<McpManager> {
  const env = options.env ?? process.env;
  const clientInfo = options.clientInfo ?? { name: "parecode", version: "0" };
  const connections = options.servers.map((config) =>
    createServerConnection({
      config,
      env,
      cwd: options.cwd,
      logDir: options.logDir,
      callTimeoutMs: options.callTimeoutMs,
      clientInfo,
    }),
  );
  await Promise.all(connections.map((c) => c.start()));

  const warnings = connections
    .filter((c) => c.status === "failed")
    .map((c) => `MCP server ${c.config.name} skipped: ${c.error ?? "it did not start"}`);
  const taken = new Set<string>();
  const tools: McpTool[] = [];
  const names = new Map<string, string[]>();
  for (const connection of connections) {
    const own: string[] = [];
    if (connection.status === "ready") {
      for (const info of connection.tools) {
        const tool = createMcpTool(connection, info, mcpToolName(connection.config.name, info.name, taken));
        tools.push(tool);
        own.push(tool.name);
      }
    }
    names.set(connection.config.name, own);
  }

  let closed: Promise<void> | undefined;
  return {
    warnings,
    tools: () => [...tools],
    servers: () =>
      connections.map((c) => ({
        name: c.config.name,
        origin: c.config.origin,
        transport: c.transport ?? (c.config.command ? "stdio" : "http"),
        status: c.status,
        error: c.error,
        tools: names.get(c.config.name) ?? [],
        startMs: c.startMs,
        pid: c.pid,
      })),
    server: (name) => connections.find((c) => c.config.name === name),
    close() {
      closed ??= Promise.all(connections.map((c) => c.close())).then(() => undefined);
      return closed;
    },
  };
}
