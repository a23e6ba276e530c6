/**
 * Reading and writing text files without disturbing what the model cannot see:
 * encoding, byte-order mark, line endings and the final newline survive an edit, and
 * a write is atomic (temp file in the same folder, then rename), so a crash or a
 * cancelled call never leaves a half-written file.
 */

import { isUtf8 } from "node:buffer";
import { randomBytes } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { access, lstat, mkdir, open, readFile, readlink, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { trackTemp, untrackTemp } from "../core/temp-files.js";

export type Encoding = "utf8" | "utf16le" | "utf16be";
export type Eol = "\n" | "\r\n";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const SNIFF_BYTES = 8192;

export interface TextFormat {
  encoding: Encoding;
  bom: boolean;
  /** The dominant line ending; new lines get it. */
  eol: Eol;
}

export interface TextFile extends TextFormat {
  /** The content with every line ending turned into "\n" (final newline included). */
  text: string;
  /** `text` split into lines, without the empty string a final newline would add. */
  lines: string[];
  /** The original ending after each line ("" after the last when there is no final newline). */
  lineEols: string[];
  finalNewline: boolean;
  /** True when invalid UTF-8 bytes were replaced: showing is fine, writing back is not. */
  lossy: boolean;
}

export type LoadFailure = "missing" | "directory" | "not_file" | "binary" | "too_large" | "io";

export type LoadResult =
  | { ok: true; file: TextFile; stats: Stats }
  | { ok: false; reason: LoadFailure; message: string; stats?: Stats };

/** Loads a text file, refusing directories, binaries and files over `maxBytes`. */
export async function loadTextFile(
  absolute: string,
  shownPath: string,
  maxBytes = MAX_FILE_BYTES,
): Promise<LoadResult> {
  let stats: Stats;
  try {
    stats = await stat(absolute);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      return { ok: false, reason: "missing", message: `${shownPath} does not exist` };
    }
    return { ok: false, reason: "io", message: `cannot stat ${shownPath}: ${(err as Error).message}` };
  }
  if (stats.isDirectory()) {
    return { ok: false, reason: "directory", stats, message: `${shownPath} is a directory, not a file` };
  }
  if (!stats.isFile()) return { ok: false, reason: "not_file", stats, message: `${shownPath} is not a regular file` };
  if (stats.size > maxBytes) {
    const mb = (stats.size / 1024 / 1024).toFixed(1);
    return {
      ok: false,
      reason: "too_large",
      stats,
      message: `${shownPath} is ${mb} MB, over the ${maxBytes / 1024 / 1024} MB limit`,
    };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (err) {
    return { ok: false, reason: "io", stats, message: `cannot read ${shownPath}: ${(err as Error).message}` };
  }
  const decoded = decodeBytes(bytes);
  if (!decoded) {
    return { ok: false, reason: "binary", stats, message: `${shownPath} is a binary file (${stats.size} bytes)` };
  }
  return { ok: true, stats, file: parseText(decoded.text, decoded) };
}

/** Decodes file bytes, or returns null for content that is not text. */
export function decodeBytes(bytes: Buffer): { text: string; encoding: Encoding; bom: boolean; lossy: boolean } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3), true);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: bytes.subarray(2).toString("utf16le"), encoding: "utf16le", bom: true, lossy: false };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = Buffer.from(bytes.subarray(2));
    body.subarray(0, body.length - (body.length % 2)).swap16();
    return { text: body.toString("utf16le"), encoding: "utf16be", bom: true, lossy: false };
  }
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return null;
  return decodeUtf8(bytes, false);
}

function decodeUtf8(
  bytes: Buffer,
  bom: boolean,
): { text: string; encoding: Encoding; bom: boolean; lossy: boolean } | null {
  const text = bytes.toString("utf8");
  if (isUtf8(bytes)) return { text, encoding: "utf8", bom, lossy: false };
  let replaced = 0;
  for (const ch of text) if (ch === "\ufffd") replaced++;
  // A few bad bytes (a Latin-1 © in a comment) still make a readable file; many mean binary.
  if (replaced > 8 && replaced * 100 > text.length) return null;
  return { text, encoding: "utf8", bom, lossy: true };
}

export function parseText(raw: string, format: { encoding: Encoding; bom: boolean; lossy?: boolean }): TextFile {
  const lines: string[] = [];
  const lineEols: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  for (;;) {
    const nl = raw.indexOf("\n", start);
    if (nl === -1) break;
    const isCrlf = nl > start && raw.charCodeAt(nl - 1) === 13;
    if (isCrlf) crlf++;
    else lf++;
    lines.push(raw.slice(start, isCrlf ? nl - 1 : nl));
    lineEols.push(isCrlf ? "\r\n" : "\n");
    start = nl + 1;
  }
  const finalNewline = start === raw.length && lines.length > 0;
  if (!finalNewline) {
    lines.push(raw.slice(start));
    lineEols.push("");
  }
  if (raw === "") {
    lines.length = 0;
    lineEols.length = 0;
  }
  return {
    text: lines.join("\n") + (finalNewline ? "\n" : ""),
    lines,
    lineEols,
    finalNewline,
    eol: crlf > lf ? "\r\n" : "\n",
    encoding: format.encoding,
    bom: format.bom,
    lossy: format.lossy ?? false,
  };
}

