/**
 * Turns tree-sitter bash word nodes into the words a command receives: quotes removed,
 * escapes resolved, variables the line set statically substituted. Whatever is known
 * only at run time stays as written and marks the word dynamic. Substitutions met inside
 * a word are handed to `onCommands` so their commands are judged too.
 */
import type { Node } from "web-tree-sitter";
import type { ShellWord, WordSegment } from "./shell-types.js";

/** What a variable is at this point of the line. */
export type VariableValue = { known: string } | "unknown" | "environment";

export interface WordContext {
  variable(name: string): VariableValue;
  /** A `$(…)`, backtick or `<(…)`/`>(…)` node met inside the word; its commands run before the word is used. */
  onCommands(node: Node, kind: "substitution" | "process-substitution"): void;
}

const SUBSTITUTIONS = new Set(["command_substitution", "process_substitution"]);

/** Evaluates one word made of `nodes` (adjacent nodes with no space between them form one word). */
export function evaluateWord(nodes: readonly Node[], ctx: WordContext): ShellWord {
  const segments: WordSegment[] = [];
  for (const node of nodes) collect(node, false, segments, ctx);
  const text = nodes.length === 0 ? "" : sourceSpan(nodes);
  return finishWord(text, homeTilde(splitTilde(segments), ctx));
}

/** `~` is `$HOME`: when the line itself set HOME, the tilde takes that value. */
function homeTilde(segments: WordSegment[], ctx: WordContext): WordSegment[] {
  const first = segments[0];
  if (first?.kind !== "tilde" || first.user !== "") return segments;
  const home = ctx.variable("HOME");
  if (home === "environment") return segments;
  const replaced: WordSegment =
    home === "unknown" ? { kind: "dynamic", text: "~" } : { kind: "text", text: home.known, quoted: true };
  return [replaced, ...segments.slice(1)];
}

/** A word that did not come from the source (a `cd` with no argument is `cd ~`). */
export function literalWord(value: string, segments?: WordSegment[]): ShellWord {
  return finishWord(value, segments ?? [{ kind: "text", text: value, quoted: true }]);
}

/** A word whose value is known only at run time (`{}` of `find -exec`, an assignment from a substitution). */
export function dynamicWord(text: string): ShellWord {
  return { text, value: text, dynamic: true, glob: false, segments: [{ kind: "dynamic", text }] };
}

/**
 * A path cut out of a longer word (`of=~/x`, `--output=~/x`). Bash expands the tilde
 * after `=` in assignment-like words; taking it as home everywhere errs on the safe side.
 */
export function valueWord(value: string, dynamic: boolean, glob = false): ShellWord {
  if (dynamic) return dynamicWord(value);
  const tilde = value === "~" || value.startsWith("~/");
  const rest = tilde ? value.slice(1) : value;
  const segments: WordSegment[] = tilde ? [{ kind: "tilde", user: "" }] : [];
  if (rest) segments.push({ kind: "text", text: rest, quoted: !glob });
  return { ...literalWord(value, segments), glob };
}

/** A heredoc body: literal when its delimiter was quoted, else expansions and `\$`-style escapes apply. */
export function evaluateHeredocBody(
  body: Node | null,
  quoted: boolean,
  stripTabs: boolean,
  ctx: WordContext,
): ShellWord {
  if (!body) return literalWord("");
  const segments: WordSegment[] = [];
  if (quoted) {
    segments.push({ kind: "text", text: body.text, quoted: true });
  } else {
    forEachPiece(body, (piece) => {
      if (typeof piece === "string") segments.push({ kind: "text", text: unescapeDoubleQuoted(piece), quoted: true });
      else if (piece.type === "heredoc_content") {
        segments.push({ kind: "text", text: unescapeDoubleQuoted(piece.text), quoted: true });
      } else collect(piece, true, segments, ctx);
    });
  }
  const word = finishWord(body.text, segments);
  if (!stripTabs || word.dynamic) return word;
  const stripped = word.value.replace(/^\t+/gm, "");
  return finishWord(body.text, [{ kind: "text", text: stripped, quoted: true }]);
}

