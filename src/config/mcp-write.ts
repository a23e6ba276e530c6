/**
 * `parecode mcp add` and `remove`: surgical edits of config.toml. A server block is
 * appended as text, and removed by cutting exactly its lines, so the user's comments and
 * layout survive (a parse/stringify round-trip would drop them). Each edit is checked by
 * parsing the result before it is written: if anything but the one block would change,
 * nothing is written and the user is told where to edit by hand.
 */

import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { ConfigError } from "../core/errors.js";
import { parseToml } from "./load.js";
import { MCP_SERVER_NAME } from "./mcp-servers.js";
import { displayPath } from "./paths.js";
import { locateKeys } from "./toml-locate.js";
import { tomlKey, tomlString } from "./toml-text.js";
import { writeConfigFile } from "./write.js";

type Table = Record<string, unknown>;

export interface NewMcpServer {
  name: string;
  /** Under `[[profiles.PROFILE.mcp_servers]]`; global (`[[mcp_servers]]`) when absent. */
  profile?: string;
  command?: string[];
  url?: string;
  env?: Record<string, string>;
  headers?: Record<string, string>;
  scope?: string[];
  /** Start timeout in seconds. */
  timeout?: number;
}

/** The TOML text of one server block, ending with a newline. */
export function mcpServerBlock(server: NewMcpServer): string {
  const at = server.profile === undefined ? ["mcp_servers"] : ["profiles", server.profile, "mcp_servers"];
  const lines = [`[[${at.map(tomlKey).join(".")}]]`, `name = ${tomlString(server.name)}`];
  if (server.command) lines.push(`command = [${server.command.map(tomlString).join(", ")}]`);
  if (server.url !== undefined) lines.push(`url = ${tomlString(server.url)}`);
  if (server.env && Object.keys(server.env).length > 0) lines.push(`env = ${inlineTable(server.env)}`);
  if (server.headers && Object.keys(server.headers).length > 0) lines.push(`headers = ${inlineTable(server.headers)}`);
  if (server.scope && server.scope.length > 0) lines.push(`scope = [${server.scope.map(tomlString).join(", ")}]`);
  if (server.timeout !== undefined) lines.push(`timeout = ${server.timeout}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Appends a server block to the config file (creating it, mode 0600). Refuses when the
 * name is taken in the same place, the profile is not in the file, or the file does not
 * parse.
 */
export async function appendMcpServer(path: string, server: NewMcpServer, env = process.env): Promise<void> {
  const shown = displayPath(path, env);
  const text = await readConfigText(path);
  if (!MCP_SERVER_NAME.test(server.name) || server.name.includes("__")) {
    throw new ConfigError(
      `"${server.name}" cannot be an MCP server name: use letters, digits, "-" and "_" (no "__"), e.g. github`,
    );
  }
  const raw = text.trim() === "" ? {} : parseToml(text, path, shown);
  const place =
    server.profile === undefined ? "[[mcp_servers]]" : `[[profiles.${tomlKey(server.profile)}.mcp_servers]]`;
  if (server.profile !== undefined) {
    const profiles = isTable(raw.profiles) ? raw.profiles : {};
    if (!isTable(profiles[server.profile])) {
      const names = Object.keys(profiles);
      throw new ConfigError(
        `${shown} has no [profiles.${tomlKey(server.profile)}]. ${names.length > 0 ? `The profiles are: ${names.join(", ")}.` : "There are no profiles."} Pick one with --profile, or leave --profile out to add the server for every profile.`,
        { file: path },
      );
    }
  }
  if (serverList(raw, server.profile).some((entry) => isTable(entry) && entry.name === server.name)) {
    throw new ConfigError(
      `${shown} already has an MCP server named ${server.name} in ${place}. Remove it first with parecode mcp remove ${server.name}${server.profile ? ` --profile ${server.profile}` : ""}, or choose another name.`,
      { file: path },
    );
  }
  const block = mcpServerBlock(server);
  const separator = text === "" ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  const next = `${text}${separator}${block}`;
  const parsed = parseToml(next, path, shown);
  const added = serverList(parsed, server.profile).at(-1);
  if (!isTable(added) || added.name !== server.name) {
    throw new ConfigError(
      `${shown}: appending the block would not add the server where intended (the file's last table may swallow it). Add this block by hand:\n${block}`,
      { file: path },
    );
  }
  await writeConfigFile(path, next);
}

/**
 * Cuts the block of server `name` out of the config file. Without `profile` it looks
 * everywhere and refuses when the name is in more than one place. Returns where it was:
 * "global" or the profile's name.
 */
