import { readFile } from "node:fs/promises";
import path from "node:path";
import { fdir } from "fdir";
import picomatch from "picomatch";
import { createIgnoreRules } from "./ignore-rules.js";
import { createMatchSink, type SearchOutcome, type SearchQuery } from "./search-types.js";

/** Files larger than this are skipped by the fallback (ripgrep would stream them). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const CONCURRENCY = 32;

/**
 * The pure-JS search used when ripgrep is missing: the same files (same ignore rules,
 * hidden files included, .git and symlinks skipped, binary files skipped), the same
 * glob semantics (no slash: matches the file name; with a slash: the project-relative
 * path), the same ordering.
 */
export async function searchWithJs(query: SearchQuery): Promise<SearchOutcome> {
  const sink = createMatchSink(query.maxKept, query.maxLineChars);
  const files = query.startIsFile ? [query.startRel] : await listFiles(query);
  let next = 0;
  const worker = async () => {
    while (next < files.length && !query.signal.aborted) {
      const rel = files[next];
      next += 1;
      await searchFile(query, rel, sink.add);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return sink.done();
}

async function listFiles(query: SearchQuery): Promise<string[]> {
  const rules = createIgnoreRules(query.root).scopedTo(query.startRel);
  const root = path.resolve(query.root);
  const rel = (absolute: string) => path.relative(root, absolute).split(path.sep).join("/");
  const globMatch = query.glob ? compileGlob(query.glob) : undefined;
  const crawler = new fdir({ excludeSymlinks: true, suppressErrors: true })
    .withFullPaths()
    .withAbortSignal(query.signal)
    .exclude((_name, dirPath) => rules.isIgnored(rel(dirPath), true))
    .filter((file, isDir) => {
      if (isDir) return false;
      const r = rel(file);
      return !rules.isIgnored(r, false) && (!globMatch || globMatch(r));
    });
  const start = path.join(root, query.startRel);
  const absolute = await crawler.crawl(start).withPromise();
  return absolute.map(rel);
}

/** ripgrep's glob semantics: a leading `!` excludes; a glob without `/` matches the file name. */
export function compileGlob(glob: string): (rel: string) => boolean {
  const negate = glob.startsWith("!");
  const body = negate ? glob.slice(1) : glob;
  const matchBase = !body.includes("/");
  const pattern = body.startsWith("/") ? body.slice(1) : body;
  const isMatch = picomatch(pattern, { dot: true, basename: matchBase });
  return (rel) => isMatch(rel) !== negate;
}

async function searchFile(
  query: SearchQuery,
  rel: string,
  add: (path: string, line: number, text: string) => void,
): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(path.join(query.root, rel));
  } catch {
    return;
  }
  if (data.length > MAX_FILE_BYTES || data.includes(0)) return;
  const lines = data.toString("utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const { regex } = query;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    regex.lastIndex = 0;
    if (regex.test(text)) add(rel, i + 1, text);
  }
}
