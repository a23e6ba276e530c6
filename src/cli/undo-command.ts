/**
 * `parecode undo [N|ID] [--yes]`: puts this folder back as it was before the latest (or
 * Nth latest) task. It shows exactly what will change, asks on a terminal and needs
 * --yes elsewhere, and the state it replaces is checkpointed first: `parecode undo`
 * again brings it back.
 */
import { UsageError } from "../core/errors.js";
import { listCheckpoints, planRestore, type RestoreAction, restore } from "../git/checkpoints.js";
import type { CliCommand } from "./args.js";
import { checkpointOptions, describeCheckpoint, localTime, pickCheckpoint } from "./checkpoint-target.js";
import { canAsk, confirm } from "./confirm.js";

type UndoCommand = Extract<CliCommand, { kind: "undo" }>;

const VERB: Record<RestoreAction, string> = {
  remove: "remove  ",
  recreate: "recreate",
  revert: "restore ",
  chmod: "chmod   ",
};

export async function runUndoCommand(command: UndoCommand, cwd: string): Promise<number> {
  if (command.list) return listCommand(cwd);
  const { checkpoint, options } = await pickCheckpoint(cwd, command.target);
  const plan = await planRestore(cwd, checkpoint, options);
  const where = describeCheckpoint(checkpoint);
  if (plan.actions.length === 0) {
    process.stdout.write(`Nothing to undo: the files are as they were ${where}.\n`);
    return 0;
  }
  const lines = [`Undo puts back the files as they were ${where}:`];
  for (const { path, action } of plan.actions) lines.push(`  ${VERB[action]}  ${path}`);
  for (const { path, reason } of plan.kept) lines.push(`  leave     ${path}  (${reason})`);
  process.stdout.write(`${lines.join("\n")}\n`);

  const question = plan.actions.length === 1 ? "Change this file?" : `Change these ${plan.actions.length} files?`;
  if (!command.yes) {
    if (!canAsk()) throw new UsageError("Nothing changed: add --yes to undo when not at a terminal.");
    if (!(await confirm(question))) {
      process.stderr.write("Nothing changed.\n");
      return 1;
    }
  }
  const result = await restore(cwd, checkpoint, options);
  const done = result.plan.actions.length - result.failed.length;
  const out = [`Restored ${done} file${done === 1 ? "" : "s"} to how they were ${where}.`];
  if (result.removedDirs.length > 0) out.push(`Removed empty folders: ${result.removedDirs.join(", ")}`);
  for (const { path, error } of result.failed) out.push(`Could not restore ${path}: ${error}`);
  out.push("To undo this undo: parecode undo");
  process.stdout.write(`${out.join("\n")}\n`);
  return result.failed.length === 0 ? 0 : 1;
}

async function listCommand(cwd: string): Promise<number> {
  const all = await listCheckpoints(cwd, checkpointOptions());
  if (all.length === 0) {
    process.stdout.write("No checkpoints for this folder yet: parecode takes one before each task it runs here.\n");
    return 0;
  }
  const rows = all.map((c, i) => {
    const label = c.label.replace(/\s+/g, " ").trim();
    return `${String(i + 1).padStart(3)}  ${localTime(c.created)}  ${c.kind.padEnd(5)}  ${c.id}  before "${label.length > 70 ? `${label.slice(0, 69)}…` : label}"`;
  });
  process.stdout.write(`${["  N  TAKEN             KIND   ID", ...rows].join("\n")}\n`);
  return 0;
}
