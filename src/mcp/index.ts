/**
 * The MCP client as the runtime uses it: start the profile's servers, get the tools to
 * register and the per-request schema filter, close at the end. Import this module
 * lazily (`await import("../mcp/index.js")`) and only when readMcpConfig finds enabled
 * servers: the SDK costs startup time nobody without MCP servers should pay.
 */

import path from "node:path";
import type { McpServerConfig, McpSettings } from "../config/mcp-servers.js";
import { dataDir } from "../config/paths.js";
import { createMcpToolExposure, type McpToolExposure } from "./lazy-tools.js";
import { type McpManager, startMcpServers } from "./manager.js";

export {
  createMcpToolExposure,
  MCP_SEARCH_TOOL,
  type McpToolExposure,
  type ScopedMcpExposure,
  withMcpExposure,
  withMcpScope,
} from "./lazy-tools.js";
export { lowerSchema } from "./lower-schema.js";
export type { McpManager, McpServerSummary } from "./manager.js";
export { startMcpServers } from "./manager.js";
export type { McpTool } from "./mcp-tool.js";

/** Where server logs go: `$XDG_DATA_HOME/parecode/mcp-logs/<server>.log`. */
export function mcpLogDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), "mcp-logs");
}

export interface StartMcpOptions {
  /** From readMcpConfig(config, profile). */
  servers: readonly McpServerConfig[];
  settings: McpSettings;
  env: NodeJS.ProcessEnv;
  /** The project root: stdio servers start there. */
  cwd: string;
  /** The model's window, for the lazy-loading threshold. */
  contextTokens: number;
  /** The agent's token counter (context/tokens countTokensNow(...).tokens). */
  countTokens: (text: string) => number;
  /** Default mcpLogDir(env). */
  logDir?: string;
  clientInfo?: { name: string; version: string };
}

export interface McpSession {
  manager: McpManager;
  /** Register `exposure.tools` beside the native tools; filter schemas per request with withMcpExposure. */
  exposure: McpToolExposure;
  /** One line per skipped server, for the front end to print as a warning. */
  warnings: readonly string[];
  close(): Promise<void>;
}

/** Starts the enabled servers concurrently; never throws for a server that fails (it becomes a warning). */
export async function startMcp(options: StartMcpOptions): Promise<McpSession> {
  const manager = await startMcpServers({
    servers: options.servers.filter((s) => s.enabled),
    env: options.env,
    cwd: options.cwd,
    logDir: options.logDir ?? mcpLogDir(options.env),
    clientInfo: options.clientInfo,
  });
  const exposure = createMcpToolExposure({
    tools: manager.tools(),
    contextTokens: options.contextTokens,
    countTokens: options.countTokens,
    settings: options.settings,
  });
  return { manager, exposure, warnings: manager.warnings, close: () => manager.close() };
}
