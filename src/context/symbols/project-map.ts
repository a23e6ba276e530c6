/**
 * The project map: every supported source file's symbols, built incrementally. A file is
 * re-read and re-parsed only when its size or mtime changed since the last build (in
 * memory, or on disk under cacheDir across runs), so rebuilding after an edit costs one
 * walk plus one parse.
 */
import path from "node:path";
import { type ExtractOptions, prepareGrammar, treeGrammarFor } from "./extract.js";
import { type IndexedFile, indexFile } from "./file-entry.js";
import { type CachedFile, cachePath, loadCache, saveCache } from "./map-cache.js";
import { renderSummary, type SummaryOptions } from "./summary.js";
import type { FileSymbol } from "./types.js";
import { listSourceFiles, type SourceFile } from "./walk.js";

export interface ProjectMapOptions {
  root: string;
  /** Where the JSON cache lives (e.g. the XDG cache dir). Without it the map is cached in memory only. */
  cacheDir?: string;
  /** Files larger than this are not indexed. Default 1 MB. */
  maxFileBytes?: number;
  /**
   * "regex" (the default) never loads tree-sitter; "auto" uses tree-sitter grammars where
   * the package ships them. The whole-project map defaults to regex because it has to
   * index thousands of files at once: on real code, tree-sitter costs 0.6-1.5 ms a file
   * on a 2-core machine (2,000 files: 1.5-3 s) against ~0.1 ms for the regex extractor,
   * which finds ~96% of the same top-level symbols. Single-file outlines (read_file
   * symbols) use tree-sitter, where one parse is cheap and precision shows.
   */
  engine?: "auto" | "regex";
}

export interface ProjectFile {
  /** Root-relative, `/`-separated. */
  path: string;
  lines: number;
  symbols: FileSymbol[];
}

export interface BuildStats {
  files: number;
  /** Files read and parsed by this build; the rest came from the cache. */
  parsed: number;
  reused: number;
  ms: number;
}

export interface ProjectMap {
  root: string;
  /** Sorted by path. */
  files: ProjectFile[];
  stats: BuildStats;
}

export interface SymbolLocation {
  file: string;
  line: number;
  kind: string;
  parent?: string;
}

export interface ProjectMapHandle {
  /** Walks and re-parses what changed. Concurrent calls run one after another. */
  build(signal?: AbortSignal): Promise<ProjectMap>;
  /**
   * Where a symbol is declared: exact name first, then case-insensitive. `Cart.add` and
   * `Cart::add` match a method by its parent. Uses the last build (building once if none).
   */
  lookup(symbolName: string): Promise<SymbolLocation[]>;
  /** A budget-capped text map for plan generation; see summary.ts. Uses the last build. */
  summary(maxTokensApprox: number, options?: SummaryOptions): Promise<string>;
  /**
   * Resolves once the on-disk cache of every finished build is written. build() returns
   * without waiting for that write; call this before exiting the process.
   */
  flush(): Promise<void>;
  /** Files parsed since this handle was created; lets tests and telemetry see cache hits. */
  readonly parseCount: number;
}

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Indexing is synchronous (reads and wasm parses); it yields to the event loop this often. */
const SLICE_MS = 10;

