import { parseArgs } from "node:util";
import type { NewMcpServer } from "../config/mcp-write.js";
import { UsageError } from "../core/errors.js";

export type McpCommand =
  | { kind: "mcp"; action: "help" }
  | { kind: "mcp"; action: "list"; profile?: string }
  | { kind: "mcp"; action: "tools"; name: string; profile?: string }
  | { kind: "mcp"; action: "logs"; name: string; lines: number }
  | { kind: "mcp"; action: "add"; server: NewMcpServer }
  | { kind: "mcp"; action: "remove"; name: string; profile?: string }
  | { kind: "mcp"; action: "serve"; allowWrites: boolean; allowBash: boolean };

export const MCP_USAGE = `Usage
  parecode mcp list [--profile NAME]        start the servers; show status and tool counts
  parecode mcp tools SERVER [--profile NAME]
                                            the server's tools as the model sees them
  parecode mcp logs SERVER [--lines N]      the end of the server's stderr (redacted)
  parecode mcp add SERVER [--profile NAME] [--env KEY=VALUE]... [--scope a,b] [--timeout SECONDS] -- COMMAND [ARGS...]
  parecode mcp add SERVER --url URL [--header "Name: value"]... [--profile NAME]
                                            append a server block to config.toml
                                            (global, or under the profile with --profile)
  parecode mcp remove SERVER [--profile NAME]
  parecode mcp serve [--allow-writes] [--allow-bash]
                                            offer the native tools to other MCP hosts over
                                            stdio, rooted here; reads only unless allowed
`;

/** `parecode mcp …` (argv after "mcp"). */
export function parseMcpCommand(argv: string[]): McpCommand {
  const [action, ...rest] = argv;
  if (action === undefined || action === "help" || action === "--help" || action === "-h")
    return { kind: "mcp", action: "help" };
  try {
    switch (action) {
      case "list": {
        const { values } = parse(rest, { profile: { type: "string" } }, 0);
        return { kind: "mcp", action: "list", profile: values.profile as string | undefined };
      }
      case "tools": {
        const { values, positionals } = parse(rest, { profile: { type: "string" } }, 1);
        return { kind: "mcp", action: "tools", name: positionals[0], profile: values.profile as string | undefined };
      }
      case "logs": {
        const { values, positionals } = parse(rest, { lines: { type: "string" } }, 1);
        const lines = values.lines === undefined ? 50 : Number(values.lines);
        if (!Number.isInteger(lines) || lines < 1)
          throw new Error(`--lines must be a whole number above 0 (got ${values.lines})`);
        return { kind: "mcp", action: "logs", name: positionals[0], lines };
      }
      case "remove": {
        const { values, positionals } = parse(rest, { profile: { type: "string" } }, 1);
        return { kind: "mcp", action: "remove", name: positionals[0], profile: values.profile as string | undefined };
      }
      case "add":
        return { kind: "mcp", action: "add", server: parseAdd(rest) };
      case "serve": {
        const { values } = parse(rest, { "allow-writes": { type: "boolean" }, "allow-bash": { type: "boolean" } }, 0);
        return {
          kind: "mcp",
          action: "serve",
          allowWrites: values["allow-writes"] === true,
          allowBash: values["allow-bash"] === true,
        };
      }
      default:
        throw new Error(`unknown mcp command "${action}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`parecode mcp: ${(err as Error).message}\n${MCP_USAGE}`);
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

function parse(args: string[], options: Options, positionals: number): { values: Values; positionals: string[] } {
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  if (parsed.positionals.length < positionals) throw new Error("give the server's name");
  if (parsed.positionals.length > positionals) throw new Error(`unexpected "${parsed.positionals[positionals]}"`);
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

function parseAdd(argv: string[]): NewMcpServer {
  const dash = argv.indexOf("--");
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parse(
    own,
    {
      profile: { type: "string" },
      url: { type: "string" },
      env: { type: "string", multiple: true },
      header: { type: "string", multiple: true },
      scope: { type: "string", multiple: true },
      timeout: { type: "string" },
    },
    1,
  );
  const url = values.url as string | undefined;
  if (url !== undefined && command.length > 0) throw new Error("give either --url URL or -- COMMAND ARGS, not both");
  if (url === undefined && command.length === 0) {
    throw new Error(
      "say how to reach the server: -- COMMAND ARGS (e.g. -- npx -y @modelcontextprotocol/server-everything), or --url URL",
    );
  }
  const server: NewMcpServer = { name: positionals[0] };
  if (typeof values.profile === "string") server.profile = values.profile;
  if (url !== undefined) server.url = url;
  else server.command = command;
  const env = pairs(values.env as string[] | undefined, "=", "--env KEY=VALUE");
  if (Object.keys(env).length > 0) {
    if (url !== undefined)
      throw new Error("--env applies to servers started with a command; use --header for URL servers");
    server.env = env;
  }
  const headers = pairs(values.header as string[] | undefined, ":", '--header "Name: value"');
  if (Object.keys(headers).length > 0) {
    if (url === undefined) throw new Error("--header applies to --url servers; use --env for commands");
    server.headers = headers;
  }
  const scope = ((values.scope as string[] | undefined) ?? []).flatMap((s) => s.split(",")).map((s) => s.trim());
  if (scope.some((s) => s !== "")) server.scope = scope.filter((s) => s !== "");
  if (values.timeout !== undefined) {
    const timeout = Number(values.timeout);
    if (!(timeout > 0) || !Number.isFinite(timeout))
      throw new Error(`--timeout must be a number of seconds above 0 (got ${values.timeout})`);
    server.timeout = timeout;
  }
  return server;
}

function pairs(items: string[] | undefined, separator: string, example: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const at = item.indexOf(separator);
    const key = at > 0 ? item.slice(0, at).trim() : "";
    if (key === "") throw new Error(`${JSON.stringify(item)} is not ${example}`);
    out[key] = item.slice(at + 1).trim();
  }
  return out;
}
