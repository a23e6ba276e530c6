/**
 * Temporary files parecode creates (atomic-write temps beside the file being written,
 * folders of long outputs saved for `recall`) must not outlive the run. Live ones are
 * removed at exit, whatever ended the run; a run killed outright (SIGKILL, power loss)
 * leaves a journal behind, and the next run sweeps what it lists.
 *
 * The journal is one file per process under a directory the composition root chooses
 * (the cache dir); it lists every temp path created, one per line.
 */
import { appendFileSync, mkdirSync, rmSync, unlinkSync } from "node:fs";
import { readdir, readFile, rm, unlink } from "node:fs/promises";
import path from "node:path";

const live = new Set<string>();
let journal: string | undefined;

/** Only paths with these names are ever removed by a sweep, whatever a journal says. */
const OUR_TEMP_NAMES = [/^\..+\.\d+\.[0-9a-f]+\.tmp$/, /^parecode-recall-/];

export function configureTempJournal(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  journal = path.join(dir, `${process.pid}.list`);
}

export function trackTemp(target: string): void {
  live.add(target);
  if (!journal) return;
  try {
    appendFileSync(journal, `${target}\n`, { mode: 0o600 });
  } catch {
    // A full disk must not stop the write this temp belongs to; exit cleanup still covers it.
  }
}

export function untrackTemp(target: string): void {
  live.delete(target);
}

/** Synchronous: runs from process 'exit', where nothing asynchronous can finish. */
export function removeTrackedTemps(): void {
  for (const target of live) {
    try {
      rmSync(target, { recursive: true, force: true });
    } catch {
      // Best effort at exit.
    }
  }
  live.clear();
  if (journal) {
    try {
      unlinkSync(journal);
    } catch {
      // Never written, or already gone.
    }
  }
}

/** Removes what journals of dead processes list; returns how many paths were removed. */
export async function sweepStaleTemps(dir: string): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    const match = /^(\d+)\.list$/.exec(entry);
    if (!match || isAlive(Number(match[1]))) continue;
    const file = path.join(dir, entry);
    const listed = (await readFile(file, "utf8").catch(() => "")).split("\n").filter((line) => line !== "");
    for (const target of listed) {
      if (!path.isAbsolute(target) || !OUR_TEMP_NAMES.some((name) => name.test(path.basename(target)))) continue;
      try {
        await rm(target, { recursive: true });
        removed++;
      } catch {
        // Renamed into place or already gone: nothing left to sweep.
      }
    }
    await unlink(file).catch(() => undefined);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but someone else's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