export function createProjectMap(options: ProjectMapOptions): ProjectMapHandle {
  const root = path.resolve(options.root);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const engine = options.engine ?? "regex";
  const diskFile = options.cacheDir ? cachePath(options.cacheDir, root, engine) : undefined;
  let entries: Map<string, CachedFile> | undefined;
  let last: ProjectMap | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let parseCount = 0;
  let saving: Promise<void> = Promise.resolve();

  async function runBuild(signal?: AbortSignal): Promise<ProjectMap> {
    const started = performance.now();
    signal?.throwIfAborted();
    const known = entries ?? (diskFile ? await loadCache(diskFile, root) : new Map<string, CachedFile>());
    const extractOptions: ExtractOptions = { engine };
    // Files the cache has never seen will be parsed whatever their mtime: start compiling
    // their grammars now, off the main thread, while the walk and stats run.
    const preparing = new Set<string>();
    const onCandidate = (file: string) => {
      if (known.has(file)) return;
      const grammar = treeGrammarFor(file, extractOptions);
      if (grammar === undefined || preparing.has(grammar)) return;
      preparing.add(grammar);
      void prepareGrammar(grammar);
    };
    const sources = await listSourceFiles(root, { maxFileBytes, signal, onCandidate });
    const next = new Map<string, CachedFile>();
    const stale: SourceFile[] = [];
    for (const source of sources) {
      const cached = known.get(source.path);
      if (cached && cached.size === source.size && cached.mtimeMs === source.mtimeMs) next.set(source.path, cached);
      else stale.push(source);
    }
    const indexed = await indexAll(root, stale, extractOptions, signal);
    let parsed = 0;
    stale.forEach((source, i) => {
      const result = indexed[i];
      if (!result) return; // vanished since the walk
      next.set(source.path, { size: source.size, mtimeMs: source.mtimeMs, ...result });
      parsed++;
    });
    parseCount += parsed;
    const changed = parsed > 0 || next.size !== known.size;
    entries = next;
    // Not awaited: the result does not depend on the write (flush() waits for it).
    if (diskFile && changed) saving = saveCache(diskFile, root, next);
    const files = [...next.entries()]
      .map(([file, entry]) => ({ path: file, lines: entry.lines, symbols: entry.symbols }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    last = {
      root,
      files,
      stats: { files: files.length, parsed, reused: files.length - parsed, ms: performance.now() - started },
    };
    return last;
  }

  function build(signal?: AbortSignal): Promise<ProjectMap> {
    const run = queue.then(() => runBuild(signal));
    queue = run.catch(() => undefined);
    return run;
  }

  async function current(): Promise<ProjectMap> {
    return last ?? (await build());
  }

  return {
    build,
    async lookup(symbolName) {
      return findSymbol(await current(), symbolName);
    },
    async summary(maxTokensApprox, summaryOptions) {
      return renderSummary((await current()).files, maxTokensApprox, summaryOptions);
    },
    async flush() {
      await queue;
      await saving;
    },
    get parseCount() {
      return parseCount;
    },
  };
}

export function findSymbol(map: ProjectMap, symbolName: string): SymbolLocation[] {
  const query = symbolName.trim();
  const qualified = /^(.+?)(?:\.|::)([^.:]+)$/.exec(query);
  const search = (same: (a: string, b: string) => boolean): SymbolLocation[] => {
    const found: SymbolLocation[] = [];
    for (const file of map.files) {
      for (const s of file.symbols) {
        const hit = qualified
          ? s.parent !== undefined && same(s.parent, qualified[1]) && same(s.name, qualified[2])
          : same(s.name, query);
        if (!hit) continue;
        const location: SymbolLocation = { file: file.path, line: s.line, kind: s.kind };
        if (s.parent) location.parent = s.parent;
        found.push(location);
      }
    }
    return found;
  };
  const exact = search((a, b) => a === b);
  if (exact.length > 0) return exact;
  return search((a, b) => a.toLowerCase() === b.toLowerCase());
}

/**
 * Reads and indexes `stale`, results in input order. Files are grouped by grammar and each
 * group starts once its grammar is ready, so regex-indexed files and already-compiled
 * grammars proceed while the rest still compile. Parsing stays on the main thread: worker
 * threads measured slower on two cores (each pays ~550 ms to start and compile grammars).
 */
async function indexAll(
  root: string,
  stale: SourceFile[],
  extractOptions: ExtractOptions,
  signal?: AbortSignal,
): Promise<Array<IndexedFile | undefined>> {
  const results = new Array<IndexedFile | undefined>(stale.length);
  const groups = new Map<string | undefined, number[]>();
  stale.forEach((source, i) => {
    const grammar = treeGrammarFor(source.path, extractOptions);
    const group = groups.get(grammar);
    if (group) group.push(i);
    else groups.set(grammar, [i]);
  });
  let sliceStart = performance.now();
  const pace = async () => {
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    signal?.throwIfAborted();
  };
  await Promise.all(
    [...groups].map(async ([grammar, indices]) => {
      if (grammar !== undefined) await prepareGrammar(grammar);
      for (const i of indices) {
        await pace();
        results[i] = await indexFile(root, stale[i].path, extractOptions.engine);
      }
    }),
  );
  return results;
}
