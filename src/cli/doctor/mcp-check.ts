/**
 * Whether the configured MCP servers start: each is started (concurrently, within its own
 * start timeout) and stopped again. One that does not start is a failure naming why; a
 * run would skip it with a warning, so the fix is usually in the server's command or env.
 */
import { type McpServerConfig, readMcpConfig } from "../../config/mcp-servers.js";
import { VERSION } from "../../core/version.js";
import type { McpServerSummary } from "../../mcp/index.js";
import { type CheckResult, type DoctorContext, fail, ok } from "./types.js";

export async function mcpChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const config = ctx.config.config;
  if (!config) return [];
  const profile =
    config.profiles.find((p) => p.name === (ctx.profileName ?? config.defaultProfile)) ?? config.profiles[0];
  const { servers, warnings } = readMcpConfig(config, profile, ctx.env);
  const enabled = servers.filter((server) => server.enabled);
  const results: CheckResult[] = warnings.map((warning) => ({
    id: "mcp-config",
    status: "warn" as const,
    message: warning,
    fix: "Correct or remove that key in config.toml.",
  }));
  if (enabled.length === 0) return [...results, ok("mcp", "no MCP servers configured")];
  if (!ctx.network && enabled.some((server) => server.url !== undefined)) {
    // Starting stdio servers is local; HTTP ones would reach the network.
    results.push(ok("mcp", "HTTP servers not contacted (--no-network)"));
  }
  const toStart = ctx.network ? enabled : enabled.filter((server) => server.url === undefined);
  if (toStart.length === 0) return results;
  const { startMcpServers, mcpLogDir } = await import("../../mcp/index.js");
  const manager = await startMcpServers({
    servers: toStart,
    env: ctx.env,
    cwd: ctx.cwd,
    logDir: mcpLogDir(ctx.env),
    clientInfo: { name: "parecode-doctor", version: VERSION },
  });
  try {
    const started = new Map(manager.servers().map((server) => [server.name, server]));
    for (const server of toStart) results.push(serverResult(server, started.get(server.name)));
  } finally {
    await manager.close();
  }
  return results;
}

function serverResult(server: McpServerConfig, summary: McpServerSummary | undefined): CheckResult {
  const id = `mcp:${server.name}`;
  if (summary?.status === "ready") {
    return ok(id, `${summary.transport}, ${summary.tools.length} tools, started in ${summary.startMs} ms`, {
      tools: summary.tools.length,
      transport: summary.transport,
    });
  }
  const why = summary?.error ?? "did not start";
  const how = server.command ? `the command ${JSON.stringify(server.command.join(" "))}` : `the URL ${server.url}`;
  return fail(
    id,
    `does not start: ${why}`,
    `Check ${how} and its env; parecode mcp logs ${server.name} shows its stderr.`,
  );
}
