import type { ReadCache } from "../context/read-cache.js";
import type { JsonSchema, Tool, ToolContext, ToolResult } from "../core/types.js";
import { type EditMatch, type MatchOutcome, matchEdit } from "./edit-match.js";
import {
  confirmWrite,
  errorResult,
  loadForRewrite,
  plural,
  renderAround,
  stringArg,
  toLf,
  writeFailure,
  writeFailureLabel,
} from "./file-common.js";
import {
  canonicalPath,
  encodeText,
  restoreLineEndings,
  splitLines,
  type TextFile,
  writeFileAtomic,
} from "./file-io.js";
import { lineHash, parseAnchor, renderLines, stripLinePrefixes } from "./line-hash.js";
import { resolveInProject } from "./path-safety.js";

export const EDIT_FILE_DESCRIPTION = "Replace old_str with new_str; old_str must match one place.";

export const EDIT_FILE_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string" },
    old_str: { type: "string" },
    new_str: { type: "string" },
    anchor: { type: "string", description: "N#hash of a line in old_str" },
  },
  required: ["path", "old_str", "new_str"],
};

export interface EditFileOptions {
  root: string;
  cache: ReadCache;
}

/** Lines of unchanged context shown on each side of an edit, for chaining further edits. */
const RESULT_CONTEXT = 2;
/** A longer changed region is shown as its first and last half of this many lines. */
const RESULT_MAX_CHANGED = 16;
const STALE_CONTEXT = 8;

export function createEditFileTool(options: EditFileOptions): Tool {
  return {
    name: "edit_file",
    description: EDIT_FILE_DESCRIPTION,
    parameters: EDIT_FILE_SCHEMA,
    mutates: true,
    async execute(args, ctx) {
      if (ctx.signal.aborted) return errorResult("edit cancelled", "Cancelled; the file was not changed.");
      try {
        return await editFile(options, args, ctx);
      } catch (err) {
        return errorResult("edit failed", `edit_file failed: ${(err as Error).message}. The file was not changed.`);
      }
    },
  };
}

async function editFile(
  options: EditFileOptions,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const pathArg = stringArg(args, "path", true);
  if ("error" in pathArg) return errorResult("edit: bad arguments", pathArg.error);
  const oldArg = stringArg(args, "old_str", true);
  if ("error" in oldArg) return errorResult("edit: bad arguments", oldArg.error);
  const newArg = stringArg(args, "new_str", true);
  if ("error" in newArg) return errorResult("edit: bad arguments", newArg.error);
  const anchorArg = stringArg(args, "anchor", false);
  if ("error" in anchorArg) return errorResult("edit: bad arguments", anchorArg.error);
  const resolved = resolveInProject(options.root, pathArg.value ?? "");
  if ("error" in resolved) return errorResult("edit: path refused", resolved.error);
  const rel = resolved.relative;
  const oldStr = toLf(oldArg.value ?? "");
  const newStr = toLf(newArg.value ?? "");
  if (oldStr === "") {
    return errorResult(
      `edit ${rel}: empty old_str`,
      "old_str is empty. To insert text, put the neighbouring line in old_str and that line plus the new text " +
        "in new_str; to create a file, use write_file.",
    );
  }
  if (oldStr === newStr) {
    return errorResult(`edit ${rel}: no change`, "old_str and new_str are identical; nothing to change.");
  }

  const file = await loadForRewrite(resolved.absolute, rel, "edit");
  if ("isError" in file) return file;

  const anchorText = anchorArg.value?.trim();
  let anchorLine: number | undefined;
  if (anchorText) {
    const anchor = parseAnchor(anchorText);
    if (!anchor) {
      return errorResult(
        `edit ${rel}: bad anchor`,
        `anchor "${anchorText}" is not N#hash as read_file prints it (e.g. 12#bako); retry with one or without anchor.`,
      );
    }
    const current = file.lines[anchor.line - 1];
    if (current === undefined || lineHash(current) !== anchor.hash) {
      return staleAnchor(rel, file, anchor.line, anchor.hash);
    }
    anchorLine = anchor.line;
  }

  let outcome = matchEdit(file.text, oldStr, newStr, anchorLine);
  if (outcome.kind === "none") {
    // Excerpt lines pasted with their N#hash: prefixes still mean the same text.
    const stripped = stripLinePrefixes(oldStr);
    if (stripped !== null) {
      const retry = matchEdit(file.text, stripped, stripLinePrefixes(newStr) ?? newStr, anchorLine);
      if (retry.kind !== "none") outcome = retry;
    }
  }
  if (outcome.kind !== "one") {
    return matchFailure(rel, file, outcome, (oldStr.endsWith("\n") ? oldStr.slice(0, -1) : oldStr).split("\n").length);
  }
  return apply(options, resolved.absolute, rel, file, outcome.match, ctx);
}

