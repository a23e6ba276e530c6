/**
 * The instructions `parecode --mechanical` understands. They are edits a model call would
 * waste tokens on, so they run as plain code:
 *
 *   replace OLD with NEW [in PATH…]          every occurrence of OLD (text, or /regex/flags
 *                                            with $1… in NEW)
 *   rename OLD to NEW [in PATH…]             the identifier OLD as a whole word (not inside
 *                                            longer names)
 *   remove lines matching TEXT [in PATH…]    whole lines containing TEXT (or matching /regex/)
 *
 * OLD, NEW, TEXT: one word, or quoted ("two words", 'it''s' → use "it's"; \" and \\ inside
 * double quotes). PATH: a file, a folder or a glob ("*.ts", "src/**"), relative to the project;
 * several separated by spaces, commas or "and"; none means the whole project. Keywords are
 * case-insensitive; quote a word that would read as one ("with", "in").
 */
import { UsageError } from "../../core/errors.js";

export type Pattern = { kind: "text"; text: string } | { kind: "regex"; regex: RegExp; source: string };

export type MechanicalEdit =
  | { action: "replace"; pattern: Pattern; replacement: string; paths: string[] }
  | { action: "rename"; from: string; to: string; paths: string[] }
  | { action: "remove_lines"; pattern: Pattern; paths: string[] };

export const GRAMMAR = `parecode --mechanical understands:
  replace OLD with NEW [in PATH…]        OLD: text, or /regex/flags (NEW may use $1)
  rename OLD to NEW [in PATH…]           a whole-word identifier rename
  remove lines matching TEXT [in PATH…]  TEXT: text, or /regex/flags
Quote words with spaces ("two words"); PATH is a file, folder or glob inside the project.`;

interface Token {
  text: string;
  quoted: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function parseMechanical(instruction: string): MechanicalEdit {
  const tokens = tokenize(instruction);
  const word = (i: number) => (tokens[i] && !tokens[i].quoted ? tokens[i].text.toLowerCase() : undefined);
  const fail = (problem: string): never => {
    throw new UsageError(`${problem}\n${GRAMMAR}`);
  };
  const pathsFrom = (i: number): string[] => {
    if (i >= tokens.length) return [];
    if (word(i) !== "in") fail(`Expected "in PATH" after the edit, got "${tokens[i].text}".`);
    const paths = tokens
      .slice(i + 1)
      .filter((t) => t.quoted || t.text.toLowerCase() !== "and")
      .flatMap((t) => (t.quoted ? [t.text] : t.text.split(",")))
      .map((p) => p.trim())
      .filter((p) => p !== "");
    if (paths.length === 0) fail('"in" needs at least one path.');
    return paths;
  };

  switch (word(0)) {
    case "replace": {
      if (tokens.length < 4 || word(2) !== "with") fail("Write it like: replace OLD with NEW in src/");
      const pattern = patternOf(tokens[1], fail);
      if (pattern.kind === "text" && pattern.text === "") fail("OLD is empty: there is nothing to replace.");
      return { action: "replace", pattern, replacement: tokens[3].text, paths: pathsFrom(4) };
    }
    case "rename": {
      if (tokens.length < 4 || word(2) !== "to") fail("Write it like: rename oldName to newName in src/");
      const from = tokens[1].text;
      const to = tokens[3].text;
      if (!IDENTIFIER.test(from) || !IDENTIFIER.test(to)) {
        fail(`rename works on identifiers (letters, digits, _ and $); "${from}" → "${to}" is not. Use replace.`);
      }
      return { action: "rename", from, to, paths: pathsFrom(4) };
    }
    case "remove":
    case "delete": {
      const matching = word(2);
      if (word(1) !== "lines" || (matching !== "matching" && matching !== "containing") || tokens.length < 4) {
        fail('Write it like: remove lines matching "console.log" in src/');
      }
      const pattern = patternOf(tokens[3], fail);
      if (pattern.kind === "text" && pattern.text === "") fail("The text to match is empty: every line would go.");
      return { action: "remove_lines", pattern, paths: pathsFrom(4) };
    }
    default:
      return fail(`"${tokens[0]?.text ?? ""}" is not a mechanical edit.`);
  }
}

/** An unquoted /body/flags is a regular expression; anything else is literal text. */
function patternOf(token: Token, fail: (problem: string) => never): Pattern {
  const match = token.quoted ? null : /^\/(.+)\/([imsu]*)$/.exec(token.text);
  if (!match) return { kind: "text", text: token.text };
  try {
    return { kind: "regex", regex: new RegExp(match[1], `${match[2]}g`), source: token.text };
  } catch (err) {
    return fail(`${token.text} is not a valid regular expression: ${(err as Error).message}`);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      let value = "";
      i++;
      while (i < text.length && text[i] !== quote) {
        if (quote === '"' && text[i] === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new UsageError(`An opening ${quote} has no closing one.\n${GRAMMAR}`);
      i++;
      tokens.push({ text: value, quoted: true });
      continue;
    }
    let value = "";
    while (i < text.length && !/\s/.test(text[i])) value += text[i++];
    tokens.push({ text: value, quoted: false });
  }
  return tokens;
}