export async function removeMcpServer(
  path: string,
  name: string,
  profile: string | undefined,
  env = process.env,
): Promise<string> {
  const shown = displayPath(path, env);
  const text = await readConfigText(path);
  const raw = text.trim() === "" ? {} : parseToml(text, path, shown);
  const places = [undefined, ...Object.keys(isTable(raw.profiles) ? raw.profiles : {})]
    .filter((p) => profile === undefined || p === profile)
    .map((p) => ({ profile: p, index: serverList(raw, p).findIndex((e) => isTable(e) && e.name === name) }))
    .filter((p) => p.index >= 0);
  const where = (p: string | undefined) =>
    p === undefined ? "[[mcp_servers]]" : `[[profiles.${tomlKey(p)}.mcp_servers]]`;
  if (places.length === 0) {
    throw new ConfigError(
      `${shown} has no MCP server named ${name}${profile === undefined ? "" : ` in ${where(profile)}`}. parecode mcp list shows the configured servers.`,
      { file: path },
    );
  }
  if (places.length > 1) {
    throw new ConfigError(
      `MCP server ${name} is defined in ${places.map((p) => where(p.profile)).join(" and ")}; say which one with --profile NAME (global blocks: edit ${shown} by hand).`,
      { file: path },
    );
  }
  const { profile: found, index } = places[0];
  const base = found === undefined ? ["mcp_servers"] : ["profiles", found, "mcp_servers"];
  const header = locateKeys(text).lineOf([...base, String(index)]);
  const next = header === undefined ? undefined : cutBlock(text, header, base);
  const expected = parseToml(text, path, shown);
  serverList(expected, found).splice(index, 1);
  if (serverList(expected, found).length === 0) dropEmptyList(expected, found);
  if (next === undefined || !isDeepStrictEqual(parseOrUndefined(next, path), expected)) {
    throw new ConfigError(
      `${shown}${header === undefined ? "" : `:${header}`}: could not remove MCP server ${name} without touching anything else; delete its ${where(found)} block by hand.`,
      { file: path, line: header },
    );
  }
  await writeConfigFile(path, next);
  return found ?? "global";
}

/**
 * The text without the block whose header is on line `header` (1-based): up to the next
 * table header that is not one of its own sub-tables, leaving comments and blank lines
 * that lead into the next block where they are.
 */
function cutBlock(text: string, header: number, base: string[]): string | undefined {
  const lines = text.split("\n");
  const start = header - 1;
  if (!/^\s*\[\[/.test(lines[start] ?? "")) return undefined;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const path = headerPath(lines[end]);
    if (!path) continue;
    const own = !path.array && path.keys.length > base.length && base.every((key, i) => path.keys[i] === key);
    if (!own) break;
  }
  let last = end - 1;
  while (last > start && /^\s*(#.*)?$/.test(lines[last])) last--;
  const before = lines.slice(0, start);
  const after = lines.slice(last + 1);
  // Do not leave two blank lines where the block was.
  while (before.length > 0 && before[before.length - 1].trim() === "" && (after[0] ?? "").trim() === "") before.pop();
  const joined = [...before, ...after].join("\n");
  return joined.replace(/^\n+/, "");
}

/** `[a.b."c"]` / `[[a.b]]` on a line of its own → its keys; undefined for any other line. */
function headerPath(line: string): { keys: string[]; array: boolean } | undefined {
  const match = /^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$/.exec(line);
  if (!match) return undefined;
  const keys: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let at = 0;
  const inner = match[2];
  while (at < inner.length) {
    re.lastIndex = at;
    const part = re.exec(inner);
    if (!part) return undefined;
    keys.push(part[1] !== undefined ? JSON.parse(`"${part[1]}"`) : (part[2] ?? part[3]));
    at = re.lastIndex;
  }
  return { keys, array: match[1] === "[[" };
}

function parseOrUndefined(text: string, path: string): Table | undefined {
  try {
    return text.trim() === "" ? {} : parseToml(text, path);
  } catch {
    return undefined;
  }
}

async function readConfigText(path: string): Promise<string> {
  return readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });
}

function serverList(raw: Table, profile: string | undefined): unknown[] {
  const holder = profile === undefined ? raw : isTable(raw.profiles) ? raw.profiles[profile] : undefined;
  if (!isTable(holder)) return [];
  return Array.isArray(holder.mcp_servers) ? holder.mcp_servers : [];
}

function dropEmptyList(raw: Table, profile: string | undefined): void {
  const holder = profile === undefined ? raw : isTable(raw.profiles) ? raw.profiles[profile] : undefined;
  if (isTable(holder)) delete holder.mcp_servers;
}

function inlineTable(values: Record<string, string>): string {
  return `{ ${Object.entries(values)
    .map(([key, value]) => `${tomlKey(key)} = ${tomlString(value)}`)
    .join(", ")} }`;
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
