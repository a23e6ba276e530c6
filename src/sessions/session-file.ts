/**
 * Reading session files. A file written by a run that crashed or was killed must still
 * open: a cut-off or corrupt line is skipped with a warning for the caller to show, and
 * never throws. Only a missing or unreadable header, or one from a newer format, is an
 * error, because then nothing in the file can be trusted.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { ParecodeError } from "../core/errors.js";
import { SESSION_FORMAT_VERSION, type SessionEntry, type SessionHeader } from "./types.js";

/** A session file that cannot be used. Exit 1. */
export class SessionFormatError extends ParecodeError {
  constructor(message: string) {
    super(message, 1);
  }
}

export interface ParsedSessionFile {
  header: SessionHeader;
  /** Valid entries in file order. */
  entries: SessionEntry[];
  warnings: string[];
  /** False when the file does not end with a newline (a cut-off last line): the next append starts a new line. */
  endsWithNewline: boolean;
}

const ENTRY_TYPES = new Set(["task", "assistant", "event", "rename", "rollback"]);

export function parseSessionText(text: string, file: string): ParsedSessionFile {
  const lines = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  // split leaves "" after a final newline; a non-empty last element is a line cut short.
  if (endsWithNewline) lines.pop();
  const header = parseHeader(lines[0] ?? "", file);
  const entries: SessionEntry[] = [];
  const warnings: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const isLast = i === lines.length - 1;
    const entry = parseEntry(line);
    if (typeof entry === "string") {
      warnings.push(
        isLast && !endsWithNewline
          ? `${file}: the last line is incomplete (the run was probably stopped while writing it); it was skipped.`
          : `${file}: line ${i + 1} ${entry}; it was skipped.`,
      );
      continue;
    }
    entries.push(entry);
  }
  return { header, entries, warnings, endsWithNewline: endsWithNewline || text === "" };
}

/** The header alone, reading only the start of the file: listing many sessions stays cheap. */
export function readHeader(file: string): SessionHeader {
  const fd = openSync(file, "r");
  try {
    const chunk = Buffer.alloc(64 * 1024);
    const read = readSync(fd, chunk, 0, chunk.length, 0);
    const text = chunk.subarray(0, read).toString("utf8");
    const end = text.indexOf("\n");
    return parseHeader(end < 0 ? text : text.slice(0, end), file);
  } finally {
    closeSync(fd);
  }
}

function parseHeader(line: string, file: string): SessionHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SessionFormatError(
      `${file} does not start with a session header; it is not a parecode session file, or it was cut off while being created. Delete it if it is not needed.`,
    );
  }
  if (!isRecord(value) || value.type !== "session" || typeof value.id !== "string") {
    throw new SessionFormatError(`${file} does not start with a session header; it is not a parecode session file.`);
  }
  const version = value.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new SessionFormatError(`${file} has no valid format version in its header; it cannot be read.`);
  }
  if (version > SESSION_FORMAT_VERSION) {
    throw new SessionFormatError(
      `Session ${value.id} was written by a newer parecode (session format ${version}; this version reads format ${SESSION_FORMAT_VERSION}). Upgrade parecode to open it.`,
    );
  }
  if (typeof value.root !== "string" || typeof value.created !== "string") {
    throw new SessionFormatError(`${file} has a header without a project root or creation time; it cannot be read.`);
  }
  return value as unknown as SessionHeader;
}

/** The entry, or why the line is unusable. */
function parseEntry(line: string): SessionEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "is not valid JSON";
  }
  if (!isRecord(value) || typeof value.id !== "string" || !("parentId" in value)) {
    return "is not a session entry";
  }
  if (typeof value.type !== "string" || !ENTRY_TYPES.has(value.type)) {
    return `has an unknown entry type (${JSON.stringify(value.type)})`;
  }
  return value as unknown as SessionEntry;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
