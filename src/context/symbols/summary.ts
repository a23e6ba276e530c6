/**
 * The project map as plan generation sees it: one line per file with its top-level
 * symbols, the most useful files chosen first, the whole capped to a token budget and
 * rendered deterministically (same tree, same text) so it can sit in a cached prefix.
 *
 *   Project map: 212 files, 1840 symbols (showing 40 files)
 *   src/shop/cart.ts: class Cart(add, remove, +3), fn checkout, iface CartItem
 *   … 172 more files (1203 symbols) not shown
 */
import type { FileSymbol, SymbolKind } from "./types.js";

export interface SummaryFile {
  path: string;
  symbols: FileSymbol[];
}

export interface SummaryOptions {
  /** Words (a task, a step) that raise files whose path or symbols mention them. */
  focus?: string;
}

/** ≈ characters per token for paths and identifiers (o200k splits them finer than prose). */
const CHARS_PER_TOKEN = 3.5;
const MAX_METHODS = 6;
const MAX_SYMBOLS_PER_FILE = 12;

const KIND_LABEL: Record<SymbolKind, string> = {
  function: "fn",
  class: "class",
  interface: "iface",
  type: "type",
  enum: "enum",
  struct: "struct",
  trait: "trait",
  method: "method",
  const: "const",
  module: "mod",
};

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function renderSummary(files: SummaryFile[], maxTokens: number, options: SummaryOptions = {}): string {
  const withSymbols = files.filter((f) => f.symbols.length > 0);
  const totalSymbols = withSymbols.reduce((n, f) => n + f.symbols.length, 0);
  const terms = focusTerms(options.focus);
  const ranked = withSymbols
    .map((file) => ({ file, score: scoreFile(file, terms), line: renderFileLine(file) }))
    .sort((a, b) => b.score - a.score || (a.file.path < b.file.path ? -1 : 1));

  // Header and footer are reserved up front so the result never exceeds the budget.
  const reserve = estimateTokens(
    `Project map: ${files.length} files, ${totalSymbols} symbols (showing ${files.length} files)\n`,
  );
  const footerReserve = estimateTokens(`… ${withSymbols.length} more files (${totalSymbols} symbols) not shown\n`);
  let budget = maxTokens - reserve - footerReserve;
  const chosen: typeof ranked = [];
  for (const entry of ranked) {
    const cost = estimateTokens(`${entry.line}\n`);
    if (cost > budget) continue;
    chosen.push(entry);
    budget -= cost;
  }
  chosen.sort((a, b) => (a.file.path < b.file.path ? -1 : 1));

  const shownSymbols = chosen.reduce((n, e) => n + e.file.symbols.length, 0);
  const lines = [`Project map: ${withSymbols.length} files, ${totalSymbols} symbols (showing ${chosen.length} files)`];
  for (const entry of chosen) lines.push(entry.line);
  const left = withSymbols.length - chosen.length;
  if (left > 0) lines.push(`… ${left} more files (${totalSymbols - shownSymbols} symbols) not shown`);
  const text = lines.join("\n");
  return estimateTokens(text) <= maxTokens
    ? text
    : lines[0].slice(0, Math.max(0, Math.floor(maxTokens * CHARS_PER_TOKEN)));
}

/** `path: class Cart(add, remove), fn checkout`: methods folded into their type, capped per file. */
export function renderFileLine(file: SummaryFile): string {
  const topLevel = file.symbols.filter((s) => !s.parent);
  const methodsByParent = new Map<string, string[]>();
  for (const s of file.symbols) {
    if (!s.parent) continue;
    const list = methodsByParent.get(s.parent) ?? [];
    list.push(s.name);
    methodsByParent.set(s.parent, list);
  }
  const parts: string[] = [];
  const attached = new Set<string>();
  for (const s of topLevel) {
    // Methods attach to the first same-named top-level symbol only (a Rust struct, not its later impl'd trait twin).
    const methods = attached.has(s.name) ? undefined : methodsByParent.get(s.name);
    if (methods) attached.add(s.name);
    parts.push(`${KIND_LABEL[s.kind]} ${s.name}${methods ? methodList(methods) : ""}`);
  }
  // Go receivers, Rust impls and C++ out-of-class definitions whose type lives in another file.
  for (const [parent, methods] of methodsByParent) {
    if (!attached.has(parent)) parts.push(`impl ${parent}${methodList(methods)}`);
  }
  const shown = parts.slice(0, MAX_SYMBOLS_PER_FILE);
  if (parts.length > shown.length) shown.push(`+${parts.length - shown.length} more`);
  return `${file.path}: ${shown.join(", ")}`;
}

function methodList(methods: string[]): string {
  const unique = [...new Set(methods)];
  const shown = unique.slice(0, MAX_METHODS);
  if (unique.length > shown.length) shown.push(`+${unique.length - shown.length}`);
  return `(${shown.join(", ")})`;
}

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|e2e|fixtures?|examples?)\/|[._-](test|spec)\.[^/]+$|_test\.go$/;

/**
 * Exported API first (what a plan builds against), then symbol count; tests and examples
 * rarely anchor a plan. Focus words outweigh everything: the task names what matters.
 */
function scoreFile(file: SummaryFile, terms: string[]): number {
  let score = 0;
  for (const s of file.symbols) {
    if (s.parent) score += 0.5;
    else score += s.exported ? 3 : 1;
  }
  if (TEST_PATH.test(file.path)) score *= 0.25;
  if (terms.length > 0) {
    const lowerPath = file.path.toLowerCase();
    for (const term of terms) {
      if (lowerPath.includes(term)) score += 50;
      if (file.symbols.some((s) => s.name.toLowerCase().includes(term))) score += 25;
    }
  }
  return score;
}

function focusTerms(focus: string | undefined): string[] {
  if (!focus) return [];
  const words = focus.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? [];
  return [...new Set(words)];
}
