/**
 * A step's files as the planner named them — paths, or symbol names it saw in the
 * project map ("validateToken", "Cart.add") — turned into project-relative paths. The
 * model names what it needs; the index says where it lives. A path that does not exist
 * yet is kept (the step may create it); a name the index does not know is reported.
 */
import { stat } from "node:fs/promises";
import type { SymbolLocation } from "../context/symbols/index.js";
import { resolveInProject } from "../tools/path-safety.js";

export type SymbolLookup = (name: string) => Promise<SymbolLocation[]>;

/** Files one symbol name may bring in (a name defined in many places is ambiguous past this). */
const MAX_FILES_PER_SYMBOL = 2;

export async function resolveStepFiles(
  root: string,
  names: readonly string[],
  lookup: SymbolLookup,
): Promise<{ files: string[]; unresolved: string[] }> {
  const files: string[] = [];
  const unresolved: string[] = [];
  const add = (file: string) => {
    if (!files.includes(file)) files.push(file);
  };
  for (const raw of names) {
    // "src/a.ts:12", "src/a.ts (new)" and "`a.ts`" all name src/a.ts.
    const name = raw
      .trim()
      .replace(/^[`'"]|[`'"]$/g, "")
      .replace(/\s*\((new|new file|create)\)$/i, "")
      .replace(/:\d+(-\d+)?$/, "")
      .trim();
    if (name === "") continue;
    const resolved = resolveInProject(root, name);
    const info = "error" in resolved ? null : await stat(resolved.absolute).catch(() => null);
    if (!("error" in resolved) && info?.isFile()) {
      add(resolved.relative);
      continue;
    }
    if (/^[A-Za-z_$][\w$]*([.:]{1,2}[A-Za-z_$][\w$]*)?$/.test(name)) {
      const found = await lookup(name).catch(() => []);
      const places = [...new Set(found.map((f) => f.file))];
      if (places.length > 0) {
        for (const file of places.slice(0, MAX_FILES_PER_SYMBOL)) add(file);
        continue;
      }
    }
    // A path the step will create: it has a folder or an extension, sits inside the project, and is not a folder.
    if (!("error" in resolved) && !info && /[/.]/.test(name)) {
      add(resolved.relative);
      continue;
    }
    unresolved.push(raw);
  }
  return { files, unresolved };
}
