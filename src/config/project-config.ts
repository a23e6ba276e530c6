/**
 * A project's own `.parecode/config.toml`, layered over the user's config.toml for runs
 * in that folder. The file travels with the code, so anyone who can commit may have
 * written it: what only shapes the run (the model, its window, turn and retry limits)
 * always applies; what could run commands, widen what commands may do, or send the
 * user's key elsewhere (hooks, MCP servers, permissions, env_allow, a looser sandbox, an
 * endpoint or key, a whole new profile) applies only once the user trusts the folder.
 *
 * `[hooks]` is not merged here: hooks-setup reads the project's hooks itself, under the
 * same trust rule.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

type Table = Record<string, unknown>;

export const PROJECT_CONFIG = path.join(".parecode", "config.toml");

/** Applied from any project. */
const SAFE_TOP_LEVEL = new Set([
  "default_profile",
  "max_iterations",
  "provider_max_retries",
  "provider_stall_timeout",
  "provider_call_timeout",
  "bash_max_timeout",
  "checkpoints",
  "mcp_lazy",
  "mcp_schema_share",
  "mcp_schema_max_tokens",
]);

/** Settings of an existing profile a project may change. */
const SAFE_PROFILE = new Set([
  "model",
  "context_tokens",
  "max_output_tokens",
  "planner_model",
  "cost_per_mtok_input",
  "cost_per_mtok_output",
  "auto_commit_prefix",
  "quirks",
]);

/** Read by other modules from the project file directly. */
const HANDLED_ELSEWHERE = new Set(["hooks"]);

export interface ProjectConfigFile {
  file: string;
  /** As shown in messages: `.parecode/config.toml`. */
  shown: string;
  text: string;
}

/** The file's text, or null when the project has none. */
export async function readProjectConfigFile(root: string): Promise<ProjectConfigFile | null> {
  const file = path.join(root, PROJECT_CONFIG);
  try {
    return { file, shown: PROJECT_CONFIG.split(path.sep).join("/"), text: await readFile(file, "utf8") };
  } catch {
    return null;
  }
}

export interface ProjectLayer {
  /** What applies: the project's table with untrusted parts removed. */
  overlay: Table;
  /** Dotted keys left out because the folder is not trusted. */
  ignored: string[];
}

/**
 * Splits a project's table into what applies and what waits for trust. `user` is the
 * user's parsed config: a project may adjust the user's profiles, not invent new ones.
 */
export function projectLayer(project: Table, user: Table, trusted: boolean): ProjectLayer {
  const overlay: Table = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(project)) {
    if (HANDLED_ELSEWHERE.has(key)) continue;
    if (key === "profiles" && isTable(value)) {
      const profiles: Table = {};
      const userProfiles = isTable(user.profiles) ? user.profiles : {};
      for (const [name, table] of Object.entries(value)) {
        if (trusted) {
          profiles[name] = table;
          continue;
        }
        if (!isTable(table) || !isTable(userProfiles[name])) {
          ignored.push(`[profiles.${name}] (a new profile)`);
          continue;
        }
        const kept: Table = {};
        for (const [setting, v] of Object.entries(table)) {
          if (SAFE_PROFILE.has(setting)) kept[setting] = v;
          else ignored.push(`profiles.${name}.${setting}`);
        }
        if (Object.keys(kept).length > 0) profiles[name] = kept;
      }
      if (Object.keys(profiles).length > 0) overlay.profiles = profiles;
      continue;
    }
    if (trusted || SAFE_TOP_LEVEL.has(key) || tightens(key, value)) overlay[key] = value;
    else ignored.push(key);
  }
  return { overlay, ignored };
}

/** A sandbox setting that only makes commands more contained is fine from anyone. */
function tightens(key: string, value: unknown): boolean {
  return (key === "sandbox" && value === "auto") || (key === "sandbox_network" && value === false);
}

/** `user` with `overlay` laid over it: profile tables merge key by key, everything else is replaced. */
export function mergeConfigTables(user: Table, overlay: Table): Table {
  const merged: Table = { ...user, ...overlay };
  if (isTable(overlay.profiles)) {
    const profiles: Table = { ...(isTable(user.profiles) ? user.profiles : {}) };
    for (const [name, table] of Object.entries(overlay.profiles)) {
      const base = profiles[name];
      profiles[name] = isTable(base) && isTable(table) ? { ...base, ...table } : table;
    }
    merged.profiles = profiles;
  }
  return merged;
}

/** True when `keyPath` was set by the overlay (so errors point into the project file). */
export function setByOverlay(overlay: Table, keyPath: readonly string[]): boolean {
  let node: unknown = overlay;
  for (const key of keyPath) {
    if (!isTable(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
