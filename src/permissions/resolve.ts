/**
 * Merges the user's permission settings, the project's file and the command line into
 * what the policy runs with. The user's config and flags are trusted; a project file
 * that is not trusted contributes only what makes parecode stricter.
 */
import type { PermissionMode } from "../core/approval.js";
import { type BashRule, MODE_STRICTNESS, type PermissionSettings, type ToolRule } from "./types.js";

export interface ResolvePermissionsInput {
  user: PermissionSettings;
  project?: { settings: PermissionSettings; shown: string } | null;
  /** The folder is trusted, or the file is exactly what parecode wrote on the user's answer. */
  projectTrusted: boolean;
  /** --permission-mode / --trust / --yes: the user, now, overrides every file. */
  cliMode?: PermissionMode;
}

export interface ResolvedPermissions {
  mode: PermissionMode;
  /** Where the mode came from, for -v and doctor. */
  modeSource: string;
  tools: ToolRule[];
  bash: BashRule[];
  readOnlyCommands?: string[];
  extraReadOnlyCommands: string[];
  /** What an untrusted project file asked for and did not get, one line each. */
  ignored: string[];
}

export const DEFAULT_MODE: PermissionMode = "ask";

export function resolvePermissions(input: ResolvePermissionsInput): ResolvedPermissions {
  const { user } = input;
  let mode = user.mode ?? DEFAULT_MODE;
  let modeSource = user.mode ? "config.toml [permissions]" : "default";
  const tools = [...user.tools];
  const bash = [...user.bash];
  const extra = [...user.extraReadOnlyCommands];
  const ignored: string[] = [];

  const project = input.project;
  if (project) {
    const p = project.settings;
    const trusted = input.projectTrusted;
    if (p.mode !== undefined && p.mode !== mode) {
      if (trusted || MODE_STRICTNESS[p.mode] > MODE_STRICTNESS[mode]) {
        mode = p.mode;
        modeSource = project.shown;
      } else {
        ignored.push(`mode = "${p.mode}" (looser than "${mode}")`);
      }
    }
    for (const rule of p.tools) {
      if (trusted || rule.action !== "allow") tools.push(rule);
      else ignored.push(`allow tool ${rule.pattern}`);
    }
    for (const rule of p.bash) {
      if (trusted || rule.action !== "allow") bash.push(rule);
      else ignored.push(`allow command "${rule.pattern}"`);
    }
    if (p.extraReadOnlyCommands.length > 0) {
      if (trusted) extra.push(...p.extraReadOnlyCommands);
      else ignored.push(`extra_read_only_commands (${p.extraReadOnlyCommands.join(", ")})`);
    }
    if (p.readOnlyCommands !== undefined)
      ignored.push("read_only_commands (only the user's config may replace the list)");
  }
  if (input.cliMode !== undefined) {
    mode = input.cliMode;
    modeSource = "command line";
  }
  const resolved: ResolvedPermissions = { mode, modeSource, tools, bash, extraReadOnlyCommands: extra, ignored };
  if (user.readOnlyCommands !== undefined) resolved.readOnlyCommands = user.readOnlyCommands;
  return resolved;
}
