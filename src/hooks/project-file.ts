/**
 * Hooks a project defines for itself in `.parecode/config.toml`:
 *
 *   [hooks]
 *   on_edit = ["npm run typecheck"]
 *
 * They are commands from a file anyone could have committed, so the runtime runs them
 * only in a folder the user trusted; this module only reads them.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseToml } from "../config/load.js";
import { ConfigError } from "../core/errors.js";
import { type HookProblem, hasCommands, type ParsedHooks, parseHooksTable } from "./config.js";

export const PROJECT_CONFIG_FILE = path.join(".parecode", "config.toml");

export interface ProjectHooks extends ParsedHooks {
  /** As shown in messages: `.parecode/config.toml`. */
  shown: string;
}

/** Null when the project has no such file or its file defines no hook command. */
export async function readProjectHooks(root: string): Promise<ProjectHooks | null> {
  const file = path.join(root, PROJECT_CONFIG_FILE);
  const shown = PROJECT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return null;
  }
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text, file, shown);
  } catch (err) {
    const problem: HookProblem = {
      at: "hooks",
      problem: err instanceof ConfigError ? err.message.split("\n")[0] : `${shown} cannot be read`,
      fix: `Fix ${shown}; its hooks are ignored until it parses.`,
      severity: "fail",
    };
    return { shown, hooks: parseHooksTable(undefined, "hooks", "").hooks, problems: [problem] };
  }
  const parsed = parseHooksTable(raw.hooks, "hooks", `under [hooks] in ${shown}`);
  if (!hasCommands(parsed.hooks) && parsed.problems.length === 0) return null;
  return { ...parsed, shown };
}
