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
    const nesting = nestingTypes(grammar);
    const exportAware = EXPORT_STATEMENT_GRAMMARS.has(grammarName);
    const symbols: FileSymbol[] = [];
    for (const candidate of candidates.values()) {
      const placed = placeCandidate(candidate, candidates, nesting, exportAware);
      if (!placed) continue;
      const { symbol, underExport } = placed;
      const exported = exportAware
        ? symbol.parent
          ? undefined
          : underExport
        : isExported(grammarName, candidate.node, symbol);
      if (exported !== undefined) symbol.exported = exported;
      symbols.push(symbol);
    }
    return dedupe(symbols);
  } finally {
    tree.delete();
  }
}

/** Grammars whose "exported" means "inside an export_statement"; placeCandidate finds that on its way up. */
const EXPORT_STATEMENT_GRAMMARS = new Set(["typescript", "tsx", "javascript"]);

const nestingByGrammar = new WeakMap<LoadedGrammar, ReadonlySet<string>>();

function nestingTypes(grammar: LoadedGrammar): ReadonlySet<string> {
  let nesting = nestingByGrammar.get(grammar);
  if (!nesting) {
    nesting = new Set(grammar.spec.nesting);
    nestingByGrammar.set(grammar, nesting);
  }
  return nesting;
}

/**
 * One candidate per declaration node; the earliest matching pattern wins (queries.ts orders
 * them). Candidates come in the order their matches completed, which is where the name
 * was seen; a grammar with a resolver (leaf patterns, complete on entering the node) is
 * put back in that order by the name's position.
 */
function collectCandidates(grammar: LoadedGrammar, root: Node): Map<number, Candidate> {
  const byNode = new Map<number, Candidate & { pattern: number }>();
  const resolve = grammar.spec.resolve;
  const order: Array<{ id: number; at: number }> = [];
  for (const match of grammar.query.matches(root, { maxStartDepth: MAX_START_DEPTH })) {
    let def: Node | undefined;
    let kind: SymbolKind | undefined;
    let name: string | undefined;
    let parent: string | undefined;
    for (const capture of match.captures) {
      const captureName = capture.name;
      if (captureName === "name") name = capture.node.text;
      else if (captureName === "parent") parent = capture.node.text;
      else {
        const k = DEF_CAPTURES.get(captureName);
        if (k) {
          def = capture.node;
          kind = k;
        }
      }
    }
    if (!def || !kind) continue;
    const previous = byNode.get(def.id);
    if (previous && previous.pattern <= match.patternIndex) continue;
    if (name === undefined && resolve) {
      const resolved = resolve(def);
      if (!resolved) continue;
      kind = resolved.kind;
      name = resolved.name.text;
      order.push({ id: def.id, at: resolved.name.startIndex });
    }
    if (!name) continue;
    byNode.set(def.id, { node: def, kind, name, parent, pattern: match.patternIndex });
  }
  if (order.length === 0) return byNode;
  const ordered = new Map<number, Candidate>();
  for (const { id } of order.sort((a, b) => a.at - b.at)) {
    const candidate = byNode.get(id);
    if (candidate && !ordered.has(id)) ordered.set(id, candidate);
  }
  return ordered;
}

/** `def.<kind>` capture name → kind. */
const DEF_CAPTURES = new Map<string, SymbolKind>([...SYMBOL_KINDS].map((k) => [`def.${k}`, k as SymbolKind]));

/**
 * Decides whether a candidate is listed, and as what: top-level symbol, method of a
 * top-level type, or not at all. With `exportAware` it also reports whether the node
 * sits inside an export statement, from the same walk up the tree.
 */
function placeCandidate(
  candidate: Candidate,
  candidates: Map<number, Candidate>,
  nesting: ReadonlySet<string>,
  exportAware: boolean,
): { symbol: FileSymbol; underExport: boolean } | undefined {
  const scopes: Node[] = [];
  let underExport = false;
  for (let n = candidate.node.parent; n && scopes.length < 2; n = n.parent) {
    const type = n.type;
    if (nesting.has(type)) scopes.push(n);
    else if (exportAware && type === "export_statement") underExport = true;
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
  return { symbol, underExport };
}

/** Each language's own notion of "visible outside this file"; undefined where it has none worth stating. */
function isExported(grammar: string, node: Node, symbol: FileSymbol): boolean | undefined {
  switch (grammar) {
    case "go":
      return /^[A-Z]/.test(symbol.name);
    case "rust":
      return someChild(node, (c) => c.type === "visibility_modifier");
    case "python":
      return !symbol.name.startsWith("_");
    case "java":
    case "c-sharp":
      // Java groups modifiers in one `modifiers` node; C# has a `modifier` node per keyword.
      return someChild(node, (c) => {
        const type = c.type;
        return (type === "modifiers" || type === "modifier") && /\bpublic\b/.test(c.text);
      });
    default:
      return undefined;
  }
}

/** Like `node.children.some`, without marshalling every child out of wasm first. */
function someChild(node: Node, test: (child: Node) => boolean): boolean {
  for (let i = 0, n = node.childCount; i < n; i++) {
    const child = node.child(i);
    if (child && test(child)) return true;
  }
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
