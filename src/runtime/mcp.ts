/**
 * MCP for a session: the profile's (and the global) servers started concurrently, their
 * tools registered beside the native ones, and the per-request schema filter that keeps
 * a large tool set out of the context until the model searches for it. The SDK is loaded
 * only when a server is configured.
 */
import { readMcpConfig } from "../config/mcp-servers.js";
import type { Profile, ResolvedConfig } from "../config/types.js";
import { countTokensNow } from "../context/tokens.js";
import type { Tool, ToolSchema } from "../core/types.js";
import { VERSION } from "../core/version.js";

export interface SessionMcp {
  /** Which servers these are: a profile switch restarts MCP only when this differs. */
  key: string;
  tools: readonly Tool[];
  /** The registry as the agent should see it: schemas filtered per request. */
  expose<T extends { schemas(): ToolSchema[] }>(registry: T): T;
  warnings: readonly string[];
  close(): Promise<void>;
}

export interface SessionMcpOptions {
  config: ResolvedConfig;
  profile: Profile;
  env: NodeJS.ProcessEnv;
  root: string;
  contextTokens: number;
}

/** Undefined when no server is configured (nothing loaded); config mistakes are warnings. */
export async function startSessionMcp(
  options: SessionMcpOptions,
): Promise<{ mcp?: SessionMcp; warnings: readonly string[] }> {
  const mcpConfig = readMcpConfig(options.config, options.profile, options.env);
  const servers = enabledServers(mcpConfig.servers);
  if (servers.length === 0) return { warnings: mcpConfig.warnings };
  const { startMcp, withMcpExposure } = await import("../mcp/index.js");
  const session = await startMcp({
    servers,
    settings: mcpConfig.settings,
    env: options.env,
    cwd: options.root,
    contextTokens: options.contextTokens,
    countTokens: (text) => countTokensNow(text).tokens,
    clientInfo: { name: "parecode", version: VERSION },
  });
  return {
    warnings: [...mcpConfig.warnings, ...session.warnings],
    mcp: {
      key: JSON.stringify(servers),
      tools: session.exposure.tools,
      expose: (registry) => withMcpExposure(registry, session.exposure),
      warnings: session.warnings,
      close: () => session.close(),
    },
  };
}

function enabledServers<T extends { enabled: boolean }>(servers: readonly T[]): T[] {
  return servers.filter((server) => server.enabled);
}

/** The fingerprint of the servers a profile would start (empty string: none). */
export function mcpServersKey(options: Pick<SessionMcpOptions, "config" | "profile" | "env">): string {
  const servers = enabledServers(readMcpConfig(options.config, options.profile, options.env).servers);
  return servers.length === 0 ? "" : JSON.stringify(servers);
}
