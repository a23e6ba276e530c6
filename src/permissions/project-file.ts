/**
 * The project's own permission file, `.parecode/permissions.toml`: rules the team keeps
 * with the code, and where "always, this project" answers are appended. Appending keeps
 * the user's comments and layout (no TOML round trip).
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseToml } from "../config/load.js";
import { tomlString } from "../config/toml-text.js";
import type { RememberedRule } from "./policy.js";
import { readPermissionSettings } from "./settings.js";
import type { PermissionSettings } from "./types.js";

export const PROJECT_PERMISSIONS_FILE = path.join(".parecode", "permissions.toml");

export interface ProjectPermissions {
  file: string;
  /** As shown in messages: `.parecode/permissions.toml`. */
  shown: string;
  text: string;
  settings: PermissionSettings;
  warnings: string[];
}

/** The project's file, parsed; null when there is none. Invalid → ConfigError with file:line. */
export async function readProjectPermissions(root: string): Promise<ProjectPermissions | null> {
  const file = path.join(root, PROJECT_PERMISSIONS_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return null;
  }
  const shown = PROJECT_PERMISSIONS_FILE.split(path.sep).join("/");
  const table = parseToml(text, file, shown);
  const { settings, warnings } = readPermissionSettings(table, {
    file,
    shown,
    at: [],
    source: { kind: "project", file: shown },
  });
  return { file, shown, text, settings, warnings };
}

const HEADER = `# Permission rules for this project (parecode). Rules here may make parecode stricter;
# rules that allow more take effect only once you trust this folder.
# "Always, this project" answers are appended below.
`;

/** Appends one [[rules]] block per remembered rule; returns the file's new content. */
export async function appendProjectRules(root: string, rules: readonly RememberedRule[]): Promise<string> {
  const file = path.join(root, PROJECT_PERMISSIONS_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  let existing = "";
  try {
    existing = await readFile(file, "utf8");
  } catch {
    // A new file starts with the header.
  }
  const blocks = rules.map((rule) => {
    const lines = ["[[rules]]", `tool = ${tomlString(rule.tool)}`];
    if (rule.command !== undefined) lines.push(`command = ${tomlString(rule.command)}`);
    lines.push('action = "allow"');
    return lines.join("\n");
  });
  const lead = existing === "" ? HEADER : existing.endsWith("\n") ? "" : "\n";
  const addition = `${lead}\n${blocks.join("\n\n")}\n`;
  await appendFile(file, addition);
  return existing + addition;
}
