/**
 * MCP servers as configured in config.toml: globally under `[[mcp_servers]]` and per
 * profile under `[[profiles.NAME.mcp_servers]]`, plus the top-level lazy-loading keys.
 *
 *   [[profiles.local.mcp_servers]]
 *   name    = "brave"
 *   command = ["npx", "-y", "@modelcontextprotocol/server-brave-search"]
 *   [profiles.local.mcp_servers.env]
 *   BRAVE_API_KEY = "BSA..."
 *
 *   [[mcp_servers]]
 *   name    = "docs"
 *   url     = "https://example.com/mcp"
 *   headers = { Authorization = "Bearer ..." }
 *
 * Every mistake is a ConfigError at file:line naming the key and the fix; unknown keys
 * are warnings (a newer parecode may know them).
 */

import { readFileSync } from "node:fs";
import { ConfigError } from "../core/errors.js";
import { suggestion } from "./known-keys.js";
import { displayPath } from "./paths.js";
import { locateKeys } from "./toml-locate.js";
import { tomlKey } from "./toml-text.js";
import type { Profile, ResolvedConfig } from "./types.js";

type Table = Record<string, unknown>;

export interface McpServerConfig {
  /** [A-Za-z0-9_-]+ without "__": tool names are `NAME__tool` and permission rules match `NAME__*`. */
  name: string;
  /** stdio servers: the program and its arguments (`command` followed by `args`). */
  command?: string[];
  /** HTTP servers: streamable HTTP, falling back to SSE for older servers. */
  url?: string;
  /** Added to a stdio server's small inherited environment. */
  env: Record<string, string>;
  /** Sent with every HTTP request (e.g. Authorization). */
  headers: Record<string, string>;
  /** Plan-step categories this server is offered to in plan mode; absent: every step. */
  scope?: string[];
  enabled: boolean;
  /** How long connecting and listing tools may take before the server is skipped. */
  startTimeoutMs: number;
  /** Where the block is: "global" (`[[mcp_servers]]`) or the profile's name. */
  origin: string;
}

export type McpLazyMode = "auto" | "always" | "never";

export interface McpSettings {
  /** mcp_lazy: "auto" sends one search tool instead of the MCP schemas when they cost too much. */
  lazy: McpLazyMode;
  /** mcp_schema_share: the share of the context window MCP schemas may take before lazy loading starts. */
  schemaShare: number;
  /** mcp_schema_max_tokens: the same limit in tokens; the smaller of the two applies. */
  schemaMaxTokens: number;
}

export const DEFAULT_MCP_SETTINGS: McpSettings = { lazy: "auto", schemaShare: 0.1, schemaMaxTokens: 2000 };
export const DEFAULT_MCP_START_TIMEOUT_MS = 10_000;

export interface McpConfig {
  /** Global servers, then the profile's; a profile server replaces a global one of the same name. */
  servers: McpServerConfig[];
  settings: McpSettings;
  /** Unknown keys, for the front end to show. */
  warnings: string[];
}

const SERVER_KEYS = ["name", "command", "args", "env", "url", "headers", "scope", "enabled", "timeout"] as const;
export const MCP_SERVER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The MCP servers and settings that apply to `profile` (global ones only when it is
 * absent or not from the config file). Throws ConfigError for a malformed block.
 */
export function readMcpConfig(
  config: ResolvedConfig,
  profile?: Pick<Profile, "name" | "raw">,
  env: NodeJS.ProcessEnv = process.env,
): McpConfig {
  const raw = config.raw ?? {};
  const warnings: string[] = [];
  const check = new McpChecker(config.path, env);
  const global = readServerList(raw.mcp_servers, [], "global", check, warnings);
  const own = profile?.raw
    ? readServerList(profile.raw.mcp_servers, ["profiles", profile.name], profile.name, check, warnings)
    : [];
  const servers = [...global];
  for (const server of own) {
    const index = servers.findIndex((s) => s.name === server.name);
    if (index >= 0) servers[index] = server;
    else servers.push(server);
  }
  return { servers, settings: readMcpSettings(raw, check), warnings };
}