function finishWord(text: string, segments: WordSegment[]): ShellWord {
  const dynamic = segments.some((s) => s.kind === "variable" || s.kind === "dynamic");
  const unquoted = segments.map((s) => (s.kind === "text" && !s.quoted ? s.text : "\0")).join("");
  const glob = /[*?]|\[[^\]]*\]/.test(unquoted) || /\{[^{}]*(,|\.\.)[^{}]*\}/.test(unquoted);
  const value = dynamic
    ? text
    : segments.map((s) => (s.kind === "tilde" ? `~${s.user}` : s.kind === "text" ? s.text : "")).join("");
  return { text, value, dynamic, glob, segments: mergeText(segments) };
}

function collect(node: Node, quoted: boolean, out: WordSegment[], ctx: WordContext): void {
  switch (node.type) {
    case "word":
    case "extglob_pattern":
      if (quoted) out.push({ kind: "text", text: node.text, quoted: true });
      else out.push(...unescapeUnquoted(node.text));
      return;
    case "number":
    case "$":
    case "variable_name":
    case "special_variable_name":
      out.push({ kind: "text", text: node.text, quoted });
      return;
    case "raw_string":
      out.push({ kind: "text", text: node.text.slice(1, -1), quoted: true });
      return;
    case "ansi_c_string":
      out.push({ kind: "text", text: decodeAnsiC(node.text.slice(2, -1)), quoted: true });
      return;
    case "string":
    case "translated_string":
      forEachPiece(node, (piece) => {
        if (typeof piece === "string") out.push({ kind: "text", text: unescapeDoubleQuoted(piece), quoted: true });
        else if (piece.type === "string_content") {
          out.push({ kind: "text", text: unescapeDoubleQuoted(piece.text), quoted: true });
        } else if (piece.type !== '"' && piece.type !== '$"') collect(piece, true, out, ctx);
      });
      return;
    case "concatenation":
      for (const child of node.children) if (child) collect(child, quoted, out, ctx);
      return;
    case "simple_expansion": {
      const name = node.namedChildren[0];
      if (name?.type === "variable_name") out.push(variableSegment(name.text, node.text, quoted, ctx));
      else out.push({ kind: "dynamic", text: node.text });
      return;
    }
    case "expansion": {
      const named = node.namedChildren.filter((c) => c !== null);
      if (named.length === 1 && named[0].type === "variable_name" && node.text === `\${${named[0].text}}`) {
        out.push(variableSegment(named[0].text, node.text, quoted, ctx));
      } else {
        out.push({ kind: "dynamic", text: node.text });
        findSubstitutions(node, ctx);
      }
      return;
    }
    case "brace_expression":
      out.push({ kind: "text", text: node.text, quoted });
      return;
    case "command_substitution":
      out.push({ kind: "dynamic", text: node.text });
      ctx.onCommands(node, "substitution");
      return;
    case "process_substitution":
      out.push({ kind: "dynamic", text: node.text });
      ctx.onCommands(node, "process-substitution");
      return;
    default:
      out.push({ kind: "dynamic", text: node.text });
      findSubstitutions(node, ctx);
  }
}

/** Hands every substitution below `node` (not nested inside another one) to the context. */
export function findSubstitutions(node: Node, ctx: WordContext): void {
  for (const child of node.children) {
    if (!child) continue;
    if (SUBSTITUTIONS.has(child.type)) {
      ctx.onCommands(child, child.type === "command_substitution" ? "substitution" : "process-substitution");
    } else findSubstitutions(child, ctx);
  }
}

function variableSegment(name: string, text: string, quoted: boolean, ctx: WordContext): WordSegment {
  const value = ctx.variable(name);
  if (value === "environment") return { kind: "variable", name };
  if (value === "unknown") return { kind: "dynamic", text };
  // Unquoted, a value with spaces or glob characters splits or expands: not one known word.
  if (!quoted && /[\s*?[\]{}]/.test(value.known)) return { kind: "dynamic", text };
  return { kind: "text", text: value.known, quoted: true };
}

