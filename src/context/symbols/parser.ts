/**
 * Grammars and queries for symbol outlines, on the shared lazy runtime in
 * core/tree-sitter-runtime. Nothing here runs at import time: each grammar loads on the
 * first file of its language, and the query per grammar is compiled once. One Parser is
 * shared; parsing is synchronous, so no await may sit between setLanguage and parse.
 */
import type { Tree, Language as TsLanguage, Parser as TsParser, Query as TsQuery } from "web-tree-sitter";
import { loadLanguage, loadTreeSitter } from "../../core/tree-sitter-runtime.js";
import { GRAMMAR_SPECS, type GrammarSpec } from "./queries.js";

export interface LoadedGrammar {
  parser: TsParser;
  language: TsLanguage;
  query: TsQuery;
  spec: GrammarSpec;
}

let sharedParser: TsParser | undefined;
const grammars = new Map<string, Promise<LoadedGrammar>>();

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
    const mod = await loadTreeSitter();
    const language = await loadLanguage(grammar);
    sharedParser ??= new mod.Parser();
    return { parser: sharedParser, query: new mod.Query(language, spec.query), spec, language };
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
