/**
 * `.parecode/telemetry.jsonl`: one JSON record per line, appended after every task. A
 * line that is cut off or edited into something else is skipped with a warning; the
 * others still count.
 *
 * The folder gets a `.gitignore` naming the file the first time parecode writes it, so
 * the numbers stay on this machine instead of riding along in the next commit.
 */
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { TELEMETRY_VERSION, type TelemetryRecord } from "./record.js";

export const TELEMETRY_FILE = path.join(".parecode", "telemetry.jsonl");

export function telemetryPath(root: string): string {
  return path.join(root, TELEMETRY_FILE);
}

export async function appendTelemetry(root: string, record: TelemetryRecord): Promise<void> {
  const file = telemetryPath(root);
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  // "wx": never touch a .gitignore the project already has.
  await writeFile(path.join(dir, ".gitignore"), "telemetry.jsonl\n", { flag: "wx" }).catch(() => undefined);
  await appendFile(file, `${JSON.stringify(record)}\n`);
}

export interface SkippedLine {
  /** 1-based. */
  line: number;
  reason: string;
}

export interface TelemetryLog {
  records: TelemetryRecord[];
  skipped: SkippedLine[];
  /** False when the project has no telemetry file yet. */
  exists: boolean;
}

export async function readTelemetry(root: string): Promise<TelemetryLog> {
  let text: string;
  try {
    text = await readFile(telemetryPath(root), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { records: [], skipped: [], exists: false };
    throw err;
  }
  return { ...parseTelemetry(text), exists: true };
}

export function parseTelemetry(text: string): { records: TelemetryRecord[]; skipped: SkippedLine[] } {
  const records: TelemetryRecord[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      skipped.push({ line: index + 1, reason: "not valid JSON (cut off or edited?)" });
      return;
    }
    const problem = recordProblem(value);
    if (problem) skipped.push({ line: index + 1, reason: problem });
    else records.push(value as TelemetryRecord);
  });
  return { records, skipped };
}

const NUMBER_FIELDS = [
  "durationMs",
  "turns",
  "toolCalls",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "compressionRatio",
  "peakContextPct",
  "filesChanged",
  "verifiedFiles",
  "failedFiles",
] as const;

function recordProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a record";
  const record = value as Record<string, unknown>;
  if (record.v !== TELEMETRY_VERSION) return `unknown record version ${JSON.stringify(record.v)}`;
  if (typeof record.ts !== "string" || Number.isNaN(Date.parse(record.ts))) return "no valid ts";
  if (typeof record.model !== "string") return "no model";
  for (const field of NUMBER_FIELDS) {
    if (typeof record[field] !== "number" || !Number.isFinite(record[field])) return `${field} is not a number`;
  }
  if (record.costUsd !== null && typeof record.costUsd !== "number") return "costUsd is not a number";
  return undefined;
}