/** Every server block in the file, global and per profile, for `parecode mcp add/remove`. */
export function readAllMcpServers(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): McpServerConfig[] {
  const check = new McpChecker(config.path, env);
  const raw = config.raw ?? {};
  const all = readServerList(raw.mcp_servers, [], "global", check, []);
  for (const profile of config.profiles) {
    if (profile.raw)
      all.push(...readServerList(profile.raw.mcp_servers, ["profiles", profile.name], profile.name, check, []));
  }
  return all;
}

function readMcpSettings(raw: Table, check: McpChecker): McpSettings {
  const settings = { ...DEFAULT_MCP_SETTINGS };
  const lazy = raw.mcp_lazy;
  if (lazy !== undefined) {
    if (lazy !== "auto" && lazy !== "always" && lazy !== "never") {
      check.fail(
        ["mcp_lazy"],
        `must be "auto", "always" or "never" (got ${describe(lazy)}); write it like mcp_lazy = "auto"`,
      );
    }
    settings.lazy = lazy;
  }
  const share = raw.mcp_schema_share;
  if (share !== undefined) {
    if (typeof share !== "number" || !(share > 0 && share <= 1)) {
      check.fail(
        ["mcp_schema_share"],
        `must be a number above 0 and at most 1 (got ${describe(share)}); write it like mcp_schema_share = 0.1`,
      );
    }
    settings.schemaShare = share;
  }
  const max = raw.mcp_schema_max_tokens;
  if (max !== undefined) {
    if (typeof max !== "number" || !Number.isInteger(max) || max < 0) {
      check.fail(
        ["mcp_schema_max_tokens"],
        `must be a whole number of tokens (got ${describe(max)}); write it like mcp_schema_max_tokens = 2000`,
      );
    }
    settings.schemaMaxTokens = max;
  }
  return settings;
}

function readServerList(
  value: unknown,
  base: string[],
  origin: string,
  check: McpChecker,
  warnings: string[],
): McpServerConfig[] {
  if (value === undefined) return [];
  const at = [...base, "mcp_servers"];
  const header = `[[${at.map(tomlKey).join(".")}]]`;
  if (!Array.isArray(value)) {
    check.fail(
      at,
      `must be a list of server blocks, each starting with ${header} followed by name = "..." and command = [...] or url = "..."`,
    );
  }
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const server = readServer(entry, [...at, String(index)], header, origin, check, warnings);
    if (seen.has(server.name)) {
      check.fail(
        [...at, String(index), "name"],
        `"${server.name}" is used by two ${header} blocks; give each server its own name`,
      );
    }
    seen.add(server.name);
    return server;
  });
}

function readServer(
  entry: unknown,
  at: string[],
  header: string,
  origin: string,
  check: McpChecker,
  warnings: string[],
): McpServerConfig {
  if (!isTable(entry))
    check.fail(at, `must be a table: write ${header} on its own line, then name = "..." and command = [...]`);
  for (const key of Object.keys(entry)) {
    if (!(SERVER_KEYS as readonly string[]).includes(key)) {
      warnings.push(
        `${check.where([...at, key])}: unknown key ${key} in ${header} ignored; ${suggestion(key, SERVER_KEYS)}`,
      );
    }
  }
  const name = entry.name;
  if (typeof name !== "string" || name.trim() === "")
    check.fail([...at, "name"], `is missing; add name = "github" under ${header}`);
  if (!MCP_SERVER_NAME.test(name) || name.includes("__")) {
    check.fail(
      [...at, "name"],
      `must use only letters, digits, "-" and "_" and no "__" (got ${describe(name)}), because its tools are named ${name.replace(/[^A-Za-z0-9_-]/g, "_")}__TOOL; write it like name = "github"`,
    );
  }
  const command = readCommand(entry, at, check);
  const url = entry.url;
  if (url !== undefined && (typeof url !== "string" || !isHttpUrl(url))) {
    check.fail(
      [...at, "url"],
      `must be an http:// or https:// URL in quotes (got ${describe(url)}); write it like url = "http://127.0.0.1:3001/mcp"`,
    );
  }
  if (command && url !== undefined)
    check.fail(
      [...at, "url"],
      `is set together with command; server "${name}" needs one of them: command to start it, or url to reach it`,
    );
  if (!command && url === undefined) {
    check.fail(
      at,
      `(server "${name}") needs command = ["program", "arg", ...] to start it, or url = "https://..." to reach it`,
    );
  }
  const env = readStringTable(entry, at, "env", check, 'env = { API_KEY = "..." }');
  const headers = readStringTable(entry, at, "headers", check, 'headers = { Authorization = "Bearer ..." }');
  if (Object.keys(headers).length > 0 && command) {
    check.fail(
      [...at, "headers"],
      `only apply to url servers; server "${name}" is started with command (use env for settings)`,
    );
  }
  const scope = entry.scope;
  if (scope !== undefined && (!Array.isArray(scope) || !scope.every((s) => typeof s === "string" && s.trim() !== ""))) {
    check.fail([...at, "scope"], `must be a list of step categories, like scope = ["frontend", "docs"]`);
  }
  const enabled = entry.enabled;
  if (enabled !== undefined && typeof enabled !== "boolean") {
    check.fail([...at, "enabled"], `must be true or false (got ${describe(enabled)}); write it like enabled = false`);
  }
  const timeout = entry.timeout;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout))) {
    check.fail(
      [...at, "timeout"],
      `must be a number of seconds above 0 (got ${describe(timeout)}); write it like timeout = 20`,
    );
  }
  const server: McpServerConfig = {
    name,
    env,
    headers,
    enabled: enabled ?? true,
    startTimeoutMs: timeout === undefined ? DEFAULT_MCP_START_TIMEOUT_MS : Math.round(timeout * 1000),
    origin,
  };
  if (command) server.command = command;
  if (url !== undefined) server.url = url;
  if (scope !== undefined) server.scope = (scope as string[]).map((s) => s.trim());
  return server;
}

