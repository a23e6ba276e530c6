/**
 * Sessions, rollback, undo and diff in the UI, on the same runtime and checkpoint API the
 * CLI commands use: /sessions (a browser of this folder's sessions), /resume [ID],
 * /rollback [N], /undo [N] (shows exactly what it will change, Enter confirms) and
 * /diff [N] (a coloured view with a section per file).
 */
import { type Checkpoint, diffSince, listCheckpoints, planRestore } from "../../git/checkpoints.js";
import { diffLines, diffView, type UndoViewData, undoLines, undoView } from "../views/checkpoint-views.js";
import { syncSession } from "./builtin.js";
import type { CommandContext, CommandSpec, TuiExtension } from "./registry.js";

function ago(iso: string): string {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

async function resume(ctx: CommandContext, id: string): Promise<void> {
  try {
    await ctx.runtime.resumeSession({ id });
    syncSession(ctx);
    const turns = ctx.runtime.turns().length;
    ctx.notice(
      `Continuing session ${ctx.runtime.sessionId ?? id}: ${turns} earlier ${turns === 1 ? "task" : "tasks"} in context.`,
    );
  } catch (err) {
    ctx.notice((err as Error).message, "error");
  }
}

async function browseSessions(ctx: CommandContext): Promise<void> {
  const sessions = ctx.runtime.listSessions();
  const picked = await ctx.pick({
    title: "sessions of this folder (Enter continues one)",
    items: sessions.map((s) => ({
      value: s.id,
      label: `${s.id === ctx.runtime.sessionId ? "● " : ""}${s.title}`,
      hint: `${s.turns} ${s.turns === 1 ? "task" : "tasks"} · ${ago(s.updated)}${s.costUsd ? ` · $${s.costUsd.toFixed(4)}` : ""} · ${s.id}`,
    })),
    empty: "no sessions here yet: every task you run is recorded",
  });
  if (picked) await resume(ctx, picked);
}

/** The checkpoint an argument names: a 1-based position (newest first) or an id prefix. */
async function pickCheckpoint(ctx: CommandContext, arg: string): Promise<Checkpoint | undefined> {
  const all = await listCheckpoints(ctx.runtime.root, ctx.runtime.checkpointOptions());
  if (all.length === 0) {
    ctx.notice("No checkpoints here yet: one is taken before each task.", "warn");
    return undefined;
  }
  const target = arg.trim();
  if (target === "") return all[0];
  if (/^\d+$/.test(target)) {
    const found = all[Number(target) - 1];
    if (!found) ctx.notice(`There are ${all.length} checkpoints; pick 1 to ${all.length}.`, "error");
    return found;
  }
  const matches = all.filter((c) => c.id.startsWith(target));
  if (matches.length !== 1) {
    ctx.notice(
      matches.length === 0 ? `No checkpoint matches "${target}".` : `"${target}" matches several checkpoints.`,
      "error",
    );
    return undefined;
  }
  return matches[0];
}

const COMMANDS: CommandSpec[] = [
  {
    name: "sessions",
    description: "browse this folder's sessions and continue one",
    idleOnly: true,
    run: (ctx) => browseSessions(ctx),
  },
  {
    name: "resume",
    args: "[ID]",
    description: "continue a recorded session (a picker without an id)",
    idleOnly: true,
    async run(ctx, args) {
      const id = args.trim();
      if (id === "") return browseSessions(ctx);
      return resume(ctx, id);
    },
  },
  {
    name: "rollback",
    args: "[N]",
    description: "forget the last N tasks (default 1) from the conversation; files are not touched (/undo does that)",
    idleOnly: true,
    async run(ctx, args) {
      const n = args.trim() === "" ? 1 : Number(args.trim());
      if (!Number.isInteger(n) || n < 1) {
        ctx.notice("Give how many tasks to roll back, e.g. /rollback 2.", "error");
        return;
      }
      try {
        await ctx.runtime.rollback(n);
        const left = ctx.runtime.turns().length;
        ctx.notice(
          `Rolled back ${n} ${n === 1 ? "task" : "tasks"}; ${left} earlier ${left === 1 ? "task stays" : "tasks stay"} in context.`,
        );
      } catch (err) {
        ctx.notice((err as Error).message, "error");
      }
    },
  },
  {
    name: "diff",
    args: "[N]",
    description: "what changed since the checkpoint before the latest (or Nth latest) task",
    async run(ctx, args) {
      const checkpoint = await pickCheckpoint(ctx, args);
      if (!checkpoint) return;
      const diff = await diffSince(ctx.runtime.root, checkpoint, ctx.runtime.checkpointOptions());
      ctx.openView("diff", { lines: diffLines(checkpoint, diff) });
    },
  },
  {
    name: "undo",
    args: "[N]",
    description: "put the files back as before the latest (or Nth latest) task; shows the changes first (undoable)",
    idleOnly: true,
    async run(ctx, args) {
      const checkpoint = await pickCheckpoint(ctx, args);
      if (!checkpoint) return;
      const plan = await planRestore(ctx.runtime.root, checkpoint, ctx.runtime.checkpointOptions());
      if (plan.actions.length === 0) {
        ctx.notice("Nothing to undo: the files are as they were before that task.");
        return;
      }
      const data: UndoViewData = { checkpoint, plan, lines: undoLines(checkpoint, plan) };
      ctx.openView("undo", data);
    },
  },
];

export const SESSION_EXTENSION: TuiExtension = { commands: COMMANDS, views: [diffView, undoView] };
