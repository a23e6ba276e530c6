import { createReadCache, type ReadCache } from "../context/read-cache.js";
import type { Tool } from "../core/types.js";
import type { SandboxRun } from "../exec/sandbox.js";
import { createBashTool } from "./bash.js";
import { createEditFileTool } from "./edit-file.js";
import { createListFilesTool } from "./list-files.js";
import { createOutputStore, type OutputStore } from "./output-store.js";
import { createPatchFileTool } from "./patch-file.js";
import { createReadFileTool, type OutlineSymbols, type SymbolLocator, type SymbolOutline } from "./read-file.js";
import { createRecallTool } from "./recall.js";
import { createToolRegistry, type ToolRegistry } from "./registry.js";
import { createSearchTool } from "./search.js";
import { createWriteFileTool } from "./write-file.js";

/**
 * read_file's outline through the tree-sitter symbol index, loaded on first use so the
 * grammars cost nothing until a model asks for an outline.
 */
const treeSitterOutline: SymbolOutline = async (absPath, source) => {
  const { extractSymbols, formatOutline, isSymbolSource } = await import("../context/symbols/index.js");
  if (!isSymbolSource(absPath)) return null;
  const symbols = await extractSymbols(absPath, source);
  if (symbols.length === 0) return null;
  const body = formatOutline(absPath, symbols, source.split("\n").length);
  // read_file prints its own header; drop the index's first line (path and counts).
  return body.slice(body.indexOf("\n") + 1);
};

/**
 * The outline a default read of a long file starts with: the regex extractor, which
 * needs no grammar and takes about a millisecond for a 1,500-line file.
 */
const regexOutline: OutlineSymbols = async (absPath, source) => {
  const { extractSymbols, isSymbolSource } = await import("../context/symbols/index.js");
  if (!isSymbolSource(absPath)) return null;
  const symbols = await extractSymbols(absPath, source, { engine: "regex" });
  return symbols.map((s) => ({ name: s.name, kind: s.kind, line: s.line, parent: s.parent }));
};

/**
 * Resolves a symbol name to its definition through the project map, built on the first
 * miss and reused (rebuilds re-parse only files whose mtime changed).
 */
function createSymbolLocator(root: string): SymbolLocator {
  let map: Promise<{ lookup(name: string): Promise<Array<{ file: string; line: number; kind: string }>> }> | undefined;
  return async (name) => {
    map ??= import("../context/symbols/index.js").then(({ createProjectMap }) => createProjectMap({ root }));
    const projectMap = await map;
    return projectMap.lookup(name);
  };
}

export interface NativeToolsOptions {
  /** Project root: every path argument is resolved inside it. */
  root: string;
  /** Shared with the agent so it can forget reads the budget dropped from the context. */
  cache?: ReadCache;
  outputs?: OutputStore;
  /** Outline provider for read_file `symbols: true`; defaults to the tree-sitter index (regex fallback inside). */
  symbols?: SymbolOutline;
  /** Upper bound on bash's `timeout` argument, in seconds. */
  bashMaxTimeoutSeconds?: number;
  /** Base environment for commands (default process.env); secrets are removed before any command sees it. */
  env?: NodeJS.ProcessEnv;
  /** Secret-looking variables commands may still see (config `env_allow`), exact names. */
  envAllow?: readonly string[];
  /** The OS sandbox for bash (exec's sandboxFor); none when omitted. */
  sandbox?: SandboxRun;
  /** More tools registered after the native ones (MCP servers' tools). */
  extraTools?: readonly Tool[];
}

export type { ToolRegistry };

/** The eight native tools, in the order their schemas are sent. */
export function createNativeTools(options: NativeToolsOptions & { cache: ReadCache; outputs: OutputStore }): Tool[] {
  const { root, cache, outputs } = options;
  return [
    createReadFileTool({
      root,
      cache,
      symbols: options.symbols ?? treeSitterOutline,
      outlineSymbols: regexOutline,
      locateSymbol: createSymbolLocator(root),
    }),
    createEditFileTool({ root, cache }),
    createWriteFileTool({ root, cache }),
    createPatchFileTool({ root, cache }),
    createSearchTool({ root }),
    createListFilesTool({ root }),
    createBashTool({
      root,
      maxTimeoutSeconds: options.bashMaxTimeoutSeconds,
      env: options.env,
      envAllow: options.envAllow,
      sandbox: options.sandbox,
    }),
    createRecallTool({ outputs }),
  ];
}

export function createNativeToolRegistry(options: NativeToolsOptions): ToolRegistry & {
  cache: ReadCache;
  outputs: OutputStore;
} {
  const cache = options.cache ?? createReadCache();
  const outputs = options.outputs ?? createOutputStore();
  const registry = createToolRegistry(
    [...createNativeTools({ ...options, cache, outputs }), ...(options.extraTools ?? [])],
    {
      outputs,
    },
  );
  return Object.assign(registry, { cache, outputs });
}
