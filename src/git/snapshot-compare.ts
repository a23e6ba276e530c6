/** Differences between two snapshot trees, descending only into directories whose hashes differ. */
import type { FileChange } from "./checkpoint-types.js";
import type { TreeEntry } from "./snapshot-objects.js";

export interface TreeSource {
  getTree(hash: string): Promise<TreeEntry[]>;
}

export interface SnapshotComparison {
  changes: FileChange[];
  /** Paths over the size cap on either side: their content is unknown, so they are never compared or touched. */
  skipped: string[];
}

export async function compareSnapshotTrees(
  source: TreeSource,
  before: string,
  after: string,
): Promise<SnapshotComparison> {
  const changes: FileChange[] = [];
  const skipped: string[] = [];

  const compareDir = async (a: string | undefined, b: string | undefined, rel: string): Promise<void> => {
    if (a === b) return;
    const left = new Map((a ? await source.getTree(a) : []).map((e) => [e[0], e]));
    const right = new Map((b ? await source.getTree(b) : []).map((e) => [e[0], e]));
    const names = [...new Set([...left.keys(), ...right.keys()])].sort();
    for (const name of names) {
      const x = left.get(name);
      const y = right.get(name);
      const file = rel === "" ? name : `${rel}/${name}`;
      if (x?.[1] === "s" || y?.[1] === "s") skipped.push(file);
      else if (x && y && x[1] === y[1] && x[2] === y[2] && x[3] === y[3]) continue;
      const xDir = x?.[1] === "d";
      const yDir = y?.[1] === "d";
      if (xDir || yDir) await compareDir(xDir ? x?.[3] : undefined, yDir ? y?.[3] : undefined, file);
      const fx = x && !xDir && x[1] !== "s" ? { mode: x[2], id: x[3] } : undefined;
      const fy = y && !yDir && y[1] !== "s" ? { mode: y[2], id: y[3] } : undefined;
      if (x?.[1] === "s" || y?.[1] === "s") continue;
      if (fx && fy) {
        if (fx.id !== fy.id) changes.push({ path: file, kind: "modified", before: fx, after: fy });
        else if (fx.mode !== fy.mode) changes.push({ path: file, kind: "mode_changed", before: fx, after: fy });
      } else if (fx) {
        changes.push({ path: file, kind: "deleted", before: fx });
      } else if (fy) {
        changes.push({ path: file, kind: "added", after: fy });
      }
    }
  };

  await compareDir(before, after, "");
  changes.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
  return { changes, skipped: skipped.sort() };
}
