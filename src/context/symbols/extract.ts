/**
 * extractSymbols: tree-sitter where @vscode/tree-sitter-wasm ships a grammar, the regex
 * extractor otherwise or when the grammar fails to load (a broken install must cost
 * precision, never the feature).
 */
import { grammarFor, languageForPath } from "./languages.js";
import { loadGrammar } from "./parser.js";
import { extractWithRegex } from "./regex-fallback.js";
import { extractFromTree } from "./tree-extract.js";
import type { FileSymbol } from "./types.js";

export interface ExtractOptions {
  /** "regex" skips tree-sitter entirely (tests, and callers that must not load wasm). */
  engine?: "auto" | "regex";
}

/** Grammars whose wasm failed once; not retried, so a broken grammar costs one failure per process. */
const brokenGrammars = new Set<string>();

/** Symbols of one file, in source order. Unknown file types yield []. Never throws on bad source. */
export async function extractSymbols(
  filePath: string,
  source: string,
  options: ExtractOptions = {},
): Promise<FileSymbol[]> {
  const language = languageForPath(filePath);
  if (!language) return [];
  const grammarName = treeGrammarFor(filePath, options);
  if (grammarName) {
    let grammar: Awaited<ReturnType<typeof loadGrammar>> | undefined;
    try {
      grammar = await loadGrammar(grammarName);
    } catch {
      brokenGrammars.add(grammarName);
    }
    if (grammar) return extractFromTree(grammarName, grammar, source);
  }
  return extractWithRegex(language, source);
}

/** The tree-sitter grammar extractSymbols would use for `filePath`, or undefined for the regex path. */
export function treeGrammarFor(filePath: string, options: ExtractOptions = {}): string | undefined {
  if (options.engine === "regex") return undefined;
  const language = languageForPath(filePath);
  const grammarName = language && grammarFor(language);
  return grammarName && !brokenGrammars.has(grammarName) ? grammarName : undefined;
}

/**
 * Starts loading a grammar (its wasm compiles off the main thread) so that a caller that
 * knows what it will parse can overlap that with its own I/O. Never rejects: a grammar
 * that fails here fails again in extractSymbols, which falls back to regex.
 */
export function prepareGrammar(grammarName: string): Promise<void> {
  return loadGrammar(grammarName).then(
    () => undefined,
    () => undefined,
  );
}

/** True when `filePath` is a language extractSymbols understands; lets walkers skip reading other files. */
export function isSymbolSource(filePath: string): boolean {
  return languageForPath(filePath) !== undefined;
}