/** Visits a quoted node's children and the raw text between them, quotes excluded. */
function forEachPiece(node: Node, visit: (piece: Node | string) => void): void {
  const children = node.children.filter((c): c is Node => c !== null);
  const openLength = node.type === "translated_string" ? 2 : node.type === "string" ? 1 : 0;
  const closeLength = node.type === "string" || node.type === "translated_string" ? 1 : 0;
  let at = node.startIndex + openLength;
  const end = node.endIndex - closeLength;
  // Slices of the node's own text: the whole source per call would make long lines quadratic.
  const own = node.text;
  const slice = (from: number, to: number) => own.slice(from - node.startIndex, to - node.startIndex);
  for (const child of children) {
    if (child.endIndex <= at || child.startIndex >= end) continue;
    if (child.startIndex > at) visit(slice(at, child.startIndex));
    visit(child);
    at = child.endIndex;
  }
  if (at < end) visit(slice(at, end));
}

/** The nodes of one word are adjacent: their texts joined are the word as written. */
function sourceSpan(nodes: readonly Node[]): string {
  return nodes.map((node) => node.text).join("");
}

/** Unquoted text: a backslash quotes the next character; backslash-newline disappears. */
function unescapeUnquoted(text: string): WordSegment[] {
  const out: WordSegment[] = [];
  let plain = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "\\" || i + 1 >= text.length) {
      plain += ch;
      continue;
    }
    const next = text[++i];
    if (next === "\n") continue;
    if (plain) out.push({ kind: "text", text: plain, quoted: false });
    plain = "";
    out.push({ kind: "text", text: next, quoted: true });
  }
  if (plain) out.push({ kind: "text", text: plain, quoted: false });
  return out;
}

/** Inside double quotes a backslash escapes only `$`, backtick, `"`, `\` and newline. */
function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_, ch: string) => (ch === "\n" ? "" : ch));
}

const ANSI_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

function decodeAnsiC(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs,
    (whole, esc: string) => {
      const kind = esc[0];
      if (kind === "x" || kind === "u" || kind === "U") return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      if (/[0-7]/.test(kind)) return String.fromCharCode(Number.parseInt(esc, 8));
      if (kind === "c") return String.fromCharCode(esc.charCodeAt(1) & 0x1f);
      return ANSI_ESCAPES[esc] ?? whole;
    },
  );
}

/** Splits an unquoted leading `~` or `~user` (up to the first `/`) into a tilde segment. */
function splitTilde(segments: WordSegment[]): WordSegment[] {
  const first = segments[0];
  if (first?.kind !== "text" || first.quoted || !first.text.startsWith("~")) return segments;
  const slash = first.text.indexOf("/");
  const user = slash === -1 ? first.text.slice(1) : first.text.slice(1, slash);
  // The prefix runs to the first unquoted slash; anything quoted or expanded in it (`~"/x"`, `~$U`) prevents expansion.
  if (slash === -1 && segments.length > 1) {
    const next = segments[1];
    if (next.kind !== "text" || next.quoted || !next.text.startsWith("/")) return segments;
  }
  if (!/^[A-Za-z0-9._-]*$/.test(user)) return segments;
  const rest = slash === -1 ? "" : first.text.slice(slash);
  const out: WordSegment[] = [{ kind: "tilde", user }];
  if (rest) out.push({ kind: "text", text: rest, quoted: false });
  return [...out, ...segments.slice(1)];
}

function mergeText(segments: WordSegment[]): WordSegment[] {
  const out: WordSegment[] = [];
  for (const segment of segments) {
    const last = out[out.length - 1];
    if (segment.kind === "text" && last?.kind === "text" && last.quoted === segment.quoted) {
      out[out.length - 1] = { ...last, text: last.text + segment.text };
    } else out.push(segment);
  }
  return out;
}
