/** Which checkpoint `parecode diff` and `parecode undo` mean: the newest, the Nth newest, or an id. */
import { dataDir } from "../config/paths.js";
import { UsageError } from "../core/errors.js";
import { type Checkpoint, CheckpointError, type CheckpointOptions, listCheckpoints } from "../git/checkpoints.js";

export interface PickedCheckpoint {
  checkpoint: Checkpoint;
  /** 1-based position, newest first. */
  position: number;
  options: CheckpointOptions;
}

export function checkpointOptions(env: NodeJS.ProcessEnv = process.env): CheckpointOptions {
  return { dataDir: dataDir(env) };
}

export async function pickCheckpoint(cwd: string, target: string | undefined): Promise<PickedCheckpoint> {
  const options = checkpointOptions();
  const all = await listCheckpoints(cwd, options);
  if (all.length === 0) {
    throw new CheckpointError("No checkpoints for this folder yet: parecode takes one before each task it runs here.");
  }
  if (target === undefined) return { checkpoint: all[0], position: 1, options };
  if (/^\d+$/.test(target)) {
    const n = Number(target);
    if (n < 1 || n > all.length) {
      const count = `${all.length} checkpoint${all.length === 1 ? "" : "s"}`;
      throw new UsageError(`This folder has ${count}; pick 1 to ${all.length}. parecode undo --list shows them.`);
    }
    return { checkpoint: all[n - 1], position: n, options };
  }
  const matches = all.filter((c) => c.id.startsWith(target) || c.id.split("-").at(-1)?.startsWith(target));
  if (matches.length === 1) return { checkpoint: matches[0], position: all.indexOf(matches[0]) + 1, options };
  if (matches.length === 0) {
    throw new UsageError(`No checkpoint of this folder matches "${target}". parecode undo --list shows them.`);
  }
  throw new UsageError(
    `"${target}" matches ${matches.length} checkpoints; give more of the id:\n  ${matches.map((c) => c.id).join("\n  ")}`,
  );
}

/** "before "fix the parser" (2026-01-15 14:30, 5 min ago)" */
export function describeCheckpoint(checkpoint: Checkpoint, now = Date.now()): string {
  const label = checkpoint.label.replace(/\s+/g, " ").trim();
  const shown = label.length > 80 ? `${label.slice(0, 79)}…` : label;
  return `before "${shown}" (${localTime(checkpoint.created)}, ${ago(checkpoint.created, now)})`;
}

export function localTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
