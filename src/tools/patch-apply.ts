/**
 * Parsing and applying unified-diff hunks, leniently: models get @@ line numbers and
 * counts wrong, drop the space before blank context lines and paste excerpt prefixes.
 * Counts are ignored; a hunk is its context and -/+ lines, placed by content.
 * Pure functions over arrays of lines.
 */
import { type Candidate, findClosest, reindentLines, sameIndentShape } from "./edit-match.js";
import { stripLinePrefixes } from "./line-hash.js";

export interface Hunk {
  /** 1-based position in the patch, for error messages. */
  index: number;
  header: string;
  /** Stated old start line (1-based), null when the header had no numbers. */
  oldStart: number | null;
  ops: Array<{ op: " " | "-" | "+"; text: string }>;
}

export function parseHunks(patch: string): { hunks: Hunk[] } | { error: string } {
  const lines = patch.replace(/\r\n/g, "\n").split("\n");
  const hunks: Hunk[] = [];
  let current: Hunk | null = null;
  let fileHeaders = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("@@")) {
      const m = /^@@+\s*-(\d+)(?:,\d+)?\s+\+\d+(?:,\d+)?\s*@@/.exec(line);
      current = { index: hunks.length + 1, header: line.trim(), oldStart: m ? Number(m[1]) : null, ops: [] };
      hunks.push(current);
      continue;
    }
    // "--- x" followed by "+++ y" is a file header; a lone "--- x" is a removed "-- x" line.
    if (line.startsWith("--- ") && lines[i + 1]?.startsWith("+++ ")) {
      fileHeaders++;
      if (fileHeaders > 1) return { error: "the patch touches more than one file; send one patch_file call per file" };
      current = null;
      i++;
      continue;
    }
    if (!current) continue;
    if (line.startsWith("\\")) continue;
    const op = line[0];
    if (op === "-" || op === "+" || op === " ") current.ops.push({ op, text: line.slice(1) });
    else current.ops.push({ op: " ", text: line });
  }
  if (hunks.length === 0) {
    return {
      error:
        "no hunk found: each hunk starts with a line like @@ -12,3 +12,4 @@, then lines starting with ' ', '-' or '+'",
    };
  }
  for (const hunk of hunks) {
    // Blank lines after a hunk are separators, not context the file must contain.
    let last = hunk.ops[hunk.ops.length - 1];
    while (last && last.op === " " && last.text === "") {
      hunk.ops.pop();
      last = hunk.ops[hunk.ops.length - 1];
    }
    unprefix(hunk);
  }
  return { hunks };
}

