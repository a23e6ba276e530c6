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
  const grammarName = grammarFor(language);
  if (options.engine !== "regex" && grammarName && !brokenGrammars.has(grammarName)) {
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

/** True when `filePath` is a language extractSymbols understands; lets walkers skip reading other files. */
export function isSymbolSource(filePath: string): boolean {
  return languageForPath(filePath) !== undefined;
}
