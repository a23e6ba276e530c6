/** Reading and indexing one file: shared by the main thread and parse workers so both index identically. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { extractSymbols } from "./extract.js";
import type { FileSymbol } from "./types.js";

export interface IndexedFile {
  lines: number;
  symbols: FileSymbol[];
}

/** undefined when the file vanished or cannot be read since the walk listed it. */
export async function indexFile(
  root: string,
  file: string,
  engine?: "auto" | "regex",
): Promise<IndexedFile | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(root, file), "utf8");
  } catch {
    return undefined;
  }
  return { lines: countLines(text), symbols: await extractSymbols(file, text, { engine }) };
}

export function countLines(text: string): number {
  if (text === "") return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n - 1 : n;
}
