/**
 * `parecode mcp list|tools|logs|add|remove|serve`. Inspection starts the servers the
 * way a session would (same config, environment allowlist, timeouts and log files), so
 * what it shows is what the model would get.
 */

import { loadConfig } from "../config/load.js";
import { type McpServerConfig, readMcpConfig } from "../config/mcp-servers.js";
import { appendMcpServer, removeMcpServer } from "../config/mcp-write.js";
import { configPath, displayPath } from "../config/paths.js";
import type { ResolvedConfig } from "../config/types.js";
import { UsageError } from "../core/errors.js";
import { VERSION } from "../core/version.js";
import { projectConfigLayer } from "../runtime/project-layer.js";
import { MCP_USAGE, type McpCommand } from "./mcp-args.js";

interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export async function runMcpCommand(command: McpCommand, io: Io): Promise<number> {
  switch (command.action) {
    case "help":
      io.out.write(MCP_USAGE);
      return 0;
    case "list":
      return list(command.profile, io);
    case "tools":
      return tools(command.name, command.profile, io);
    case "logs":
      return logs(command.name, command.lines, io);
    case "add": {
      const path = configPath(io.env);
      await appendMcpServer(path, command.server, io.env);
      const where =
        command.server.profile === undefined ? "for every profile" : `for profile ${command.server.profile}`;
      io.out.write(
        `Added MCP server ${command.server.name} ${where} to ${displayPath(path, io.env)}.\nCheck it with: parecode mcp tools ${command.server.name}\n`,
      );
      return 0;
    }
    case "remove": {
      const path = configPath(io.env);
      const origin = await removeMcpServer(path, command.name, command.profile, io.env);
      const where = origin === "global" ? "" : ` (profile ${origin})`;
      io.out.write(`Removed MCP server ${command.name}${where} from ${displayPath(path, io.env)}.\n`);
      return 0;
    }
    case "serve": {
      const { runMcpServe } = await import("./mcp-serve.js");
      return runMcpServe(command, io);
    }
  }
}

/** The servers a session in this profile would start: --profile, default_profile, else the first profile. */
async function configuredServers(profileName: string | undefined, env: NodeJS.ProcessEnv, cwd: string) {
  const config = await loadConfig(env, { project: await projectConfigLayer(cwd, env) });
  const name = profileName ?? config.defaultProfile ?? config.profiles[0]?.name;
  const profile = config.profiles.find((p) => p.name === name);
  if (profileName !== undefined && !profile) throw unknownProfile(profileName, config, env);
  const mcp = readMcpConfig(config, profile, env);
  return { ...mcp, profile: profile?.name };
}

async function start(servers: McpServerConfig[], io: Io) {
  const { startMcpServers, mcpLogDir } = await import("../mcp/index.js");
  return startMcpServers({
    servers,
    env: io.env,
    cwd: io.cwd,
    logDir: mcpLogDir(io.env),
    clientInfo: { name: "parecode", version: VERSION },
  });
}

async function list(profileName: string | undefined, io: Io): Promise<number> {
  const { servers, warnings, profile } = await configuredServers(profileName, io.env, io.cwd);
  for (const warning of warnings) io.err.write(`parecode: ${warning}\n`);
  if (servers.length === 0) {
    io.out.write(
      `No MCP servers configured${profile ? ` for profile ${profile}` : ""}. Add one with: parecode mcp add NAME -- COMMAND [ARGS...]\n`,
    );
    return 0;
  }
  const manager = await start(
    servers.filter((s) => s.enabled),
    io,
  );
  try {
    const started = new Map(manager.servers().map((s) => [s.name, s]));
    const rows = servers.map((server) => {
      const s = started.get(server.name);
      const status = !s
        ? "disabled"
        : s.status === "ready"
          ? `ready (${s.startMs} ms)`
          : `${s.status}: ${s.error ?? "did not start"}`;
      return [
        server.name,
        s?.transport ?? (server.command ? "stdio" : "http"),
        s ? String(s.tools.length) : "-",
        server.origin === "global" ? "global" : `profile ${server.origin}`,
        status,
      ];
    });
    io.out.write(table([["SERVER", "TRANSPORT", "TOOLS", "FROM", "STATUS"], ...rows]));
    return manager.servers().some((s) => s.status === "failed") ? 1 : 0;
  } finally {
    await manager.close();
  }
}

async function tools(name: string, profileName: string | undefined, io: Io): Promise<number> {
  const { servers } = await configuredServers(profileName, io.env, io.cwd);
  const server = servers.find((s) => s.name === name);
  if (!server) throw unknownServer(name, servers);
  if (!server.enabled) {
    io.err.write(
      `parecode: MCP server ${name} is disabled (enabled = false in its config block), so no tools are offered.\n`,
    );
    return 1;
  }
  const [{ signature }, manager] = await Promise.all([import("../tools/registry.js"), start([server], io)]);
  try {
    const summary = manager.servers()[0];
    if (summary.status !== "ready") {
      io.err.write(`parecode: MCP server ${name} did not start: ${summary.error ?? summary.status}\n`);
      return 1;
    }
    const list = manager.tools();
    io.out.write(`${name}: ${list.length} tool${list.length === 1 ? "" : "s"} over ${summary.transport}\n`);
    for (const tool of list) {
      io.out.write(`\n${signature(tool)}${tool.mutates ? "" : "  [read-only]"}\n  ${tool.description}\n`);
    }
    return 0;
  } finally {
    await manager.close();
  }
}

async function logs(name: string, lines: number, io: Io): Promise<number> {
  const [{ mcpLogDir }, { readLogTail }, { createRedactor }] = await Promise.all([
    import("../mcp/index.js"),
    import("../mcp/server-log.js"),
    import("../mcp/redact.js"),
  ]);
  const config = await loadConfig(io.env, { project: await projectConfigLayer(io.cwd, io.env) });
  const known = config.profiles.flatMap((p) => readMcpConfig(config, p, io.env).servers);
  known.push(...readMcpConfig(config, undefined, io.env).servers);
  const server = known.find((s) => s.name === name);
  const redact = createRedactor({ env: io.env, serverEnv: server?.env, headers: server?.headers });
  const tail = await readLogTail(mcpLogDir(io.env), name, lines, redact);
  if (tail === undefined) {
    if (!server) throw unknownServer(name, known);
    io.out.write(
      `No log for MCP server ${name} yet: it is written when the server starts (parecode mcp list starts it).\n`,
    );
    return 0;
  }
  io.out.write(tail.length > 0 ? `${tail.join("\n")}\n` : `The log of MCP server ${name} is empty.\n`);
  return 0;
}

function unknownServer(name: string, servers: readonly McpServerConfig[]): UsageError {
  const names = [...new Set(servers.map((s) => s.name))];
  const listed =
    names.length > 0 ? `The configured servers are: ${names.join(", ")}.` : "No MCP servers are configured.";
  return new UsageError(
    `There is no MCP server named ${name}. ${listed} Add one with: parecode mcp add ${name} -- COMMAND [ARGS...]`,
  );
}

function unknownProfile(name: string, config: ResolvedConfig, env: NodeJS.ProcessEnv): UsageError {
  const names = config.profiles.map((p) => p.name);
  return new UsageError(
    `There is no [profiles.${name}] in ${displayPath(config.path, env)}. ${names.length > 0 ? `The profiles are: ${names.join(", ")}.` : "There are no profiles in the file."}`,
  );
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return `${rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n")}\n`;
}
