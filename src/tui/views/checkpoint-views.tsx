/**
 * The diff view (/diff: one section per file, coloured) and the undo view (/undo: what a
 * restore will change, Enter to go ahead). Both are lists of styled lines, tested as data.
 */
import {
  type Checkpoint,
  type DiffResult,
  type RestoreAction,
  type RestorePlan,
  restore,
} from "../../git/checkpoints.js";
import type { CommandContext, ViewSpec } from "../commands/registry.js";
import { ViewFrame, type ViewLine } from "./view-frame.js";

function describe(checkpoint: Checkpoint): string {
  const label = checkpoint.label.replace(/\s+/g, " ").trim();
  return `before "${label.length > 60 ? `${label.slice(0, 59)}…` : label}" (${checkpoint.created.slice(0, 16).replace("T", " ")})`;
}

export function diffLines(checkpoint: Checkpoint, diff: DiffResult): ViewLine[] {
  const { added, modified, deleted, modeChanged } = diff.summary;
  const lines: ViewLine[] = [
    {
      text: `Since the checkpoint ${describe(checkpoint)}: ${modified} modified, ${added} added, ${deleted} deleted, ${modeChanged} mode changes`,
      dim: true,
    },
  ];
  if (diff.files.length === 0) return [...lines, { text: "No changes.", dim: true }];
  for (const file of diff.files) {
    lines.push({ text: "" }, { text: `▌ ${file.path}  (${file.kind})`, bold: true, role: "heading" });
    if (file.binary) {
      lines.push({ text: "  binary file", dim: true });
      continue;
    }
    for (const line of file.patch.replace(/\t/g, "    ").split("\n")) {
      if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index "))
        continue;
      const role = line.startsWith("+")
        ? "added"
        : line.startsWith("-")
          ? "removed"
          : line.startsWith("@@")
            ? "hunk"
            : undefined;
      lines.push({ text: line, role, dim: role === undefined });
    }
  }
  return lines;
}

const VERB: Record<RestoreAction, string> = {
  remove: "remove  ",
  recreate: "recreate",
  revert: "restore ",
  chmod: "chmod   ",
};

export interface UndoViewData {
  checkpoint: Checkpoint;
  plan: RestorePlan;
  lines: ViewLine[];
}

export function undoLines(checkpoint: Checkpoint, plan: RestorePlan): ViewLine[] {
  const lines: ViewLine[] = [{ text: `Puts the files back as they were ${describe(checkpoint)}:`, dim: true }];
  for (const { path, action } of plan.actions) {
    lines.push({ text: `  ${VERB[action]}  ${path}`, role: action === "remove" ? "removed" : "added" });
  }
  for (const { path, reason } of plan.kept) lines.push({ text: `  leave     ${path}  (${reason})`, dim: true });
  lines.push(
    { text: "" },
    { text: "Enter undoes; the state it replaces is checkpointed, so /undo can bring it back.", bold: true },
  );
  return lines;
}

function linesOf(data: unknown): ViewLine[] {
  return typeof data === "object" && data !== null && Array.isArray((data as { lines?: unknown }).lines)
    ? (data as { lines: ViewLine[] }).lines
    : [];
}

export const diffView: ViewSpec = {
  id: "diff",
  title: "Diff",
  render: (p) => <ViewFrame title="Diff" lines={linesOf(p.data)} scroll={p.scroll} height={p.height} width={p.width} />,
};

export const undoView: ViewSpec = {
  id: "undo",
  title: "Undo",
  help: "Enter undoes",
  render: (p) => (
    <ViewFrame
      title="Undo"
      help="Enter undoes"
      lines={linesOf(p.data)}
      scroll={p.scroll}
      height={p.height}
      width={p.width}
    />
  ),
  async onKey(key, ctx, data) {
    if (key !== "enter" || typeof data !== "object" || data === null || !("plan" in data)) return;
    ctx.closeView();
    await confirmUndo(ctx, data as UndoViewData);
  },
};

/** Runs the undo the person confirmed in the view. */
async function confirmUndo(ctx: CommandContext, data: UndoViewData): Promise<void> {
  try {
    const result = await restore(ctx.runtime.root, data.checkpoint, ctx.runtime.checkpointOptions());
    const done = result.plan.actions.length - result.failed.length;
    const failed = result.failed.map((f) => `${f.path}: ${f.error}`);
    ctx.notice(
      `Restored ${done} ${done === 1 ? "file" : "files"}.${failed.length > 0 ? ` Could not restore ${failed.join("; ")}.` : ""} /undo again undoes this undo.`,
      failed.length > 0 ? "warn" : "info",
    );
  } catch (err) {
    ctx.notice((err as Error).message, "error");
  }
}
