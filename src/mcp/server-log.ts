/**
 * Each server's stderr (and our own notes about it: started, exited, restarted), kept
 * as a bounded ring of recent lines in memory and appended to `<dir>/<name>.log` so
 * `parecode mcp logs NAME` can show it after the session. Every line is redacted before
 * it is stored anywhere.
 */

import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Redactor } from "./redact.js";

export interface ServerLog {
  /** A chunk of the server's stderr; partial lines wait for their end. */
  write(chunk: string): void;
  /** A line of our own, marked so it is not mistaken for the server's words. */
  note(text: string): void;
  /** The newest lines, oldest first. */
  tail(lines?: number): string[];
  /** Where the file is, when there is one. */
  readonly file?: string;
}

export interface ServerLogOptions {
  name: string;
  redact: Redactor;
  /** Directory for the log file; in memory only when absent. */
  dir?: string;
  /** Lines kept in memory (default 200). */
  maxLines?: number;
  /** The file is cut back to its newest part when it grows past this (default 1 MB). */
  maxFileBytes?: number;
}

const MAX_LINE_CHARS = 2_000;

export function createServerLog(options: ServerLogOptions): ServerLog {
  const maxLines = options.maxLines ?? 200;
  const maxFileBytes = options.maxFileBytes ?? 1_000_000;
  const ring: string[] = [];
  let partial = "";
  const file = options.dir ? openLogFile(options.dir, options.name, maxFileBytes) : undefined;
  let fileBytes = file ? sizeOf(file) : 0;

  const store = (line: string) => {
    const clean = options.redact(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    ring.push(clean);
    if (ring.length > maxLines) ring.splice(0, ring.length - maxLines);
    if (!file) return;
    try {
      // Synchronous on purpose: a few short lines, and nothing is lost when the process exits.
      appendFileSync(file, `${clean}\n`, { mode: 0o600 });
      fileBytes += Buffer.byteLength(clean) + 1;
      if (fileBytes > maxFileBytes) fileBytes = shrink(file, maxFileBytes);
    } catch {
      // A log that cannot be written must not take the server down; the ring still has it.
    }
  };

  return {
    file,
    write(chunk) {
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? "";
      if (partial.length > MAX_LINE_CHARS) {
        lines.push(partial);
        partial = "";
      }
      for (const line of lines) store(line);
    },
    note(text) {
      if (partial !== "") {
        store(partial);
        partial = "";
      }
      store(`[parecode ${new Date().toISOString()}] ${text}`);
    },
    tail(lines = maxLines) {
      return ring.slice(-lines);
    },
  };
}

/** `<dir>/<name>.log`, as written by earlier sessions: the newest lines, redacted again. */
export async function readLogTail(
  dir: string,
  name: string,
  lines: number,
  redact: Redactor,
): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(logPath(dir, name), "utf8");
  } catch {
    return undefined;
  }
  const all = text.split("\n");
  if (all.at(-1) === "") all.pop();
  return all.slice(-lines).map(redact);
}

export function logPath(dir: string, name: string): string {
  return path.join(dir, `${name}.log`);
}

function openLogFile(dir: string, name: string, maxBytes: number): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = logPath(dir, name);
    if (sizeOf(file) > maxBytes) shrink(file, maxBytes);
    return file;
  } catch {
    return undefined;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Keeps the newest quarter of the limit, from a line start; returns the new size. */
function shrink(file: string, maxBytes: number): number {
  const text = readFileSync(file, "utf8");
  let kept = text.slice(-Math.floor(maxBytes / 4));
  const newline = kept.indexOf("\n");
  if (newline >= 0) kept = kept.slice(newline + 1);
  writeFileSync(file, kept, { mode: 0o600 });
  return Buffer.byteLength(kept);
}
