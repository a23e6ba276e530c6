/**
 * Symbol extraction without tree-sitter: for languages the wasm package lacks, and for
 * any language when a grammar fails to load. Tracks one level of container (class, impl)
 * by indentation, which is what real code formatted by its usual tools looks like.
 */
import { REGEX_LANGUAGES, type RegexRule } from "./regex-rules.js";
import type { FileSymbol, LanguageId } from "./types.js";

interface OpenContainer {
  symbol?: FileSymbol;
  name: string;
  indent: number;
  memberIndent?: number;
  lastLine: number;
}

/** Lines that carry no declaration and must not close a container: comments, braces, labels, decorators. */
const SKIP =
  /^(?:\/\/|\/\*|\*|#(?!\[)|\{\s*$|(?:public|private|protected|signals|slots|internal)\s*:\s*$|@[\w.]+(?:\(.*\))?\s*$|template\s*<.*>\s*$)/;
const CLOSER = /^(?:[}\])]+[;,)]*|end)\s*(?:\/\/.*)?$/;

export function extractWithRegex(language: LanguageId, source: string): FileSymbol[] {
  const spec = REGEX_LANGUAGES[language];
  if (!spec) return [];
  const symbols: FileSymbol[] = [];
  const lines = source.split("\n");
  let container: OpenContainer | undefined;

  const close = (atLine: number) => {
    if (container?.symbol && atLine > container.symbol.line) container.symbol.endLine = atLine;
    container = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const text = raw.trim();
    if (text === "" || SKIP.test(text)) continue;
    const indent = raw.length - raw.trimStart().length;
    const lineNo = i + 1;

    if (container && indent <= container.indent) {
      if (CLOSER.test(text)) {
        close(lineNo);
        continue;
      }
      close(container.lastLine);
    }
    if (container) {
      container.lastLine = lineNo;
      container.memberIndent ??= indent;
      if (indent !== container.memberIndent) continue;
      const hit = firstMatch(spec.member, text, container.name);
      if (hit?.rule.kind) {
        symbols.push(withExport({ name: hit.name, kind: hit.rule.kind, line: lineNo, parent: container.name }, raw));
      }
      continue;
    }

    const hit = firstMatch(spec.top, text, undefined, indent);
    if (!hit) continue;
    let symbol: FileSymbol | undefined;
    if (hit.rule.kind) {
      const parent = hit.owner;
      symbol = { name: hit.name, kind: parent ? "method" : hit.rule.kind, line: lineNo };
      if (parent) symbol.parent = parent;
      symbols.push(withExport(symbol, raw));
    }
    if (hit.rule.opens && !/[;}]\s*$/.test(text)) {
      container = { symbol, name: hit.name, indent, lastLine: lineNo };
    }
  }
  if (container) close(container.lastLine);
  return symbols;

  function withExport(symbol: FileSymbol, raw: string): FileSymbol {
    const exported = spec?.exported?.(raw.trim(), symbol.name);
    if (exported !== undefined && (!symbol.parent || language === "go" || language === "rust")) {
      symbol.exported = exported;
    }
    return symbol;
  }
}

function firstMatch(
  rules: RegexRule[],
  text: string,
  containerName: string | undefined,
  indent = 0,
): { rule: RegexRule; name: string; owner?: string } | undefined {
  for (const rule of rules) {
    if (rule.col0 && indent > 0) continue;
    const groups = rule.re.exec(text)?.groups;
    const name = groups?.n;
    if (!name) continue;
    if (rule.ctorOnly && name.replace(/^~/, "") !== containerName) continue;
    return { rule, name, owner: groups.p };
  }
  return undefined;
}