/** Splits LF text into lines the way `parseText` does (no trailing empty line). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

/**
 * Turns edited LF text back into the file's own line endings. Lines the edit did not
 * touch (the common prefix and suffix) keep their original ending, so a file with mixed
 * endings is not rewritten wholesale; new lines get the dominant one. The final newline
 * is present exactly when it was before: models routinely add or drop it by accident.
 */
export function restoreLineEndings(original: TextFile, newText: string): string {
  const next = splitLines(newText);
  const old = original.lines;
  const finalNewline = old.length === 0 ? newText.endsWith("\n") : original.finalNewline;
  const lastEol = finalNewline ? original.lineEols[old.length - 1] || original.eol : "";
  let prefix = 0;
  const limit = Math.min(old.length, next.length);
  while (prefix < limit && old[prefix] === next[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && old[old.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  let out = "";
  for (let i = 0; i < next.length; i++) {
    let eol: string = original.eol;
    if (i === next.length - 1) eol = lastEol;
    else if (i < prefix && i < old.length - 1) eol = original.lineEols[i];
    else if (i >= next.length - suffix) {
      const j = i - next.length + old.length;
      if (j < old.length - 1) eol = original.lineEols[j];
    }
    out += next[i] + eol;
  }
  return out;
}

/** Encodes text (already carrying its line endings) in the given encoding, BOM included. */
export function encodeText(raw: string, format: { encoding: Encoding; bom: boolean }): Buffer {
  if (format.encoding === "utf8") {
    const body = Buffer.from(raw, "utf8");
    return format.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  }
  const bytes = Buffer.from(format.bom ? `\ufeff${raw}` : raw, "utf16le");
  if (format.encoding === "utf16be") bytes.swap16();
  return bytes;
}

/**
 * An existing file the user has not let us change. The atomic write replaces the file by
 * renaming over it, which needs only the folder to be writable, so without this check a
 * 0444 file would be replaced silently (and as root, always).
 */
export class ReadOnlyFileError extends Error {
  readonly code = "EACCES";
  /** The file's permission bits. */
  readonly mode: number;
  /** True when no write bit is set at all; false when the bits allow someone else, not us. */
  readonly noWriteBits: boolean;
  constructor(file: string, mode: number, noWriteBits: boolean) {
    super(`${file} is not writable (mode ${formatMode(mode)})`);
    this.mode = mode;
    this.noWriteBits = noWriteBits;
  }
}

export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/**
 * Throws ReadOnlyFileError when `file` exists and may not be written: no write bit at all
 * (which also stops root, for whom access() always succeeds), or access(W_OK) fails.
 */
export async function assertWritable(file: string, stats: Stats): Promise<void> {
  const mode = stats.mode & 0o7777;
  if ((mode & 0o222) === 0) throw new ReadOnlyFileError(file, mode, true);
  try {
    await access(file, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") throw new ReadOnlyFileError(file, mode, false);
  }
}

/**
 * Writes `data` atomically. An existing file keeps its permission bits (a 755 script
 * stays executable) and must be writable (ReadOnlyFileError otherwise); a symlink inside
 * the project is written through, not replaced (a dangling one gets its target created).
 * Parent folders are created. Throws on failure; the temp file is removed.
 */
export async function writeFileAtomic(absolute: string, data: Buffer | string): Promise<void> {
  const target = await resolveLinkTarget(absolute);
  let mode: number | undefined;
  const existing = await stat(target).catch(() => undefined);
  if (existing) {
    await assertWritable(target, existing);
    mode = existing.mode & 0o7777;
  }
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", mode ?? 0o666);
  trackTemp(temp);
  try {
    await handle.writeFile(data);
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  } finally {
    untrackTemp(temp);
  }
}

/** Link hops followed through dangling symlinks (the kernel's own limit). */
const MAX_LINK_HOPS = 40;

/**
 * Where writing `absolute` should land: the file itself, or a symlink's target. A
 * dangling link is followed by hand, so its missing target is created (as `echo > link`
 * would) instead of the link being replaced by a file. Path safety vetted the chain.
 */
async function resolveLinkTarget(absolute: string): Promise<string> {
  let current = absolute;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    let link: string;
    try {
      if (!(await lstat(current)).isSymbolicLink()) return current;
      link = await readlink(current);
    } catch {
      return current;
    }
    try {
      return await realpath(current);
    } catch {
      current = path.resolve(path.dirname(current), link);
    }
  }
  return current;
}

/** The canonical path of a file for cache keys: two spellings of one file share reads. */
export async function canonicalPath(absolute: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch {
    return absolute;
  }
}
