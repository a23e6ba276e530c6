/**
 * Stale reads leave the context. Once a file is edited, what an earlier read_file showed
 * of it is wrong in the ways that matter: its line numbers and N#hash anchors no longer
 * hold, and the model may copy an old_str that is gone. Each such read result is replaced
 * by one line pointing at the edit's own result, which shows the fresh lines around the
 * change; the model reads again if it needs another part. Deterministic, no model call.
 */
import path from "node:path";
import type { Message, ToolCall } from "../core/types.js";
import { isCompressed } from "./compress.js";

/** One tool call that changed files (edit_file, patch_file, write_file, …). */
export interface FileChange {
  callId: string;
  toolName: string;
  /** Project-relative paths as the tool reported them. */
  files: string[];
}

/** Every replaced read starts with this, so a read is never replaced twice. */
export const STALE_PREFIX = "[stale read: ";

/** Tools whose results show file text that an edit makes stale. */
const READ_TOOLS = new Set(["read_file"]);

export function staleReadNote(file: string, change: FileChange): string {
  return `${STALE_PREFIX}${file} changed after this read; its fresh lines are in the ${change.toolName} result (call ${change.callId}). Read again for other parts.]`;
}

/**
 * Returns the history with every successful read of a changed file that comes before the
 * change replaced by a one-line note (a new array; messages are never mutated), and how
 * many reads were replaced. `root` lets absolute paths in read calls match.
 */
export function replaceStaleReads(
  messages: readonly Message[],
  changes: readonly FileChange[],
  root?: string,
): { messages: Message[]; replaced: number } {
  const out = [...messages];
  if (changes.length === 0) return { messages: out, replaced: 0 };
  const calls = new Map<string, ToolCall>();
  for (const m of out) {
    if (m.role === "assistant") for (const call of m.toolCalls ?? []) calls.set(call.id, call);
  }
  let replaced = 0;
  for (const change of changes) {
    const at = out.findIndex((m) => m.role === "tool" && m.toolCallId === change.callId);
    if (at < 0) continue;
    const changed = new Set(change.files.map((file) => normalisePath(file, root)));
    for (let i = 0; i < at; i++) {
      const message = out[i];
      if (message.role !== "tool" || !READ_TOOLS.has(message.toolName) || message.isError) continue;
      if (message.content.startsWith(STALE_PREFIX) || isCompressed(message.content)) continue;
      const target = calls.get(message.toolCallId)?.args.path;
      if (typeof target !== "string") continue;
      const file = normalisePath(target, root);
      if (!changed.has(file)) continue;
      out[i] = { ...message, content: staleReadNote(file, change) };
      replaced++;
    }
  }
  return { messages: out, replaced };
}

/** "./src/a.ts", "src//a.ts" and "/root/src/a.ts" all become "src/a.ts". */
export function normalisePath(file: string, root?: string): string {
  let rel = file.trim().replaceAll("\\", "/");
  if (root && path.isAbsolute(rel)) rel = path.relative(root, rel).replaceAll("\\", "/");
  const normal = path.posix.normalize(rel);
  return normal.startsWith("./") ? normal.slice(2) : normal;
}
