/**
 * Where does old_str go? The matching cascade behind edit_file, and the similarity
 * search both edit and patch use to show the model the nearest text when nothing
 * matches. Pure functions over LF text; the caller restores line endings.
 *
 * Cascade: exact (after CRLF→LF on both sides) → trailing-whitespace-insensitive →
 * indentation-insensitive (new_str re-indented to the matched lines). The first stage
 * with any match decides; looser stages are never consulted when a stricter one found
 * something, so fuzziness cannot turn one clear match into an ambiguity.
 */

export type MatchStrategy = "exact" | "trailing-whitespace" | "indentation";

export interface EditMatch {
  /** Offsets into the LF text: [start, end) is replaced by `replacement`. */
  start: number;
  end: number;
  /** 1-based, inclusive lines the replaced text covers. */
  startLine: number;
  endLine: number;
  strategy: MatchStrategy;
  replacement: string;
}

export interface Candidate {
  startLine: number;
  endLine: number;
  /** First line (1-based) where the file differs from old_str, with both texts. */
  firstDiff?: { line: number; expected: string; actual: string };
}

export type MatchOutcome =
  | { kind: "one"; match: EditMatch }
  | { kind: "none"; closest: Candidate | null }
  | { kind: "many"; matches: EditMatch[]; ambiguousAnchor: boolean };

/** `text`, `oldStr` and `newStr` must use "\n" line endings. */
export function matchEdit(text: string, oldStr: string, newStr: string, anchorLine?: number): MatchOutcome {
  const starts = lineStarts(text);
  const fileLines = text.split("\n");
  if (text.endsWith("\n")) fileLines.pop();
  const stages: Array<() => EditMatch[]> = [
    () => exactMatches(text, starts, oldStr, newStr),
    () => lineMatches(text, starts, fileLines, oldStr, newStr, "trailing-whitespace"),
    () => lineMatches(text, starts, fileLines, oldStr, newStr, "indentation"),
  ];
  for (const stage of stages) {
    const found = stage();
    if (found.length === 0) continue;
    if (found.length === 1) return { kind: "one", match: found[0] };
    if (anchorLine !== undefined) {
      const picked = pickNearest(found, anchorLine);
      if (picked) return { kind: "one", match: picked };
      return { kind: "many", matches: found, ambiguousAnchor: true };
    }
    return { kind: "many", matches: found, ambiguousAnchor: false };
  }
  return { kind: "none", closest: findClosest(fileLines, splitOld(oldStr)) };
}

