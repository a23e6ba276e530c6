/**
 * Works out what a mechanical edit changes, file by file, without writing anything: the
 * files under the given paths (the project's .gitignore respected; .git, .parecode and
 * node_modules never touched; binary, non-UTF-8 and very large files skipped), each
 * one's text before and after, and how many places changed.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fdir } from "fdir";
import { UsageError } from "../../core/errors.js";
import { createIgnoreRules } from "../../tools/ignore-rules.js";
import { resolveInProject } from "../../tools/path-safety.js";
import { compileGlob } from "../../tools/search-js.js";
import type { MechanicalEdit, Pattern } from "./grammar.js";

export interface FileEdit {
  /** Project-relative, `/`-separated. */
  path: string;
  before: string;
  after: string;
  /** Occurrences replaced or lines removed. */
  count: number;
}

const NEVER = new Set([".git", ".parecode", "node_modules", ".hg", ".svn"]);
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function planEdit(root: string, edit: MechanicalEdit): Promise<FileEdit[]> {
  const files = await selectFiles(root, edit.paths);
  const edits: FileEdit[] = [];
  for (const rel of files) {
    const before = await readText(path.join(root, rel));
    if (before === undefined) continue;
    const { after, count } = apply(edit, before);
    if (count > 0 && after !== before) edits.push({ path: rel, before, after, count });
  }
  return edits;
}

/** The edit applied to one file's text. */
export function apply(edit: MechanicalEdit, text: string): { after: string; count: number } {
  if (edit.action === "rename") {
    const word = new RegExp(`(?<![\\w$])${escapeRegex(edit.from)}(?![\\w$])`, "g");
    return replaceAll(text, word, () => edit.to);
  }
  if (edit.action === "replace") {
    if (edit.pattern.kind === "text")
      return replaceAll(text, new RegExp(escapeRegex(edit.pattern.text), "g"), () => edit.replacement);
    // A regex's replacement may use $1, $& and the like, as String.prototype.replace reads them.
    const regex = edit.pattern.regex;
    regex.lastIndex = 0;
    const count = (text.match(regex) ?? []).length;
    return { after: text.replace(regex, edit.replacement), count };
  }
  const lines = text.split("\n");
  const kept = lines.filter((line, i) => {
    // The empty string after a final newline is not a line.
    if (i === lines.length - 1 && line === "") return true;
    return !matches(edit.pattern, line.endsWith("\r") ? line.slice(0, -1) : line);
  });
  return { after: kept.join("\n"), count: lines.length - kept.length };
}

function replaceAll(text: string, regex: RegExp, to: () => string): { after: string; count: number } {
  let count = 0;
  const after = text.replace(regex, () => {
    count++;
    return to();
  });
  return { after, count };
}

function matches(pattern: Pattern, line: string): boolean {
  if (pattern.kind === "text") return line.includes(pattern.text);
  pattern.regex.lastIndex = 0;
  return pattern.regex.test(line);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** UTF-8 text files only: undefined for binary, invalid UTF-8, oversized or unreadable files. */
async function readText(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
    const bytes = await readFile(file);
    if (bytes.includes(0)) return undefined;
    const text = bytes.toString("utf8");
    return Buffer.byteLength(text) === bytes.length && !text.includes("\uFFFD") ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Project-relative files under `paths` (folders walked, globs matched), sorted. */
export async function selectFiles(root: string, paths: readonly string[]): Promise<string[]> {
  const scopes = paths.length === 0 ? ["."] : paths;
  const found = new Set<string>();
  const rules = createIgnoreRules(root);
  for (const scope of scopes) {
    if (/[*?[{]/.test(scope)) {
      const match = compileGlob(scope);
      for (const file of await walk(root, ".", rules)) if (match(file)) found.add(file);
      continue;
    }
    const resolved = resolveInProject(root, scope);
    if ("error" in resolved) throw new UsageError(`in ${scope}: ${resolved.error}`);
    const info = await stat(resolved.absolute).catch(() => undefined);
    if (!info) throw new UsageError(`in ${scope}: there is no such file or folder in the project.`);
    if (info.isFile()) found.add(resolved.relative);
    else for (const file of await walk(root, resolved.relative, rules)) found.add(file);
  }
  return [...found].sort();
}

async function walk(root: string, start: string, rules: ReturnType<typeof createIgnoreRules>): Promise<string[]> {
  const base = path.resolve(root);
  const rel = (absolute: string) => path.relative(base, absolute).split(path.sep).join("/");
  const scoped = rules.scopedTo(start === "." ? "" : start);
  const files = await new fdir({ excludeSymlinks: true, suppressErrors: true })
    .withFullPaths()
    .exclude((name, dirPath) => NEVER.has(name) || scoped.isIgnored(rel(path.join(dirPath)), true))
    .filter((file, isDir) => !isDir && !scoped.isIgnored(rel(file), false))
    .crawl(path.join(base, start))
    .withPromise();
  return files.map(rel);
}