function staleAnchor(rel: string, file: TextFile, line: number, hash: string): ToolResult {
  const total = file.lines.length;
  const at = Math.min(Math.max(line, 1), Math.max(total, 1));
  const from = Math.max(1, at - STALE_CONTEXT);
  const to = Math.min(total, at + STALE_CONTEXT);
  const moved = file.lines.flatMap((l, i) => (lineHash(l) === hash ? [i + 1] : []));
  const movedNote = moved.length === 1 ? ` (a line with hash ${hash} is now line ${moved[0]})` : "";
  const where = line > total ? `the file now has only ${total} lines` : `line ${line} is different now${movedNote}`;
  return errorResult(
    `edit ${rel}: stale anchor`,
    `File changed since you read it: ${where}. Nothing was changed. Current lines ${from}-${to}:\n` +
      `${renderLines(file.lines, from, to)}\nRetry with old_str and anchor taken from these lines.`,
  );
}

function matchFailure(
  rel: string,
  file: TextFile,
  outcome: Exclude<MatchOutcome, { kind: "one" }>,
  oldLineCount: number,
): ToolResult {
  if (outcome.kind === "many") {
    const places = outcome.matches.map((m) => lineSpan(m.startLine, m.endLine)).join(", ");
    const why = outcome.ambiguousAnchor
      ? "The anchor line is equally near to more than one of them."
      : "Add a neighbouring line to old_str to make it unique, or pass anchor (N#hash of a line inside the one you mean).";
    return errorResult(
      `edit ${rel}: ${outcome.matches.length} matches`,
      `old_str matches ${outcome.matches.length} places in ${rel}: ${places}. Nothing was changed. ${why}\n` +
        renderAround(file.lines, outcome.matches.slice(0, 3)),
    );
  }
  const closest = outcome.closest;
  if (!closest) {
    return errorResult(
      `edit ${rel}: no match`,
      `old_str was not found in ${rel} (${plural(file.lines.length, "line")}), nor anything similar ` +
        "(whitespace and indentation ignored). Nothing was changed. Check the path, or find the text with search.",
    );
  }
  const diff = closest.firstDiff;
  const diffNote = diff
    ? ` First difference at line ${diff.line}:\n  old_str: ${JSON.stringify(diff.expected)}\n  file:    ${JSON.stringify(diff.actual)}`
    : closest.endLine - closest.startLine + 1 < oldLineCount
      ? " old_str runs past the end of the file."
      : " Its lines are old_str's, but indented so that they nest differently (a line sits in another block).";
  return errorResult(
    `edit ${rel}: no match`,
    `old_str was not found in ${rel} (whitespace and indentation ignored). Nothing was changed. ` +
      `Closest: ${lineSpan(closest.startLine, closest.endLine)}.${diffNote}\n` +
      `${renderAround(file.lines, [closest])}\nCopy old_str from these lines (without the N#hash: prefixes) and retry.`,
  );
}

async function apply(
  options: EditFileOptions,
  absolute: string,
  rel: string,
  file: TextFile,
  match: EditMatch,
  ctx: ToolContext,
): Promise<ToolResult> {
  const newText = file.text.slice(0, match.start) + match.replacement + file.text.slice(match.end);
  if (newText === file.text) {
    return errorResult(`edit ${rel}: no change`, "new_str equals the text it would replace; nothing to change.");
  }
  const refused = await confirmWrite(ctx, rel, file.text, newText, "edit");
  if (refused) return refused;
  const raw = restoreLineEndings(file, newText);
  try {
    await writeFileAtomic(absolute, encodeText(raw, file));
  } catch (err) {
    return errorResult(`edit ${rel}: ${writeFailureLabel(err)}`, writeFailure(rel, err, "Nothing was changed."));
  }
  options.cache.invalidate(await canonicalPath(absolute));

  const lines = splitLines(newText);
  const startLine = newText.slice(0, match.start).split("\n").length;
  const replaced = match.replacement;
  // The line holding the replacement's last character (its final "\n" belongs to that line).
  const endLine =
    replaced === "" ? startLine - 1 : newText.slice(0, match.start + replaced.length - 1).split("\n").length;
  const shift = lines.length - file.lines.length;
  const removed = endLine < startLine;
  const span = removed ? `removed ${lineSpan(match.startLine, match.endLine)}` : lineSpan(startLine, endLine);
  const shiftNote = shift === 0 ? "" : `; later lines moved ${shift > 0 ? "+" : ""}${shift}`;
  const how =
    match.strategy === "indentation"
      ? " (matched ignoring indentation; new_str re-indented to fit)"
      : match.strategy === "trailing-whitespace"
        ? " (matched ignoring trailing whitespace)"
        : "";
  return {
    content: `Edited ${rel}: ${removed ? span : `now ${span}`}${shiftNote}${how}\n${showChange(lines, startLine, endLine)}`,
    display: `edit ${rel} (${span})`,
    isError: false,
    filesChanged: [rel],
  };
}

function lineSpan(start: number, end: number): string {
  return start >= end ? `line ${start}` : `lines ${start}-${end}`;
}

/** The changed lines with a little context, numbered and hashed for the next edit. */
function showChange(lines: string[], startLine: number, endLine: number): string {
  const from = Math.max(1, startLine - RESULT_CONTEXT);
  const to = Math.min(lines.length, Math.max(endLine, startLine - 1) + RESULT_CONTEXT);
  if (endLine - startLine + 1 <= RESULT_MAX_CHANGED) return renderLines(lines, from, to);
  const half = RESULT_MAX_CHANGED / 2;
  return `${renderLines(lines, from, startLine + half - 1)}\n…\n${renderLines(lines, endLine - half + 1, to)}`;
}
