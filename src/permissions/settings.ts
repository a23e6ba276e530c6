/**
 * Reads permission settings from a parsed TOML table: the `[permissions]` table of the
 * user's config.toml, or the whole of a project's `.parecode/permissions.toml`. Both use
 * the same keys:
 *
 *   mode = "ask"                          # ask | accept-edits | read-only | trust
 *   read_only_commands = ["ls", …]        # replaces the built-in list (user config only)
 *   extra_read_only_commands = ["make -n"]
 *   [tools]                               # per tool: allow | ask | deny
 *   "github__*" = "ask"
 *   [bash]                                # command prefixes
 *   allow = ["npm test"]
 *   deny  = ["git push"]
 *   [[rules]]                             # what "always, this project" appends
 *   tool = "bash"
 *   command = "npm install"
 *   action = "allow"
 */
import { readFileSync } from "node:fs";
import { suggestion } from "../config/known-keys.js";
import { locateKeys } from "../config/toml-locate.js";
import { tomlKey } from "../config/toml-text.js";
import { isPermissionMode, PERMISSION_MODES, type PermissionAction } from "../core/approval.js";
import { ConfigError } from "../core/errors.js";
import { type BashRule, emptySettings, type PermissionSettings, type RuleSource, type ToolRule } from "./types.js";

type Table = Record<string, unknown>;

const ACTIONS: readonly PermissionAction[] = ["allow", "ask", "deny"];
const KNOWN_KEYS = new Set(["mode", "read_only_commands", "extra_read_only_commands", "tools", "bash", "rules"]);

export interface SettingsLocation {
  /** Absolute path of the file, to find line numbers for errors. */
  file: string;
  /** The file as shown in messages. */
  shown: string;
  /** Key path of the table inside the file: ["permissions"] in config.toml, [] in permissions.toml. */
  at: string[];
  source: RuleSource;
}

/** Validates and converts one table. Throws ConfigError naming file, line and key. */
export function readPermissionSettings(
  table: unknown,
  where: SettingsLocation,
): { settings: PermissionSettings; warnings: string[] } {
  const settings = emptySettings();
  const warnings: string[] = [];
  if (table === undefined) return { settings, warnings };
  const fail = (path: string[], problem: string): never => {
    throw locatedError(where, [...where.at, ...path], problem);
  };
  if (!isTable(table)) fail([], "must be a table");
  const t = table as Table;

  for (const key of Object.keys(t)) {
    if (!KNOWN_KEYS.has(key)) {
      warnings.push(
        `${where.shown}: unknown key ${[...where.at, key].map(tomlKey).join(".")} ignored; ${suggestion(key, [...KNOWN_KEYS])}`,
      );
    }
  }
  if (t.mode !== undefined) {
    if (!isPermissionMode(t.mode))
      fail(["mode"], `must be one of ${PERMISSION_MODES.join(", ")} (got ${show(t.mode)})`);
    settings.mode = t.mode as PermissionSettings["mode"];
  }
  const list = (key: string): string[] | undefined => {
    const value = t[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.trim() !== "")) {
      return fail([key], `must be a list of command strings, like ${key} = ["npm test"]`);
    }
    return value.map((v: string) => v.trim());
  };
  const readOnly = list("read_only_commands");
  if (readOnly) settings.readOnlyCommands = readOnly;
  settings.extraReadOnlyCommands = list("extra_read_only_commands") ?? [];

  if (t.tools !== undefined) {
    if (!isTable(t.tools)) fail(["tools"], 'must be a table like [permissions.tools] with write_file = "ask"');
    for (const [pattern, action] of Object.entries(t.tools as Table)) {
      if (!isAction(action)) fail(["tools", pattern], `must be "allow", "ask" or "deny" (got ${show(action)})`);
      settings.tools.push({ pattern, action: action as PermissionAction, source: where.source });
    }
  }
  if (t.bash !== undefined) {
    if (!isTable(t.bash)) fail(["bash"], "must be a table with allow = [...], ask = [...], deny = [...]");
    const bash = t.bash as Table;
    for (const key of Object.keys(bash)) {
      if (!isAction(key)) fail(["bash", key], 'is not allow, ask or deny; write allow = ["npm test"]');
      const value = bash[key];
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v.trim() !== "")) {
        fail(["bash", key], `must be a list of command prefixes, like ${key} = ["git push"]`);
      }
      for (const pattern of value as string[]) {
        settings.bash.push({ pattern: pattern.trim(), action: key as PermissionAction, source: where.source });
      }
    }
  }
  if (t.rules !== undefined) {
    if (!Array.isArray(t.rules)) fail(["rules"], "must be an array of tables: [[rules]]");
    (t.rules as unknown[]).forEach((rule, index) => {
      const parsed = readRule(rule, where.source);
      if ("error" in parsed) fail(["rules"], `entry ${index + 1} ${parsed.error}`);
      else if (parsed.kind === "bash") settings.bash.push(parsed.rule);
      else settings.tools.push(parsed.rule);
    });
  }
  return { settings, warnings };
}

type ParsedRule = { kind: "bash"; rule: BashRule } | { kind: "tool"; rule: ToolRule } | { error: string };

function readRule(rule: unknown, source: RuleSource): ParsedRule {
  if (!isTable(rule)) return { error: "must be a table with tool and action" };
  const { tool, command, action } = rule as Table;
  if (typeof tool !== "string" || tool === "") return { error: 'needs tool = "NAME"' };
  if (!isAction(action)) return { error: 'needs action = "allow", "ask" or "deny"' };
  if (command !== undefined) {
    if (tool !== "bash") return { error: "has command = ... but only bash rules take a command" };
    if (typeof command !== "string" || command.trim() === "") return { error: "has an empty command" };
    return { kind: "bash", rule: { pattern: command.trim(), action, source } };
  }
  return { kind: "tool", rule: { pattern: tool, action, source } };
}

function isAction(value: unknown): value is PermissionAction {
  return typeof value === "string" && (ACTIONS as readonly string[]).includes(value);
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? "a list" : String(value);
}

function locatedError(where: SettingsLocation, path: string[], problem: string): ConfigError {
  let line: number | undefined;
  try {
    line = locateKeys(readFileSync(where.file, "utf8")).lineOf(path);
  } catch {
    // The file vanished between parse and error: report without a line.
  }
  const key = path.map(tomlKey).join(".");
  const at = line === undefined ? where.shown : `${where.shown}:${line}`;
  return new ConfigError(`${at}: ${key} ${problem}.`, { file: where.file, line, key });
}
