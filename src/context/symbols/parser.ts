/**
 * Lazy, cached tree-sitter runtime. Nothing here runs at import time: the core wasm is
 * initialised on the first parse, each grammar on the first file of its language, and
 * the query per grammar is compiled once. One Parser is shared; parsing is synchronous,
 * so no await may sit between setLanguage and parse.
 */
import { createRequire } from "node:module";
import type { Tree, Language as TsLanguage, Parser as TsParser, Query as TsQuery } from "web-tree-sitter";
import { GRAMMAR_SPECS, type GrammarSpec } from "./queries.js";

export interface LoadedGrammar {
  parser: TsParser;
  language: TsLanguage;
  query: TsQuery;
  spec: GrammarSpec;
}

type WebTreeSitter = typeof import("web-tree-sitter");

const require = createRequire(import.meta.url);

let runtime: Promise<{ mod: WebTreeSitter; parser: TsParser }> | undefined;
const grammars = new Map<string, Promise<LoadedGrammar>>();

function loadRuntime(): Promise<{ mod: WebTreeSitter; parser: TsParser }> {
  runtime ??= (async () => {
    const mod = await import("web-tree-sitter");
    // web-tree-sitter finds its wasm via import.meta.url by default, which breaks once
    // esbuild bundles it into dist/; resolving through the package works in both layouts.
    const coreWasm = require.resolve("web-tree-sitter/web-tree-sitter.wasm");
    await mod.Parser.init({ locateFile: () => coreWasm });
    return { mod, parser: new mod.Parser() };
  })();
  // A failed init must not poison later attempts (e.g. a transient read error).
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

/**
 * The parser + compiled query for a grammar. Rejects when the grammar has no spec or its
 * wasm does not load; callers fall back to regex extraction.
 */
export function loadGrammar(grammar: string): Promise<LoadedGrammar> {
  let loaded = grammars.get(grammar);
  if (loaded) return loaded;
  loaded = (async () => {
    const spec = GRAMMAR_SPECS[grammar];
    if (!spec) throw new Error(`no symbol query for grammar ${grammar}`);
    const { mod, parser } = await loadRuntime();
    const wasm = require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-${grammar}.wasm`);
    const language: TsLanguage = await mod.Language.load(wasm);
    return { parser, query: new mod.Query(language, spec.query), spec, language };
  })();
  grammars.set(grammar, loaded);
  return loaded;
}

/** Parses `source` with a loaded grammar; the caller must `delete()` the tree (it lives in wasm memory). */
export function parseWith(grammar: LoadedGrammar, source: string): Tree | null {
  // Files come grouped by grammar; resetting the language per file would be wasted work.
  if (grammar.parser.language !== grammar.language) grammar.parser.setLanguage(grammar.language);
  return grammar.parser.parse(source);
}
