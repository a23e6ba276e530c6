import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ToolContext } from "../../src/core/types.js";

/** A disposable project directory filled with `files` (path → content). */
export async function makeTree(
  files: Record<string, string | Buffer>,
): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), "parecode-tools-"));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function toolContext(callId = "call_1", signal: AbortSignal = new AbortController().signal): ToolContext {
  return { signal, callId, turn: 1 };
}
