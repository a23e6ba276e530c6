/**
 * Line anchors: every line read_file shows is prefixed `N#hash:`, and edit_file can
 * name such a line to prove the model's view of the file is current.
 *
 * The hash is 4 letters alternating consonant/vowel ("bako"). Measured with o200k, that
 * alphabet costs fewer tokens per line than hex or base36 (≈ 3% of a whole excerpt),
 * and 10,000 values are plenty: a stale line is caught unless its new text collides.
 */

const CONSONANTS = "bcdfghjklmnpqrstvwxz";
const VOWELS = "aeiou";
/** Lines longer than this are cut in excerpts; the hash still covers the whole line. */
export const MAX_LINE_CHARS = 500;

/** Hash of a line's text, ignoring trailing whitespace (and so a CR left by CRLF). */
export function lineHash(line: string): string {
  const text = line.trimEnd();
  // FNV-1a over UTF-16 code units, then a murmur3 finaliser so every digit mixes all bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  let out = "";
  for (let i = 0; i < 2; i++) {
    out += CONSONANTS[h % 20];
    h = Math.floor(h / 20);
    out += VOWELS[h % 5];
    h = Math.floor(h / 5);
  }
  return out;
}

/** One excerpt line: `N#hash:text`, with over-long text cut and marked. */
export function formatLine(lineNumber: number, line: string): string {
  return `${lineNumber}#${lineHash(line)}:${truncateLine(line)}`;
}

/** Lines `from`..`to` (1-based, inclusive, clamped) of `lines`, formatted and joined. */
export function renderLines(lines: readonly string[], from: number, to: number): string {
  const out: string[] = [];
  const last = Math.min(to, lines.length);
  for (let n = Math.max(1, from); n <= last; n++) out.push(formatLine(n, lines[n - 1]));
  return out.join("\n");
}

export function truncateLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  let cut = MAX_LINE_CHARS;
  // Never split a surrogate pair: half an emoji is invalid text.
  const code = line.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${line.slice(0, cut)}… [line cut, ${line.length - cut} more chars]`;
}

export interface Anchor {
  line: number;
  hash: string;
}

const ANCHOR = /^\s*(\d+)\s*#\s*([a-z]{4})\b/i;

/** Parses "N#hash", also when the model pasted the whole prefixed line ("12#bako:  x"). */
export function parseAnchor(text: string): Anchor | null {
  const m = ANCHOR.exec(text);
  if (!m) return null;
  const line = Number(m[1]);
  return line >= 1 ? { line, hash: m[2].toLowerCase() } : null;
}

const PREFIX = /^\d+#[a-z]{4}:/;

/**
 * Removes `N#hash:` prefixes when every non-empty line carries one: models often copy
 * excerpt lines verbatim into old_str or a patch. Returns null when there is nothing
 * to strip, so callers can tell a real string from a pasted excerpt.
 */
export function stripLinePrefixes(text: string): string | null {
  const lines = text.split("\n");
  const nonEmpty = lines.filter((l) => l.trim() !== "");
  if (nonEmpty.length === 0 || !nonEmpty.every((l) => PREFIX.test(l))) return null;
  return lines.map((l) => l.replace(PREFIX, "")).join("\n");
}
