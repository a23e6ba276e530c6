/**
 * Tool-call arguments as models actually write them. One mechanical repair pass fixes
 * the notation slips small models make (fences, trailing commas, single quotes, Python
 * literals, unclosed brackets, trailing chatter); anything still invalid is reported back
 * to the model with the raw text instead of being guessed at. Text that ends inside a
 * string was cut off, not mistyped: closing it would run a tool on part of what the model
 * meant (write half a file), so that is reported as cut off and never repaired.
 */

export type ParsedArgs = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

/** How much of the raw text an error message quotes; enough to spot the slip, not a whole file. */
const RAW_QUOTE_LIMIT = 600;

/** Parses tool-call arguments: strict JSON first, then exactly one repair attempt. */
export function parseToolArgs(raw: string, toolName: string): ParsedArgs {
  // Servers send "" for a call without arguments.
  if (raw.trim() === "") return { ok: true, args: {} };
  const strict = tryParse(raw);
  if (strict.ok) return asObject(strict.value, raw, toolName);
  const repair = repairJsonDetailed(raw);
  if (repair.cutOff) return { ok: false, error: cutOffMessage(toolName, raw) };
  const repaired = tryParse(repair.text);
  if (repaired.ok) return asObject(repaired.value, raw, toolName);
  return {
    ok: false,
    error: `The arguments for ${toolName} are not valid JSON (${strict.error}). You sent: ${quote(raw)}. Call ${toolName} again with the arguments as one JSON object.`,
  };
}

/** Parses JSON text that may need the same one repair pass (used for text-written calls). */
export function parseLenientJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string; cutOff?: boolean } {
  const strict = tryParse(text);
  if (strict.ok) return strict;
  const repair = repairJsonDetailed(text);
  if (repair.cutOff) return { ok: false, error: "the text ends inside a string (cut off)", cutOff: true };
  const repaired = tryParse(repair.text);
  return repaired.ok ? repaired : strict;
}

function cutOffMessage(toolName: string, raw: string): string {
  return (
    `The arguments for ${toolName} were cut off inside a string (${raw.length} characters arrived), most likely ` +
    `at your output token limit, so ${toolName} was not run and nothing was changed. Call it again with less ` +
    "per call: make smaller edits, or write a large file in parts (write_file with the first part, then " +
    "edit_file to add the rest)."
  );
}

function asObject(value: unknown, raw: string, toolName: string): ParsedArgs {
  if (isRecord(value)) return { ok: true, args: value };
  // Some models double-encode: the arguments are a JSON string holding the object.
  if (typeof value === "string") {
    const inner = tryParse(value);
    if (inner.ok && isRecord(inner.value)) return { ok: true, args: inner.value };
  }
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
  return {
    ok: false,
    error: `The arguments for ${toolName} must be a JSON object with named parameters, but they are ${kind}: ${quote(raw)}. Call ${toolName} again with an object such as {"name": value}.`,
  };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function quote(raw: string): string {
  const cut = raw.length > RAW_QUOTE_LIMIT ? `${raw.slice(0, RAW_QUOTE_LIMIT)}… (${raw.length} characters)` : raw;
  return JSON.stringify(cut);
}

const PYTHON_LITERALS: Record<string, string> = { True: "true", False: "false", None: "null" };

/**
 * The single repair pass. It only changes notation outside string contents (and the
 * quoting of single-quoted strings), so a repaired value never holds anything the model
 * did not write.
 */
export function repairJson(input: string): string {
  return repairJsonDetailed(input).text;
}

/** The repair pass, saying whether it had to close a string the input left open. */
function repairJsonDetailed(input: string): { text: string; cutOff: boolean } {
  let text = stripFences(input.trim());
  const start = text.search(/[{[]/);
  // Leading chatter ("Here are the arguments: {...}") is dropped; a bare scalar is left alone.
  if (start > 0) text = text.slice(start);

  let out = "";
  const stack: string[] = [];
  let i = 0;
  let ended = false;
  let cutOff = false;
  while (i < text.length && !ended) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const { json, next, closed } = readString(text, i);
      out += json;
      i = next;
      if (!closed) cutOff = true;
      continue;
    }
    if (ch === "{" || ch === "[") {
      stack.push(ch === "{" ? "}" : "]");
      out += ch;
    } else if (ch === "}" || ch === "]") {
      out = dropTrailingComma(out);
      if (stack.length > 0 && stack[stack.length - 1] === ch) stack.pop();
      out += ch;
      // The top-level value is complete: whatever follows is trailing garbage.
      if (stack.length === 0) ended = true;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0] ?? ch;
      out += repairWord(word, text, i + word.length);
      i += word.length;
      continue;
    } else {
      out += ch;
    }
    i++;
  }
  out = dropTrailingComma(out);
  while (stack.length > 0) {
    out = dropTrailingComma(out);
    out += stack.pop();
  }
  return { text: out, cutOff };
}

function stripFences(text: string): string {
  const fenced = /^```[A-Za-z_-]*\s*\n?([\s\S]*?)\n?```\s*$/.exec(text);
  if (fenced) return fenced[1].trim();
  // An opening fence without its close (the model stopped early).
  return text.replace(/^```[A-Za-z_-]*\s*\n?/, "");
}

/** Bare words: Python literals become JSON ones; an unquoted key becomes a quoted key. */
function repairWord(word: string, text: string, after: number): string {
  if (word === "true" || word === "false" || word === "null") return word;
  if (word in PYTHON_LITERALS) return PYTHON_LITERALS[word];
  if (/^\s*:/.test(text.slice(after))) return JSON.stringify(word);
  return word;
}

/**
 * Reads a string starting at `start` (double- or single-quoted) and returns it as a JSON
 * string. An unterminated string is closed at the end of the input and marked `closed: false`.
 */
function readString(text: string, start: number): { json: string; next: number; closed: boolean } {
  const quoteChar = text[start];
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      const escaped = text[i + 1];
      // \' is not a JSON escape; inside a single-quoted string it means a plain quote.
      value += escaped === "'" ? "'" : ch + escaped;
      i += 2;
      continue;
    }
    if (ch === quoteChar) {
      return { json: `"${quoteChar === '"' ? value : escapeDoubleQuotes(value)}"`, next: i + 1, closed: true };
    }
    // Raw newlines and tabs inside strings are invalid JSON but unambiguous.
    if (ch === "\n") value += "\\n";
    else if (ch === "\t") value += "\\t";
    else if (ch === "\r") value += "\\r";
    else value += ch;
    i++;
  }
  return { json: `"${quoteChar === '"' ? value : escapeDoubleQuotes(value)}"`, next: i, closed: false };
}

function escapeDoubleQuotes(value: string): string {
  return value.replace(/(^|[^\\])"/g, '$1\\"').replace(/(^|[^\\])"/g, '$1\\"');
}

function dropTrailingComma(out: string): string {
  return out.replace(/,\s*$/, "");
}
