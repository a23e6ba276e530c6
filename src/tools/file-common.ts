/** Small pieces the file tools share: argument reading, error results, context windows. */
import type { ToolContext, ToolResult } from "../core/types.js";
import { assertWritable, formatMode, loadTextFile, ReadOnlyFileError, type TextFile } from "./file-io.js";
import { renderLines } from "./line-hash.js";

/** Lines of context shown around a failed match so the model can retry without a re-read. */
export const FAILURE_CONTEXT = 15;
/** Most lines a failure message shows in total, whatever the number of candidates. */
const MAX_FAILURE_LINES = 80;

export function errorResult(display: string, content: string): ToolResult {
  return { content, display, isError: true };
}

export type ArgResult<T> = { value: T } | { error: string };

/** Reads a string argument; the registry validates types, this is a second line of defence. */
/**
 * Why a write failed, in words that name the fix. The atomic write leaves the original
 * untouched and removes its temp file, so `outcome` can promise nothing changed.
 */
export function writeFailure(rel: string, err: unknown, outcome: string): string {
  if (err instanceof ReadOnlyFileError) {
    const mode = formatMode(err.mode);
    return err.noWriteBits
      ? `permission denied: ${rel} is read-only (mode ${mode}); make it writable with chmod u+w if the change is intended. ${outcome}`
      : `permission denied: ${rel} is not writable by this user (mode ${mode}); check its owner and permissions if the change is intended. ${outcome}`;
  }
  const code = (err as NodeJS.ErrnoException).code;
  const message = (err as Error).message;
  const fix =
    code === "ENOSPC" || code === "EDQUOT"
      ? " The disk is full: free some space, then retry."
      : code === "EACCES" || code === "EPERM"
        ? " parecode may not write there: check the file's permissions."
        : code === "EROFS"
          ? " The file system is read-only."
          : "";
  return `cannot write ${rel}: ${message}. ${outcome}${fix}`;
}

export function stringArg(
  args: Record<string, unknown>,
  name: string,
  required: boolean,
): ArgResult<string | undefined> {
  const value = args[name];
  if (value === undefined || value === null) {
    return required ? { error: `missing required argument "${name}" (a string)` } : { value: undefined };
  }
  if (typeof value !== "string") return { error: `argument "${name}" must be a string, got ${typeof value}` };
  return { value };
}

export function booleanArg(args: Record<string, unknown>, name: string): ArgResult<boolean> {
  const value = args[name];
  if (value === undefined || value === null) return { value: false };
  if (typeof value === "boolean") return { value };
  if (value === "true" || value === "false") return { value: value === "true" };
  return { error: `argument "${name}" must be true or false` };
}

/** CRLF from the model is never meant literally: files are matched and written in LF. */
export function toLf(text: string): string {
  return text.replace(/\r\n/g, "\n");
}

export interface Span {
  startLine: number;
  endLine: number;
}

/**
 * Numbered, hashed lines around each span (±`context`), overlapping windows merged and
 * separated by "…", capped so many candidates cannot flood the context.
 */
export function renderAround(lines: readonly string[], spans: readonly Span[], context = FAILURE_CONTEXT): string {
  const windows: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.startLine - b.startLine)) {
    const w = { startLine: Math.max(1, s.startLine - context), endLine: Math.min(lines.length, s.endLine + context) };
    const last = windows[windows.length - 1];
    if (last && w.startLine <= last.endLine + 1) last.endLine = Math.max(last.endLine, w.endLine);
    else windows.push(w);
  }
  const parts: string[] = [];
  let budget = MAX_FAILURE_LINES;
  for (const w of windows) {
    if (budget <= 0) break;
    const end = Math.min(w.endLine, w.startLine + budget - 1);
    parts.push(renderLines(lines, w.startLine, end));
    budget -= end - w.startLine + 1;
  }
  return parts.join("\n…\n");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The end of a failed write's one-line display. */
export function writeFailureLabel(err: unknown): string {
  return err instanceof ReadOnlyFileError ? "read-only" : "write failed";
}

/**
 * Loads a file an edit or patch will rewrite, or the error result that says why it cannot.
 * A file the user may not write is refused here, before any matching, so the model does
 * not fix its old_str only to be refused afterwards.
 */
export async function loadForRewrite(absolute: string, rel: string, verb: string): Promise<TextFile | ToolResult> {
  const loaded = await loadTextFile(absolute, rel);
  if (!loaded.ok) {
    const hint = loaded.reason === "missing" ? " To create it, use write_file." : "";
    return errorResult(`${verb} ${rel}: ${loaded.reason.replace("_", " ")}`, `${loaded.message}.${hint}`);
  }
  try {
    await assertWritable(absolute, loaded.stats);
  } catch (err) {
    return errorResult(`${verb} ${rel}: ${writeFailureLabel(err)}`, writeFailure(rel, err, "Nothing was changed."));
  }
  if (loaded.file.lossy) {
    return errorResult(
      `${verb} ${rel}: not UTF-8`,
      `${rel} contains bytes that are not valid UTF-8; rewriting it would corrupt them. Use bash (e.g. sed) instead.`,
    );
  }
  return loaded.file;
}

/**
 * Asks for approval of a write when the permission policy wants a person to see it first.
 * Returns the error result to give the model when refused, or null to go ahead.
 */
export async function confirmWrite(
  ctx: ToolContext,
  rel: string,
  before: string | null,
  after: string,
  verb: string,
): Promise<ToolResult | null> {
  if (!ctx.approveWrite) return null;
  const approval = await ctx.approveWrite({ path: rel, before, after });
  if (approval.approved) return null;
  return errorResult(`${verb} ${rel}: not approved`, `${approval.message} Nothing was written.`);
}
