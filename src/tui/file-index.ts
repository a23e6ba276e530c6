/**
 * The project's files for the @ picker: every file under the root that .gitignore does not
 * exclude (the same rules list_files and the search fallback use), found breadth-first
 * so a huge tree still yields its top levels first, capped so the picker stays instant.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createIgnoreRules } from "../tools/ignore-rules.js";

export const MAX_INDEXED_FILES = 20_000;

export async function listProjectFiles(root: string, limit = MAX_INDEXED_FILES): Promise<string[]> {
  const rules = createIgnoreRules(root);
  const files: string[] = [];
  let level = [""];
  while (level.length > 0 && files.length < limit) {
    const next: string[] = [];
    for (const dir of level) {
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(path.join(root, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!rules.isIgnored(rel, true)) next.push(rel);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && !rules.isIgnored(rel, false)) {
          files.push(rel);
          if (files.length >= limit) break;
        }
      }
      if (files.length >= limit) break;
    }
    level = next;
  }
  return files;
}