/** Drops `N#hash:` prefixes when the model built the hunk from excerpt lines. */
function unprefix(hunk: Hunk): void {
  const stripped = stripLinePrefixes(
    hunk.ops
      .filter((o) => o.op !== "+")
      .map((o) => o.text)
      .join("\n"),
  );
  if (stripped === null) return;
  for (const o of hunk.ops) o.text = o.text.replace(/^\d+#[a-z]{4}:/, "");
}

export interface Placement {
  hunk: number;
  /** 1-based line in the patched text where the hunk's lines begin. */
  line: number;
  /** Lines the hunk occupies after patching (context plus added). */
  length: number;
  added: number;
  removed: number;
  moved: boolean;
  fuzzy: boolean;
}

export type ApplyResult =
  | { ok: true; lines: string[]; placements: Placement[] }
  | { ok: false; hunk: Hunk; reason: string; near: Candidate | null };

const squash = (s: string) => s.trim().replace(/\s+/g, " ");

/**
 * Applies every hunk to a copy of `original`, or none. Each hunk is tried exactly at
 * its stated line (shifted by earlier hunks), then exactly anywhere in the file, then
 * the same two whitespace-normalised; among several places the one nearest to the
 * stated line wins.
 */
export function applyHunks(original: readonly string[], hunks: readonly Hunk[]): ApplyResult {
  const lines = [...original];
  const placements: Placement[] = [];
  let delta = 0;
  for (const hunk of hunks) {
    const before = hunk.ops.filter((o) => o.op !== "+").map((o) => o.text);
    const added = hunk.ops.filter((o) => o.op === "+").length;
    const removed = hunk.ops.filter((o) => o.op === "-").length;
    if (added === 0 && removed === 0) continue;
    const stated = hunk.oldStart === null ? null : hunk.oldStart - 1 + delta;
    if (before.length === 0) {
      // A pure insertion: "@@ -N,0 ..." means after line N, and nothing else can place it.
      if (stated === null) {
        return { ok: false, hunk, reason: "it has no context lines and no line number to place it", near: null };
      }
      const at = Math.min(Math.max(stated + 1, 0), lines.length);
      const inserted = hunk.ops.map((o) => o.text);
      lines.splice(at, 0, ...inserted);
      record(
        placements,
        { hunk: hunk.index, line: at + 1, length: added, added, removed, moved: false, fuzzy: false },
        added,
      );
      delta += inserted.length;
      continue;
    }
    const found = locate(lines, before, stated);
    if ("error" in found) {
      const probe = findClosest([...original], before);
      const near =
        probe ??
        (hunk.oldStart === null ? null : { startLine: hunk.oldStart, endLine: hunk.oldStart + before.length - 1 });
      const nested = probe && !probe.firstDiff && probe.endLine - probe.startLine + 1 === before.length;
      const reason = nested
        ? `${found.error}; lines ${probe.startLine}-${probe.endLine} have its text, but indented so that they nest differently`
        : found.error;
      return { ok: false, hunk, reason, near };
    }
    const matched = lines.slice(found.at, found.at + before.length);
    const replacement = buildReplacement(hunk, matched, found.fuzzy);
    lines.splice(found.at, before.length, ...replacement);
    const moved = stated !== null && found.at !== stated;
    const placement = {
      hunk: hunk.index,
      line: found.at + 1,
      length: replacement.length,
      added,
      removed,
      moved,
      fuzzy: found.fuzzy,
    };
    record(placements, placement, replacement.length - before.length);
    delta += replacement.length - before.length;
  }
  return { ok: true, lines, placements };
}

/** Adds a placement, shifting earlier ones that sit below it (hunks sent out of order). */
function record(placements: Placement[], placement: Placement, shift: number): void {
  for (const p of placements) if (p.line > placement.line) p.line += shift;
  placements.push(placement);
}

function locate(
  lines: string[],
  before: string[],
  stated: number | null,
): { at: number; fuzzy: boolean } | { error: string } {
  const exact = (a: string, b: string) => a === b;
  const loose = (a: string, b: string) => squash(a) === squash(b);
  const fits = (at: number, eq: (a: string, b: string) => boolean) =>
    at >= 0 &&
    at + before.length <= lines.length &&
    before.every((b, j) => eq(lines[at + j], b)) &&
    // Whitespace-blind, but not blind to nesting: re-indenting onto another shape moves lines between blocks.
    (eq === exact || sameIndentShape(before, lines.slice(at, at + before.length)));
  // Exact text anywhere beats whitespace-only agreement at the stated line: models get
  // line numbers wrong far more often than they invent a second, exactly matching block.
  for (const [eq, fuzzy] of [
    [exact, false],
    [loose, true],
  ] as const) {
    if (stated !== null && fits(stated, eq)) return { at: stated, fuzzy };
    const all: number[] = [];
    for (let at = 0; at + before.length <= lines.length; at++) if (fits(at, eq)) all.push(at);
    if (all.length === 0) continue;
    if (all.length === 1) return { at: all[0], fuzzy };
    if (stated === null) {
      return {
        error: `its context matches ${all.length} places (lines ${all.map((a) => a + 1).join(", ")}) and the header gives no line number`,
      };
    }
    const sorted = [...all].sort((a, b) => Math.abs(a - stated) - Math.abs(b - stated));
    if (Math.abs(sorted[0] - stated) === Math.abs(sorted[1] - stated)) {
      return { error: `its context matches lines ${sorted[0] + 1} and ${sorted[1] + 1}, equally near the stated line` };
    }
    return { at: sorted[0], fuzzy };
  }
  return { error: "its context and removed lines were not found in the file (whitespace ignored)" };
}

/**
 * The lines that replace a match: context lines keep the file's own text (a fuzzy
 * match must not rewrite their whitespace), added lines are re-indented to the file.
 */
function buildReplacement(hunk: Hunk, matched: string[], fuzzy: boolean): string[] {
  const patchOld = hunk.ops.filter((o) => o.op !== "+").map((o) => o.text);
  const addedText = hunk.ops.filter((o) => o.op === "+").map((o) => o.text);
  const addedLines = fuzzy ? reindentLines(addedText, patchOld, matched) : addedText;
  const out: string[] = [];
  let oldIndex = 0;
  let addIndex = 0;
  for (const o of hunk.ops) {
    if (o.op === "+") out.push(addedLines[addIndex++]);
    else if (o.op === " ") out.push(matched[oldIndex++]);
    else oldIndex++;
  }
  return out;
}
