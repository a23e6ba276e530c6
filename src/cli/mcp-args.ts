import { parseArgs } from "node:util";
import type { NewMcpServer } from "../config/mcp-write.js";
import { isPermissionMode, PERMISSION_MODES, type PermissionMode } from "../core/approval.js";
import { UsageError } from "../core/errors.js";

export type McpCommand =
  | { kind: "mcp"; action: "help" }
  | { kind: "mcp"; action: "list"; profile?: string }
  | { kind: "mcp"; action: "tools"; name: string; profile?: string }
  | { kind: "mcp"; action: "logs"; name: string; lines: number }
  | { kind: "mcp"; action: "add"; server: NewMcpServer }
  | { kind: "mcp"; action: "remove"; name: string; profile?: string }
  | {
      kind: "mcp";
      action: "serve";
      /** --permission-mode (or its aliases --allow-writes, --allow-bash); undefined: the config's mode, else ask. */
      permissionMode?: PermissionMode;
      trustProject: boolean;
      /** --sandbox / --no-sandbox; undefined: the config's `sandbox` setting. */
      sandbox?: "auto" | "off";
    };

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
  parecode mcp serve [--permission-mode MODE] [--trust-project] [--no-sandbox]
                                            offer the native tools to other MCP hosts over
                                            stdio, rooted here, under the permission rules
                                            and the mode (default: [permissions] mode, else
                                            ask). Nobody can be asked, so what would ask is
                                            refused: in ask mode reads and read-only commands
                                            run; accept-edits adds edits; trust adds every
                                            command the rules and the guard do not deny
                                            (rm -rf ~, credential reads… are refused in
                                            every mode). --allow-writes = accept-edits,
                                            --allow-bash = trust (a command can write files)
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
      case "serve":
        return parseServe(rest);
      default:
        throw new Error(`unknown mcp command "${action}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`parecode mcp: ${(err as Error).message}\n${MCP_USAGE}`);
  }
}

function parseServe(argv: string[]): McpCommand {
  const { values } = parse(
    argv,
    {
      "permission-mode": { type: "string" },
      "allow-writes": { type: "boolean" },
      "allow-bash": { type: "boolean" },
      "trust-project": { type: "boolean" },
      sandbox: { type: "boolean" },
      "no-sandbox": { type: "boolean" },
    },
    0,
  );
  const given = values["permission-mode"] as string | undefined;
  if (given !== undefined && !isPermissionMode(given)) {
    throw new Error(`--permission-mode must be one of ${PERMISSION_MODES.join(", ")} (got "${given}")`);
  }
  // A command can write any file in the project, so allowing commands allows edits too.
  const alias: PermissionMode | undefined =
    values["allow-bash"] === true ? "trust" : values["allow-writes"] === true ? "accept-edits" : undefined;
  if (given !== undefined && alias !== undefined && given !== alias) {
    const flag = alias === "trust" ? "--allow-bash" : "--allow-writes";
    throw new Error(`${flag} means --permission-mode ${alias}, which contradicts --permission-mode ${given}; give one`);
  }
  if (values.sandbox === true && values["no-sandbox"] === true) {
    throw new Error("--sandbox and --no-sandbox contradict each other; give one of them");
  }
  const command: McpCommand = { kind: "mcp", action: "serve", trustProject: values["trust-project"] === true };
  const mode = given ?? alias;
  if (mode !== undefined) command.permissionMode = mode;
  if (values.sandbox === true) command.sandbox = "auto";
  if (values["no-sandbox"] === true) command.sandbox = "off";
  return command;
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
