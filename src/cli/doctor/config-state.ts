import { readFile } from "node:fs/promises";
import { loadConfig, parseToml } from "../../config/load.js";
import { configPath } from "../../config/paths.js";
import { ConfigError } from "../../core/errors.js";
import type { ConfigState } from "./types.js";

/**
 * Loads the user's config once for every check. An invalid file is a result, not a
 * throw: doctor reports it and still checks what does not depend on it. The raw TOML is
 * kept even when validation fails, so [permissions] and hooks can still be checked.
 */
export async function loadConfigState(env: NodeJS.ProcessEnv): Promise<ConfigState> {
  const path = configPath(env);
  try {
    const config = await loadConfig(env);
    return { path, exists: config.exists, config, raw: config.raw };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { path, exists: true, error: err, raw: await rawToml(path) };
  }
}

async function rawToml(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return parseToml(await readFile(path, "utf8"), path);
  } catch {
    return undefined;
  }
}
