/**
 * MCP for a session: the profile's (and the global) servers, plus any the front end
 * brings (an editor's, over ACP), started concurrently, their tools registered beside the
 * native ones, the per-request schema filter that keeps a large tool set out of the
 * context until the model searches for it, and server scopes (a server declared for some
 * kinds of plan steps is offered only to runs of those kinds). The SDK is loaded only when
 * a server is configured.
 */
import { type McpServerConfig, readMcpConfig } from "../config/mcp-servers.js";
import type { Profile, ResolvedConfig } from "../config/types.js";
import { countTokensNow } from "../context/tokens.js";
import type { Tool, ToolCall, ToolContext, ToolResult, ToolSchema } from "../core/types.js";
import { VERSION } from "../core/version.js";

/** One server as the TUI's /mcp shows it: read-only, redacted. */
export interface McpServerView {
  name: string;
  /** "global", the profile the block is under, or "editor" for a server the front end brought. */
  origin: string;
  transport: "stdio" | "http" | "sse";
  status: "disabled" | "starting" | "ready" | "stopped" | "failed";
  /** Why it failed, one line (redacted). */
  error?: string;
  /** Plan-step categories it is offered to; absent: every run. */
  scope?: string[];
  startMs?: number;
  tools: Array<{ name: string; description: string; readOnly: boolean }>;
}

/** What the session's MCP looks like from outside: for /mcp, nothing that changes it. */
export interface McpView {
  servers(): McpServerView[];
  /** The newest lines of a server's stderr and our notes about it (at most 200, redacted); undefined for an unknown name. */
  logTail(name: string, lines?: number): string[] | undefined;
  /** Whether the model gets mcp_search instead of the schemas, and what the schemas would cost. */
  exposure(): { lazy: boolean; schemaTokens: number; budgetTokens: number; loaded: string[] };
}

type Runner = { schemas(): ToolSchema[]; execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult> };

export interface SessionMcp {
  /** Which servers these are: a profile switch restarts MCP only when this differs. */
  key: string;
  tools: readonly Tool[];
  /**
   * The registry as the agent should see it: schemas filtered per request, and limited
   * to the servers whose scope includes `scope()` when it names one.
   */
  expose<T extends Runner>(registry: T, scope?: () => string | undefined): T;
  view: McpView;
  warnings: readonly string[];
  close(): Promise<void>;
}

export interface SessionMcpOptions {
  config: ResolvedConfig;
  profile: Profile;
  env: NodeJS.ProcessEnv;
  root: string;
  contextTokens: number;
  /** Servers the front end brings, started beside the configured ones (a configured one of the same name wins). */
  extraServers?: readonly McpServerConfig[];
}

const MAX_LOG_LINES = 200;

/** Undefined when no server is configured (nothing loaded); config mistakes are warnings. */
export async function startSessionMcp(
  options: SessionMcpOptions,
): Promise<{ mcp?: SessionMcp; warnings: readonly string[] }> {
  const { servers, settings, warnings } = sessionServers(options);
  if (servers.length === 0) return { warnings };
  const { startMcp, withMcpScope } = await import("../mcp/index.js");
  const session = await startMcp({
    servers,
    settings,
    env: options.env,
    cwd: options.root,
    contextTokens: options.contextTokens,
    countTokens: (text) => countTokensNow(text).tokens,
    clientInfo: { name: "parecode", version: VERSION },
  });
  const { exposure, manager } = session;
  const scopes = new Map(servers.map((s) => [s.name, s.scope]));
  const scoped = new Map<string, ReturnType<typeof exposure.within>>();
  const within = (category: string) => {
    let view = scoped.get(category);
    if (!view) {
      view = exposure.within((server) => {
        const scope = scopes.get(server);
        return scope === undefined || scope.includes(category);
      });
      scoped.set(category, view);
    }
    return view;
  };
  const describedTools = new Map(manager.tools().map((t) => [t.name, t]));

  return {
    warnings: [...warnings, ...session.warnings],
    mcp: {
      key: JSON.stringify(servers),
      tools: exposure.tools,
      expose: (registry, scope) =>
        withMcpScope(registry, exposure, () => {
          const category = scope?.();
          return category === undefined ? undefined : within(category);
        }),
      view: {
        servers: () =>
          manager.servers().map((s) => ({
            name: s.name,
            origin: s.origin,
            transport: s.transport,
            status: s.status,
            ...(s.error !== undefined && { error: s.error }),
            ...(scopes.get(s.name) !== undefined && { scope: scopes.get(s.name) }),
            ...(s.startMs !== undefined && { startMs: s.startMs }),
            tools: s.tools.map((name) => {
              const tool = describedTools.get(name);
              return { name, description: tool?.description ?? "", readOnly: tool?.mutates === false };
            }),
          })),
        logTail: (name, lines = MAX_LOG_LINES) =>
          manager.server(name)?.log.tail(Math.max(1, Math.min(lines, MAX_LOG_LINES))),
        exposure: () => ({
          lazy: exposure.lazy,
          schemaTokens: exposure.schemaTokens,
          budgetTokens: exposure.budgetTokens,
          loaded: exposure.loaded(),
        }),
      },
      warnings: session.warnings,
      close: () => session.close(),
    },
  };
}

function sessionServers(options: Pick<SessionMcpOptions, "config" | "profile" | "env" | "extraServers">) {
  const mcpConfig = readMcpConfig(options.config, options.profile, options.env);
  const servers = mcpConfig.servers.filter((server) => server.enabled);
  for (const extra of options.extraServers ?? []) {
    if (extra.enabled && !servers.some((s) => s.name === extra.name)) servers.push(extra);
  }
  return { servers, settings: mcpConfig.settings, warnings: mcpConfig.warnings };
}

/** The fingerprint of the servers a profile would start (empty string: none). */
export function mcpServersKey(options: Pick<SessionMcpOptions, "config" | "profile" | "env" | "extraServers">): string {
  const { servers } = sessionServers(options);
  return servers.length === 0 ? "" : JSON.stringify(servers);
}
