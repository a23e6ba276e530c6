/**
 * Turns tree-sitter query matches into FileSymbols: one declaration per node, top-level
 * symbols plus the methods of top-level types, nothing deeper (see queries.ts).
 */
import type { Node } from "web-tree-sitter";
import { type LoadedGrammar, parseWith } from "./parser.js";
import type { FileSymbol, SymbolKind } from "./types.js";

interface Candidate {
  node: Node;
  kind: SymbolKind;
  name: string;
  parent?: string;
}

const SYMBOL_KINDS = new Set<string>([
  "function",
  "class",
  "interface",
  "type",
  "enum",
  "struct",
  "trait",
  "method",
  "const",
  "module",
]);

/**
 * No listed declaration starts deeper than this (C++ method in a class in two nested
 * namespaces is ~7); bounding it spares the query a walk through every function body.
 */
const MAX_START_DEPTH = 10;

/** Kinds that can own methods. */
const CONTAINER_KINDS = new Set<SymbolKind>(["class", "interface", "struct", "trait", "enum", "module"]);

export function extractFromTree(grammarName: string, grammar: LoadedGrammar, source: string): FileSymbol[] {
  const tree = parseWith(grammar, source);
  if (!tree) return [];
  try {
    const candidates = collectCandidates(grammar, tree.rootNode);
    const nesting = new Set(grammar.spec.nesting);
    const symbols: FileSymbol[] = [];
    for (const candidate of candidates.values()) {
      const symbol = placeCandidate(candidate, candidates, nesting);
      if (!symbol) continue;
      const exported = isExported(grammarName, candidate.node, symbol);
      if (exported !== undefined) symbol.exported = exported;
      symbols.push(symbol);
    }
    return dedupe(symbols);
  } finally {
    tree.delete();
  }
}

/** One candidate per declaration node; the earliest matching pattern wins (queries.ts orders them). */
function collectCandidates(grammar: LoadedGrammar, root: Node): Map<number, Candidate> {
  const byNode = new Map<number, Candidate & { pattern: number }>();
  for (const match of grammar.query.matches(root, { maxStartDepth: MAX_START_DEPTH })) {
    let def: Node | undefined;
    let kind: SymbolKind | undefined;
    let name: string | undefined;
    let parent: string | undefined;
    for (const capture of match.captures) {
      if (capture.name === "name") name = capture.node.text;
      else if (capture.name === "parent") parent = capture.node.text;
      else if (capture.name.startsWith("def.")) {
        const k = capture.name.slice(4);
        if (SYMBOL_KINDS.has(k)) {
          def = capture.node;
          kind = k as SymbolKind;
        }
      }
    }
    if (!def || !kind || !name) continue;
    const previous = byNode.get(def.id);
    if (previous && previous.pattern <= match.patternIndex) continue;
    byNode.set(def.id, { node: def, kind, name, parent, pattern: match.patternIndex });
  }
  return byNode;
}

/** Decides whether a candidate is listed, and as what: top-level symbol, method of a top-level type, or not at all. */
function placeCandidate(
  candidate: Candidate,
  candidates: Map<number, Candidate>,
  nesting: ReadonlySet<string>,
): FileSymbol | undefined {
  const scopes: Node[] = [];
  for (let n = candidate.node.parent; n && scopes.length < 2; n = n.parent) {
    if (nesting.has(n.type)) scopes.push(n);
  }
  let { kind, name, parent } = candidate;
  const isFunction = kind === "function" || kind === "method";
  if (isFunction && name.includes("::")) {
    // C++ out-of-class definition `void Foo::bar()`: a method of Foo.
    const parts = name.split("::");
    name = parts[parts.length - 1];
    parent ??= parts[parts.length - 2] || undefined;
  }
  if (scopes.length === 1) {
    if (!isFunction) return undefined;
    const owner = candidates.get(scopes[0].id);
    if (owner && !CONTAINER_KINDS.has(owner.kind)) return undefined;
    parent ??= owner?.name;
    if (!parent) return undefined;
  } else if (scopes.length > 1) {
    return undefined;
  }
  if (isFunction) kind = parent ? "method" : "function";
  const line = candidate.node.startPosition.row + 1;
  const endLine = candidate.node.endPosition.row + 1;
  const symbol: FileSymbol = { name, kind, line };
  if (endLine > line) symbol.endLine = endLine;
  if (parent) symbol.parent = parent;
  return symbol;
}

/** Each language's own notion of "visible outside this file"; undefined where it has none worth stating. */
function isExported(grammar: string, node: Node, symbol: FileSymbol): boolean | undefined {
  switch (grammar) {
    case "typescript":
    case "tsx":
    case "javascript":
      if (symbol.parent) return undefined;
      return hasAncestor(node, "export_statement");
    case "go":
      return /^[A-Z]/.test(symbol.name);
    case "rust":
      return node.children.some((c) => c?.type === "visibility_modifier");
    case "python":
      return !symbol.name.startsWith("_");
    case "java":
    case "c-sharp":
      // Java groups modifiers in one `modifiers` node; C# has a `modifier` node per keyword.
      return node.children.some(
        (c) => (c?.type === "modifiers" || c?.type === "modifier") && /\bpublic\b/.test(c.text),
      );
    default:
      return undefined;
  }
}

function hasAncestor(node: Node, type: string): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === type) return true;
  return false;
}

/**
 * Overloads, prototypes followed by definitions, and property getter/setter pairs produce
 * the same symbol twice; keep the longest (the definition), then sort by position.
 */
function dedupe(symbols: FileSymbol[]): FileSymbol[] {
  const best = new Map<string, FileSymbol>();
  for (const s of symbols) {
    const key = `${s.kind}\0${s.parent ?? ""}\0${s.name}`;
    const prev = best.get(key);
    if (!prev || span(s) > span(prev)) best.set(key, s);
  }
  return [...best.values()].sort((a, b) => a.line - b.line || span(b) - span(a));
}

function span(s: FileSymbol): number {
  return (s.endLine ?? s.line) - s.line;
}
