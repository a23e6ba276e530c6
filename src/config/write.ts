/**
 * Writes config.toml. The file holds API keys, so it is always left with mode 0600 in a
 * 0700 directory, and written atomically (temp file + rename) so a crash never leaves
 * half a config. Edits are surgical: a new profile is appended as text, because a
 * parse/stringify round-trip would drop the user's comments and layout.
 */

import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, realpath, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { parseToml } from "./load.js";
import { tomlKey, tomlString } from "./toml-text.js";
import type { ProviderKind } from "./types.js";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Replace (or create) `path` with `text`, mode 0600, atomically. */
export async function writeConfigFile(path: string, text: string): Promise<void> {
  // Write through a symlink (dotfile managers use them) instead of replacing it.
  const target = await realpath(path).catch(() => path);
  await mkdir(dirname(target), { recursive: true, mode: DIR_MODE });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text, { mode: FILE_MODE, flag: "wx" });
    // The umask can only remove bits, but be explicit: the key must not be group-readable.
    await chmod(temp, FILE_MODE);
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** The fields of a new `[profiles.NAME]` block, in the order they are written. */
export interface ProfileFields {
  provider?: ProviderKind;
  endpoint: string;
  model: string;
  apiKey?: string;
  apiKeyEnv?: string;
  contextTokens?: number;
  plannerModel?: string;
  costPerMtokInput?: number;
  costPerMtokOutput?: number;
}

const FIELD_KEYS: ReadonlyArray<[keyof ProfileFields, string]> = [
  ["provider", "provider"],
  ["endpoint", "endpoint"],
  ["model", "model"],
  ["contextTokens", "context_tokens"],
  ["plannerModel", "planner_model"],
  ["apiKey", "api_key"],
  ["apiKeyEnv", "api_key_env"],
  ["costPerMtokInput", "cost_per_mtok_input"],
  ["costPerMtokOutput", "cost_per_mtok_output"],
];

/**
 * Append a `[profiles.NAME]` block to the config file (creating it if needed), keeping
 * everything already there byte for byte. Refuses (ConfigError) when the profile exists
 * or the current file does not parse, rather than making things worse.
 */
export async function appendProfile(path: string, name: string, fields: ProfileFields): Promise<void> {
  const existing = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });
  if (existing.trim() !== "") {
    // Appending to a file that does not parse would bury the mistake; report it instead.
    const profiles = parseToml(existing, path).profiles;
    if (typeof profiles === "object" && profiles !== null && Object.hasOwn(profiles, name)) {
      throw new ConfigError(
        `${path} already has [profiles.${tomlKey(name)}]. Edit it there, or choose another profile name.`,
        { file: path, key: `profiles.${name}` },
      );
    }
  }
  const block = profileBlock(name, fields);
  const separator = existing === "" ? "" : existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
  await writeConfigFile(path, `${existing}${separator}${block}`);
}

/** The TOML text of one profile block, ending with a newline. */
export function profileBlock(name: string, fields: ProfileFields): string {
  const lines = [`[profiles.${tomlKey(name)}]`];
  const present = FIELD_KEYS.filter(([field]) => fields[field] !== undefined);
  const width = Math.max(...present.map(([, key]) => key.length));
  for (const [field, key] of present) {
    lines.push(`${key.padEnd(width)} = ${tomlValue(fields[field] as string | number, key)}`);
  }
  return `${lines.join("\n")}\n`;
}

function tomlValue(value: string | number, key: string): string {
  if (typeof value === "string") return tomlString(value);
  if (!Number.isFinite(value)) throw new RangeError(`${key} must be a finite number (got ${value})`);
  return String(value);
}
