/**
 * Reading single tree-sitter bash nodes the walker meets: assignments, redirections,
 * test expressions, parse errors. No statement walking here (that is shell-walk.ts).
 */
import type { Node } from "web-tree-sitter";
import type { ShellState } from "./shell-state.js";
import type { ShellRedirect, ShellWord } from "./shell-types.js";
import {
  dynamicWord,
  evaluateHeredocBody,
  evaluateWord,
  findSubstitutions,
  literalWord,
  type WordContext,
} from "./shell-words.js";

export const TEST_WORD_TYPES = new Set([
  "word",
  "string",
  "raw_string",
  "ansi_c_string",
  "concatenation",
  "simple_expansion",
  "expansion",
  "command_substitution",
  "process_substitution",
  "number",
  "regex",
  "extglob_pattern",
  "arithmetic_expansion",
]);

export function collectTestWords(
  node: Node,
  open: string,
  argv: ShellWord[],
  redirects: ShellRedirect[],
  s: ShellState,
  ctx: WordContext,
): void {
  const children = node.type === "test_command" ? node.children.slice(1, -1) : node.children;
  const operator = node.childForFieldName("operator")?.type;
  // Inside single brackets `>` and `<` are redirections, not comparisons.
  if (open === "[" && node.type === "binary_expression" && (operator === ">" || operator === "<")) {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (left && TEST_WORD_TYPES.has(left.type)) argv.push(evaluateWord([left], ctx));
    else if (left) collectTestWords(left, open, argv, redirects, s, ctx);
    if (right) {
      const target = evaluateWord([right], ctx);
      redirects.push({ operator, direction: operator === ">" ? "out" : "in", target, cwd: s.cwd, inherited: false });
    }
    return;
  }
  for (const child of children) {
    if (TEST_WORD_TYPES.has(child.type)) argv.push(evaluateWord([child], ctx));
    else if (child.childCount === 0) argv.push(literalWord(child.text));
    else collectTestWords(child, open, argv, redirects, s, ctx);
  }
}

export function substitutionsIn(node: Node, ctx: WordContext): void {
  if (node.type === "command_substitution") ctx.onCommands(node, "substitution");
  else if (node.type === "process_substitution") ctx.onCommands(node, "process-substitution");
  else findSubstitutions(node, ctx);
}

interface Assigned {
  name: string;
  value: ShellWord;
  static: boolean;
}

export function evaluateAssignment(node: Node, ctx: WordContext): Assigned | undefined {
  const name = node.childForFieldName("name");
  if (!name) return undefined;
  const value = node.childForFieldName("value");
  const append = node.children.some((child) => child.type === "+=");
  const variable = name.type === "subscript" ? (name.childForFieldName("name")?.text ?? name.text) : name.text;
  if (!value) return { name: variable, value: literalWord(""), static: !append };
  if (value.type === "array") {
    findSubstitutions(value, ctx);
    return { name: variable, value: dynamicWord(value.text), static: false };
  }
  const word = evaluateWord([value], ctx);
  // `D=~/x` holds the home directory's path, which the parser does not know: not a static value.
  const literal = word.segments.every((segment) => segment.kind === "text");
  return { name: variable, value: word, static: literal && !append && name.type !== "subscript" };
}

export function evaluateRedirect(node: Node, s: ShellState, ctx: WordContext): ShellRedirect[] {
  const fdNode = node.childForFieldName("descriptor");
  const fd = fdNode ? Number(fdNode.text) : undefined;
  const base = { cwd: s.cwd, inherited: false, ...(fd !== undefined && Number.isFinite(fd) ? { fd } : {}) };
  if (node.type === "heredoc_redirect") {
    const operator = node.children[0]?.type ?? "<<";
    const start = node.namedChildren.find((n) => n.type === "heredoc_start")?.text ?? "";
    const quoted = /['"\\]/.test(start);
    const bodyNode = node.namedChildren.find((n) => n.type === "heredoc_body") ?? null;
    const body = evaluateHeredocBody(bodyNode, quoted, operator === "<<-", ctx);
    const nested = node.namedChildren.filter((n) => n.type === "file_redirect" || n.type === "herestring_redirect");
    return [{ ...base, operator, direction: "data", body }, ...nested.flatMap((n) => evaluateRedirect(n, s, ctx))];
  }
  if (node.type === "herestring_redirect") {
    const word = node.namedChildren.find((n) => n.type !== "file_descriptor");
    return [{ ...base, operator: "<<<", direction: "data", ...(word ? { target: evaluateWord([word], ctx) } : {}) }];
  }
  if (node.type !== "file_redirect") return [];
  const operator = node.children.find((child) => !child.isNamed && child.type !== "ERROR")?.type ?? ">";
  const destinations = node.childrenForFieldName("destination");
  const target = destinations.length > 0 ? evaluateWord(destinations, ctx) : undefined;
  const redirect: ShellRedirect = { ...base, operator, direction: redirectDirection(operator, target) };
  if (target) redirect.target = target;
  return [redirect];
}

function redirectDirection(operator: string, target: ShellWord | undefined): ShellRedirect["direction"] {
  if (operator.endsWith("-")) return "dup";
  if (operator === "<&" || operator === ">&") {
    // `2>&1` duplicates a descriptor; `>&file` (no digits) is `&>file`.
    return target && /^(\d+|-)$/.test(target.value) && !target.dynamic ? "dup" : operator === ">&" ? "out" : "in";
  }
  return operator.startsWith("<") ? "in" : "out";
}

export function firstError(node: Node): Node | undefined {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    const found = firstError(child);
    if (found) return found;
  }
  return undefined;
}

export function describeError(node: Node, source: string): string {
  if (node.isMissing) {
    return `the line is incomplete (a ${node.type === "word" ? "command" : `"${node.type}"`} is missing after ${snippet(source.slice(Math.max(0, node.startIndex - 30), node.startIndex))})`;
  }
  return `the shell grammar cannot parse ${snippet(node.text || source.slice(node.startIndex, node.startIndex + 30))}`;
}

export function snippet(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `\`${line.length > 40 ? `${line.slice(0, 39)}…` : line}\``;
}
