/**
 * Carry-forward summaries: what a finished step left behind, for the steps after it. A
 * later step sees these few lines instead of the earlier step's conversation — the files
 * it changed and which top-level declarations in them were added, changed or removed —
 * so it knows the exact names to build on without the code or the history. Deterministic
 * (a symbol diff of the files before and after), no model call, about five lines a step.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { extractSymbols } from "../context/symbols/index.js";

/** A file's text before the step: null when it did not exist, undefined when nobody saw it. */
export type BeforeTexts = ReadonlyMap<string, string | null>;

export interface StepSummaryInput {
  root: string;
  /** 1-based. */
  number: number;
  description: string;
  /** Project-relative paths the step changed. */
  changed: readonly string[];
  before: BeforeTexts;
  /** What verification said, when it checked something. */
  verified?: string;
}

/** Files listed by name in a summary; the rest are counted. */
export const SUMMARY_MAX_FILES = 4;
const MAX_NAMES = 6;

export async function summariseStep(input: StepSummaryInput): Promise<string> {
  const lines = [`Step ${input.number} (done): ${input.description}`];
  const files = [...new Set(input.changed)].sort();
  for (const file of files.slice(0, SUMMARY_MAX_FILES)) {
    lines.push(`  ${await describeFileChange(input.root, file, input.before)}`);
  }
  if (files.length > SUMMARY_MAX_FILES) lines.push(`  and ${files.length - SUMMARY_MAX_FILES} more files`);
  if (files.length === 0) lines.push("  changed no files");
  if (input.verified) lines.push(`  verified: ${input.verified}`);
  return lines.join("\n");
}

async function describeFileChange(root: string, file: string, before: BeforeTexts): Promise<string> {
  const after = await readFile(path.join(root, file), "utf8").catch(() => null);
  if (after === null) return `deleted ${file}`;
  const old = before.get(file);
  if (old === null) {
    const names = topLevel(await symbolsOf(file, after)).map((s) => s.name);
    return names.length > 0 ? `created ${file}: ${listNames(names)}` : `created ${file}`;
  }
  if (old === undefined) return `modified ${file} (by a command)`;
  const diff = await symbolDiff(file, old, after);
  const parts: string[] = [];
  if (diff.added.length > 0) parts.push(`added ${listNames(diff.added)}`);
  if (diff.changed.length > 0) parts.push(`changed ${listNames(diff.changed)}`);
  if (diff.removed.length > 0) parts.push(`removed ${listNames(diff.removed)}`);
  return parts.length > 0 ? `modified ${file}: ${parts.join("; ")}` : `modified ${file}`;
}

export interface SymbolDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Top-level declarations added, changed (their text differs) and removed between two
 * versions of a file. A declaration's text runs to the next top-level declaration, so a
 * method edited inside a class shows as the class changing.
 */
export async function symbolDiff(file: string, before: string, after: string): Promise<SymbolDiff> {
  const old = bodies(before, topLevel(await symbolsOf(file, before)));
  const now = bodies(after, topLevel(await symbolsOf(file, after)));
  const added: string[] = [];
  const changed: string[] = [];
  for (const [name, text] of now) {
    const was = old.get(name);
    if (was === undefined) added.push(name);
    else if (was !== text) changed.push(name);
  }
  const removed = [...old.keys()].filter((name) => !now.has(name));
  return { added, changed, removed };
}

interface TopSymbol {
  name: string;
  line: number;
}

async function symbolsOf(file: string, text: string): Promise<TopSymbol[]> {
  // The regex extractor: no grammar to load, and the same answer on every run.
  return extractSymbols(file, text, { engine: "regex" });
}

function topLevel(symbols: Array<TopSymbol & { parent?: string }>): TopSymbol[] {
  return symbols.filter((s) => s.parent === undefined);
}

/** Name → the declaration's lines up to the next top-level one (repeated names keep their first). */
function bodies(text: string, symbols: TopSymbol[]): Map<string, string> {
  const lines = text.split("\n");
  const out = new Map<string, string>();
  symbols.forEach((symbol, i) => {
    const end = i + 1 < symbols.length ? symbols[i + 1].line - 1 : lines.length;
    if (!out.has(symbol.name))
      out.set(
        symbol.name,
        lines
          .slice(symbol.line - 1, end)
          .join("\n")
          .trimEnd(),
      );
  });
  return out;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, MAX_NAMES).join(", ");
  return names.length > MAX_NAMES ? `${shown} +${names.length - MAX_NAMES}` : shown;
}
