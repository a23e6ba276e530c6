/**
 * The keys config.toml understands, and the warning for one it does not: a typo such as
 * `max_iteration = 2` would otherwise be ignored without a word and the run would use the
 * default. Unknown keys stay warnings, not errors: a newer parecode may know them.
 */
import { tomlKey } from "./toml-text.js";

/** Top-level keys of config.toml (tables included). */
export const TOP_LEVEL_KEYS = [
  "default_profile",
  "profiles",
  "provider_max_retries",
  "provider_stall_timeout",
  "provider_call_timeout",
  "max_iterations",
  "bash_max_timeout",
  "sandbox",
  "sandbox_network",
  "env_allow",
  "checkpoints",
  "hooks",
  "hooks_disabled",
  "permissions",
  "mcp_servers",
  "mcp_lazy",
  "mcp_schema_share",
  "mcp_schema_max_tokens",
] as const;

/** Keys of one `[profiles.NAME]` table. */
export const PROFILE_KEYS = [
  "provider",
  "endpoint",
  "model",
  "api_key",
  "api_key_env",
  "context_tokens",
  "max_output_tokens",
  "planner_model",
  "cost_per_mtok_input",
  "cost_per_mtok_output",
  "auto_commit",
  "auto_commit_prefix",
  "quirks",
  "hooks",
  "hooks_disabled",
  "mcp_servers",
] as const;

/**
 * The known key a misspelt one most likely meant, or undefined when none is close:
 * within two edits (a third for long keys), ignoring case, dashes and camelCase.
 */
export function closestKey(word: string, known: readonly string[]): string | undefined {
  const wanted = normalise(word);
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(wanted, normalise(key));
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(2, Math.floor(wanted.length / 4));
  return best.distance <= allowed ? best.key : undefined;
}

/** "did you mean max_iterations?" or the list of known keys when none is close. */
export function suggestion(word: string, known: readonly string[]): string {
  const close = closestKey(word, known);
  return close === undefined ? `known: ${known.join(", ")}` : `did you mean ${close}?`;
}

export interface UnknownKey {
  /** Key path inside the file, e.g. ["profiles", "local", "context_token"]. */
  path: string[];
  /** The known key it most likely meant. */
  closest?: string;
  known: readonly string[];
}

/** Unknown top-level and profile keys of a parsed config table, in file order. */
export function unknownKeys(raw: Record<string, unknown>): UnknownKey[] {
  const found: UnknownKey[] = [];
  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      found.push({ path: [key], closest: closestKey(key, TOP_LEVEL_KEYS), known: TOP_LEVEL_KEYS });
    }
  }
  const profiles = raw.profiles;
  if (!isTable(profiles)) return found;
  for (const [name, table] of Object.entries(profiles)) {
    if (!isTable(table)) continue;
    for (const key of Object.keys(table)) {
      if (!(PROFILE_KEYS as readonly string[]).includes(key)) {
        found.push({ path: ["profiles", name, key], closest: closestKey(key, PROFILE_KEYS), known: PROFILE_KEYS });
      }
    }
  }
  return found;
}

/** `FILE:LINE: unknown key profiles.local.context_token ignored; did you mean context_tokens?` */
export function describeUnknownKey(entry: UnknownKey, where: string): string {
  const key = entry.path.map(tomlKey).join(".");
  const hint = entry.closest === undefined ? ` (known: ${entry.known.join(", ")})` : `; did you mean ${entry.closest}?`;
  return `${where}: unknown key ${key} ignored${hint}`;
}

function normalise(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/-/g, "_");
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const line = new Array<number>(cols).fill(0);
    line[0] = i;
    return line;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
