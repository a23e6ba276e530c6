/** Git-style unified diffs for one changed file, from the two versions' bytes. */
import { structuredPatch } from "diff";
import type { DiffSummary, FileChange, FileDiff } from "./checkpoint-types.js";

/** Past this size a side is not diffed line by line (a lockfile, a generated bundle). */
const MAX_DIFF_BYTES = 1024 * 1024;
const SUBMODULE = 0o160000;

export function renderFileDiff(change: FileChange, before?: Buffer, after?: Buffer): FileDiff {
  const a = `a/${change.path}`;
  const b = `b/${change.path}`;
  const head = [`diff --git ${a} ${b}`];
  if (change.kind === "added") head.push(`new file mode ${octal(change.after?.mode)}`);
  else if (change.kind === "deleted") head.push(`deleted file mode ${octal(change.before?.mode)}`);
  else if (change.before?.mode !== change.after?.mode) {
    head.push(`old mode ${octal(change.before?.mode)}`, `new mode ${octal(change.after?.mode)}`);
  }
  if (change.kind === "mode_changed") return { ...change, patch: `${head.join("\n")}\n`, binary: false };

  if (change.before?.mode === SUBMODULE || change.after?.mode === SUBMODULE) {
    const lines = [
      ...(change.before ? [`-Subproject commit ${change.before.id}`] : []),
      ...(change.after ? [`+Subproject commit ${change.after.id}`] : []),
    ];
    return { ...change, patch: `${head.join("\n")}\n${lines.join("\n")}\n`, binary: false };
  }

  const oldBytes = before ?? Buffer.alloc(0);
  const newBytes = after ?? Buffer.alloc(0);
  const from = change.before ? a : "/dev/null";
  const to = change.after ? b : "/dev/null";
  if (isBinary(oldBytes) || isBinary(newBytes)) {
    return { ...change, patch: `${head.join("\n")}\nBinary files ${from} and ${to} differ\n`, binary: true };
  }
  if (oldBytes.length > MAX_DIFF_BYTES || newBytes.length > MAX_DIFF_BYTES) {
    const note = `(too large to show: ${oldBytes.length} bytes before, ${newBytes.length} after)`;
    return { ...change, patch: `${head.join("\n")}\n--- ${from}\n+++ ${to}\n${note}\n`, binary: false };
  }
  const patch = structuredPatch(from, to, oldBytes.toString("utf8"), newBytes.toString("utf8"), undefined, undefined, {
    context: 3,
  });
  const body = [`--- ${from}`, `+++ ${to}`];
  for (const hunk of patch.hunks) {
    body.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return { ...change, patch: `${[...head, ...body].join("\n")}\n`, binary: false };
}

export function summarise(changes: readonly FileChange[]): DiffSummary {
  const summary: DiffSummary = { added: 0, modified: 0, deleted: 0, modeChanged: 0 };
  for (const change of changes) {
    if (change.kind === "added") summary.added++;
    else if (change.kind === "deleted") summary.deleted++;
    else if (change.kind === "modified") summary.modified++;
    else summary.modeChanged++;
  }
  return summary;
}

/** Git's rule: a NUL byte in the first 8,000 bytes means binary. */
function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** Git numbers an empty range by the line before it (`-5,0`, `+0,0`); jsdiff by the line after. */
function range(start: number, lines: number): string {
  if (lines === 0) return `${start - 1},0`;
  return lines === 1 ? `${start}` : `${start},${lines}`;
}

function octal(mode: number | undefined): string {
  return (mode ?? 0).toString(8).padStart(6, "0");
}
