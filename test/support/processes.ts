import { readdirSync, readFileSync } from "node:fs";

/** Live (non-zombie) processes whose process group is `pgid`, read from /proc. */
export function liveInGroup(pgid: number): number[] {
  return livePids((pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[2]) === pgid;
  });
}

/**
 * Live processes whose command line is exactly `argv`. Sandboxed commands see their own
 * PID namespace, so they cannot print the pid we need; a unique argument
 * (`sleep 987.6`) finds them from outside instead.
 */
export function liveWithArgv(argv: readonly string[]): number[] {
  const wanted = `${argv.join("\0")}\0`;
  return livePids((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8") === wanted);
}

function livePids(match: (pid: string) => boolean): number[] {
  const live: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state !== "Z" && match(name)) live.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return live;
}

/**
 * Waits up to a second for `find()` to come back empty and returns what is left: a
 * SIGKILLed process has closed its pipes (which is what ended the call) a little before
 * /proc shows it as a zombie.
 */
export async function survivors(find: () => number[]): Promise<number[]> {
  for (let waited = 0; waited < 1000; waited += 50) {
    if (find().length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return find();
}

/** Polls until `find()` returns something (a process has started), or fails after `ms`. */
export async function waitFor<T>(find: () => T[], ms = 5000): Promise<T[]> {
  for (let waited = 0; waited < ms; waited += 25) {
    const found = find();
    if (found.length > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nothing appeared within ${ms} ms`);
}
