import type { PermissionAction, PermissionMode } from "../core/approval.js";

/** Where a rule came from, so every decision can name it. */
export interface RuleSource {
  kind: "user" | "project" | "session" | "cli";
  /** The file it was read from, shown as written in messages (`~/.config/parecode/config.toml`). */
  file?: string;
}

/**
 * A rule on a tool name: exact (`write_file`), a server's tools (`github__*`), every MCP
 * tool (`mcp:*`) or everything (`*`).
 */
export interface ToolRule {
  pattern: string;
  action: PermissionAction;
  source: RuleSource;
}

/** A rule on bash commands by prefix in words (`npm test`, `git push`, `npm run *`). */
export interface BashRule {
  pattern: string;
  action: PermissionAction;
  source: RuleSource;
}

/** Permission settings as read from one file (user config or project file). */
export interface PermissionSettings {
  mode?: PermissionMode;
  tools: ToolRule[];
  bash: BashRule[];
  /** Replaces the built-in list of commands that run without asking. User config only. */
  readOnlyCommands?: string[];
  /** Added to the built-in list. */
  extraReadOnlyCommands: string[];
}

export function emptySettings(): PermissionSettings {
  return { tools: [], bash: [], extraReadOnlyCommands: [] };
}

/** What kind of action a tool performs, which decides the mode's default for it. */
export type ToolKind = "read" | "edit" | "command" | "mcp" | "other";

/** Strictness order of modes: a project file may move towards the strict end only. */
export const MODE_STRICTNESS: Record<PermissionMode, number> = {
  trust: 0,
  "accept-edits": 1,
  ask: 2,
  "read-only": 3,
};

export function describeSource(source: RuleSource): string {
  if (source.kind === "session") return "answered this session";
  if (source.kind === "cli") return "command line";
  return source.file ? `from ${source.file}` : source.kind;
}
