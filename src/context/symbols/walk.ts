/**
 * Lists the project's symbol-bearing source files the way git would see them: .gitignore
 * (root, nested, .git/info/exclude) respected, dependency and build folders skipped
 * without being read, oversized files dropped.
 */
import { type Stats, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fdir } from "fdir";
import ignore, { type Ignore } from "ignore";
import { isSymbolSource } from "./extract.js";

export interface SourceFile {
  /** Root-relative, `/`-separated. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkOptions {
  maxFileBytes: number;
  signal?: AbortSignal;
  /** Called for each candidate as the crawl finds it (before nested .gitignores apply), so a caller can start work early. */
  onCandidate?: (file: string) => void;
}

/** Never worth indexing, gitignored or not; skipping them unread is most of the walk's speed. */
const SKIP_DIRS = new Set([
  "node_modules",
  "dist",
  "build",
  "vendor",
  "target",
  "out",
  "coverage",
  "__pycache__",
  "venv",
  "bower_components",
]);

/** Minified bundles parse slowly and name nothing a plan can use. */
const GENERATED = /\.min\.[cm]?js$|\.bundle\.js$/;

export async function listSourceFiles(root: string, options: WalkOptions): Promise<SourceFile[]> {
  const rootIgnore = ignore();
  for (const file of [".gitignore", ".git/info/exclude"]) {
    const text = await readFile(path.join(root, file), "utf8").catch(() => "");
    if (text) rootIgnore.add(text);
  }
  const nestedIgnoreFiles: string[] = [];
  let crawler = new fdir()
    .withRelativePaths()
    .withPathSeparator("/")
    .exclude((name, dirPath) => {
      // Dot-folders (.git, .venv, .next, .parecode) hold tooling state, not project source.
      if (name.startsWith(".") || SKIP_DIRS.has(name)) return true;
      const rel = toRel(root, dirPath);
      return rel !== "" && rootIgnore.ignores(`${rel}/`);
    })
    .filter((file) => {
      if (file.endsWith("/.gitignore")) {
        nestedIgnoreFiles.push(file);
        return false;
      }
      const keep = isSymbolSource(file) && !GENERATED.test(file) && !rootIgnore.ignores(file);
      if (keep) options.onCandidate?.(file);
      return keep;
    });
  if (options.signal) crawler = crawler.withAbortSignal(options.signal);
  const candidates = await crawler.crawl(root).withPromise();
  options.signal?.throwIfAborted();

  const nested = await loadNestedIgnores(root, nestedIgnoreFiles);
  const kept = candidates.filter((file) => !ignoredByNested(file, nested)).sort();
  // Synchronous stats: ~5 µs each from the page cache, against ~20 µs of promise and
  // thread-pool overhead for fs/promises (2,000 files: ~10 ms against ~35 ms).
  const sources: SourceFile[] = [];
  for (const file of kept) {
    const s = statQuietly(path.join(root, file));
    if (s?.isFile() && s.size <= options.maxFileBytes) sources.push({ path: file, size: s.size, mtimeMs: s.mtimeMs });
  }
  return sources;
}

/** undefined when the file was deleted (or became unreadable) between listing and stat. */
function statQuietly(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function toRel(root: string, dirPath: string): string {
  return path.relative(root, dirPath).split(path.sep).join("/");
}

/** Directory (root-relative, "" never present: the root file is handled above) → its .gitignore. */
async function loadNestedIgnores(root: string, files: string[]): Promise<Map<string, Ignore>> {
  const map = new Map<string, Ignore>();
  for (const file of files) {
    const dir = file.slice(0, -"/.gitignore".length);
    const text = await readFile(path.join(root, file), "utf8").catch(() => "");
    if (text) map.set(dir, ignore().add(text));
  }
  return map;
}

function ignoredByNested(file: string, nested: Map<string, Ignore>): boolean {
  if (nested.size === 0) return false;
  for (let i = file.indexOf("/"); i !== -1; i = file.indexOf("/", i + 1)) {
    const dir = file.slice(0, i);
    if (nested.get(dir)?.ignores(file.slice(i + 1))) return true;
  }
  return false;
}