/** The match containing the anchor line, else the one nearest to it; null on a tie. */
export function pickNearest<T extends { startLine: number; endLine: number }>(items: T[], line: number): T | null {
  const distance = (m: T) => (line < m.startLine ? m.startLine - line : line > m.endLine ? line - m.endLine : 0);
  const sorted = [...items].sort((a, b) => distance(a) - distance(b));
  if (sorted.length > 1 && distance(sorted[0]) === distance(sorted[1])) return null;
  return sorted[0] ?? null;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of a character offset. */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function exactMatches(text: string, starts: number[], oldStr: string, newStr: string): EditMatch[] {
  const found: EditMatch[] = [];
  for (let at = text.indexOf(oldStr); at !== -1; at = text.indexOf(oldStr, at + 1)) {
    const end = at + oldStr.length;
    found.push({
      start: at,
      end,
      startLine: lineAt(starts, at),
      endLine: lineAt(starts, Math.max(at, end - 1)),
      strategy: "exact",
      replacement: newStr,
    });
  }
  return found;
}

/** old_str as whole lines: one trailing newline dropped, since lines are compared whole. */
function splitOld(oldStr: string): string[] {
  return (oldStr.endsWith("\n") ? oldStr.slice(0, -1) : oldStr).split("\n");
}

function lineMatches(
  text: string,
  starts: number[],
  fileLines: string[],
  oldStr: string,
  newStr: string,
  strategy: "trailing-whitespace" | "indentation",
): EditMatch[] {
  const oldLines = splitOld(oldStr);
  if (oldLines.every((l) => l.trim() === "")) return [];
  const norm = strategy === "indentation" ? (s: string) => s.trim() : (s: string) => s.trimEnd();
  const wanted = oldLines.map(norm);
  const found: EditMatch[] = [];
  for (let i = 0; i + wanted.length <= fileLines.length; i++) {
    let ok = true;
    for (let j = 0; j < wanted.length && ok; j++) ok = norm(fileLines[i + j]) === wanted[j];
    if (!ok) continue;
    const last = i + wanted.length - 1;
    if (strategy === "indentation" && !sameIndentShape(oldLines, fileLines.slice(i, last + 1), true)) continue;
    const start = starts[i];
    let end = starts[last] + fileLines[last].length;
    // old_str ended with a newline: it is replaced too, exactly as in an exact match.
    if (oldStr.endsWith("\n") && end < text.length) end++;
    const matched = fileLines.slice(i, last + 1);
    const replacement = strategy === "indentation" ? reindentText(newStr, oldLines, matched) : newStr;
    found.push({ start, end, startLine: i + 1, endLine: last + 1, strategy, replacement });
  }
  return found;
}

function reindentText(newStr: string, oldLines: string[], fileLines: string[]): string {
  const trailing = newStr.endsWith("\n");
  const body = trailing ? newStr.slice(0, -1) : newStr;
  return reindentLines(body.split("\n"), oldLines, fileLines).join("\n") + (trailing ? "\n" : "");
}

const TAB_WIDTH = 4;
const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? "";
const widthOf = (indent: string) => {
  let w = 0;
  for (const ch of indent) w += ch === "\t" ? TAB_WIDTH : 1;
  return w;
};

/**
 * Whether `fileLines` nest like `oldLines`: equal old indents sit at equal file indents
 * and deeper ones deeper. Ignoring indentation must not ignore structure: in Python,
 * `y = 2` inside or after an `if` block are different code, and re-indenting new_str
 * onto the wrong shape would silently move lines between blocks. With
 * `looseFirstLine`, an unindented first line is not compared: old_str often starts
 * mid-line, where the file's indentation was left out.
 */
export function sameIndentShape(
  oldLines: readonly string[],
  fileLines: readonly string[],
  looseFirstLine = false,
): boolean {
  const pairs: Array<[number, number]> = [];
  for (let j = 0; j < oldLines.length && j < fileLines.length; j++) {
    if (oldLines[j].trim() === "" || fileLines[j].trim() === "") continue;
    const old = indentOf(oldLines[j]);
    if (j === 0 && looseFirstLine && old === "") continue;
    pairs.push([widthOf(old), widthOf(indentOf(fileLines[j]))]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let k = 1; k < pairs.length; k++) {
    const [o0, f0] = pairs[k - 1];
    const [o1, f1] = pairs[k];
    if (o0 === o1 ? f0 !== f1 : f0 >= f1) return false;
  }
  return true;
}

/** The indentation step used in some lines: a tab, or the gcd of space indents. */
function unitOf(lines: string[]): string | null {
  const indents = lines
    .filter((l) => l.trim() !== "")
    .map(indentOf)
    .filter((i) => i !== "");
  if (indents.length === 0) return null;
  if (indents.some((i) => i.startsWith("\t"))) return "\t";
  let g = 0;
  for (const i of indents) g = gcd(g, i.length);
  return " ".repeat(Math.max(g, 2));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Re-indents `newLines` (written in the model's indentation, like `oldLines`) to fit
 * `fileLines`, the lines `oldLines` matched (`sameIndentShape` holds, the first line
 * perhaps excepted). Known indents map directly; others keep their depth relative to a
 * matched line, in the file's own unit (tabs stay tabs).
 */
export function reindentLines(newLines: string[], oldLines: string[], fileLines: string[]): string[] {
  const direct = new Map<string, string>();
  let base: { old: string; file: string } | null = null;
  const count = Math.min(oldLines.length, fileLines.length);
  // The first line last: it may be a mid-line start whose indentation was left out.
  const order = Array.from({ length: count }, (_, j) => (j + 1) % count);
  for (const j of order) {
    if (oldLines[j].trim() === "") continue;
    const o = indentOf(oldLines[j]);
    const f = indentOf(fileLines[j]);
    if (!direct.has(o)) direct.set(o, f);
    base ??= { old: o, file: f };
  }
  if (!base) return newLines;
  const modelUnit = unitOf([...oldLines, ...newLines]) ?? unitOf(fileLines) ?? "  ";
  const fileUnit = unitOf(fileLines) ?? modelUnit;
  const anchor = base;
  const first = oldLines[0]?.trim() !== "" && fileLines.length > 0 ? indentOf(oldLines[0]) : null;
  return newLines.map((line, n) => {
    if (line.trim() === "") return line.trim();
    const indent = indentOf(line);
    const rest = line.slice(indent.length);
    // The first lines correspond, whatever indentation old_str's first line was given.
    const mapped = n === 0 && indent === first ? indentOf(fileLines[0]) : direct.get(indent);
    if (mapped !== undefined) return mapped + rest;
    const levels = Math.round((widthOf(indent) - widthOf(anchor.old)) / widthOf(modelUnit));
    const width = Math.max(0, widthOf(anchor.file) + levels * widthOf(fileUnit));
    const built = fileUnit === "\t" ? "\t".repeat(Math.round(width / TAB_WIDTH)) : " ".repeat(width);
    return built + rest;
  });
}

const MAX_SIMILARITY_LINES = 50_000;
const MAX_PROBE_LINES = 30;

/**
 * The window of the file most similar to `oldLines` (average per-line bigram
 * similarity), or null when nothing is even half alike. Used only to build an error
 * message, so it favours cheapness over precision.
 */
export function findClosest(fileLines: string[], oldLines: string[]): Candidate | null {
  const k = oldLines.length;
  if (k === 0 || fileLines.length === 0 || fileLines.length > MAX_SIMILARITY_LINES) return null;
  const windows = Math.max(1, fileLines.length - k + 1);
  const scores = new Float64Array(windows);
  const fileGrams = fileLines.map((l) => bigrams(l.trim()));
  const probes: number[] = [];
  for (let j = 0; j < k && probes.length < MAX_PROBE_LINES; j++) if (oldLines[j].trim() !== "") probes.push(j);
  if (probes.length === 0) return null;
  for (const j of probes) {
    const want = oldLines[j].trim();
    const grams = bigrams(want);
    for (let i = 0; i < windows; i++) {
      const n = i + j;
      if (n >= fileLines.length) break;
      scores[i] += fileLines[n].trim() === want ? 1 : dice(grams, fileGrams[n]);
    }
  }
  let best = 0;
  for (let i = 1; i < windows; i++) if (scores[i] > scores[best]) best = i;
  if (scores[best] / probes.length < 0.5) return null;
  const endLine = Math.min(fileLines.length, best + k);
  const candidate: Candidate = { startLine: best + 1, endLine };
  for (let j = 0; j < k && best + j < fileLines.length; j++) {
    if (fileLines[best + j].trim() !== oldLines[j].trim()) {
      candidate.firstDiff = { line: best + j + 1, expected: oldLines[j], actual: fileLines[best + j] };
      break;
    }
  }
  return candidate;
}

interface Grams {
  counts: Map<number, number>;
  size: number;
}

function bigrams(s: string): Grams {
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return { counts, size: Math.max(0, s.length - 1) };
}

/** Sørensen–Dice coefficient over character bigrams. */
function dice(a: Grams, b: Grams): number {
  if (a.size + b.size === 0) return 1;
  // The score cannot beat the size ratio; skip the work when it cannot matter.
  if ((2 * Math.min(a.size, b.size)) / (a.size + b.size) < 0.2) return 0;
  let shared = 0;
  for (const [g, v] of a.counts) shared += Math.min(v, b.counts.get(g) ?? 0);
  return (2 * shared) / (a.size + b.size);
}