function readCommand(entry: Table, at: string[], check: McpChecker): string[] | undefined {
  const { command, args } = entry;
  if (command === undefined) {
    if (args !== undefined) check.fail([...at, "args"], 'is set without command; add command = ["program"]');
    return undefined;
  }
  const example = 'command = ["npx", "-y", "@modelcontextprotocol/server-everything"]';
  let argv: string[];
  if (typeof command === "string" && command.trim() !== "") argv = [command];
  else if (
    Array.isArray(command) &&
    command.length > 0 &&
    command.every((c) => typeof c === "string") &&
    command[0].trim() !== ""
  ) {
    argv = [...command];
  } else {
    return check.fail(
      [...at, "command"],
      `must be a non-empty list of strings: the program, then its arguments; write it like ${example}`,
    );
  }
  if (args !== undefined) {
    if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
      check.fail([...at, "args"], `must be a list of strings, like args = ["--port", "0"]`);
    }
    argv.push(...args);
  }
  return argv;
}

function readStringTable(
  entry: Table,
  at: string[],
  key: string,
  check: McpChecker,
  example: string,
): Record<string, string> {
  const value = entry[key];
  if (value === undefined) return {};
  if (!isTable(value)) check.fail([...at, key], `must be a table of strings; write it like ${example}`);
  const out: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      check.fail([...at, key, name], `must be a string in quotes (got ${describe(item)}); write it like ${example}`);
    }
    out[name] = item;
  }
  return out;
}

/**
 * Errors name the file and line. The file is read again only when something is wrong:
 * ResolvedConfig keeps the parsed values, not the text, and errors are rare.
 */
class McpChecker {
  constructor(
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  where(path: string[]): string {
    const shown = displayPath(this.file, this.env);
    const line = this.lineOf(path);
    return line === undefined ? shown : `${shown}:${line}`;
  }

  fail(path: string[], problem: string): never {
    throw new ConfigError(`${this.where(path)}: ${keyName(path)} ${problem}.`, {
      file: this.file,
      line: this.lineOf(path),
      key: path.join("."),
    });
  }

  private lineOf(path: string[]): number | undefined {
    try {
      return locateKeys(readFileSync(this.file, "utf8")).lineOf(path);
    } catch {
      return undefined;
    }
  }
}

/** `profiles.local.mcp_servers.command`: the line number says which block, so indices are left out. */
function keyName(path: string[]): string {
  return path
    .filter((part) => !/^\d+$/.test(part))
    .map(tomlKey)
    .join(".");
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (isTable(value)) return "a table";
  return String(value);
}
