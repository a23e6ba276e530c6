import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { sweepStaleTemps } from "./temp-files.js";

const MODULE = fileURLToPath(new URL("./temp-files.ts", import.meta.url));
let base: string;
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Runs a child that creates and tracks temps, then ends the way `ending` says. */
function child(journal: string, temps: string[], ending: "exit" | "sigterm" | "sigkill") {
  const script = `
    import { writeFileSync } from "node:fs";
    import { configureTempJournal, trackTemp, removeTrackedTemps } from ${JSON.stringify(MODULE)};
    process.on("exit", removeTrackedTemps);
    process.on("SIGTERM", () => process.exit(143));
    configureTempJournal(${JSON.stringify(journal)});
    for (const t of ${JSON.stringify(temps)}) { writeFileSync(t, "partial"); trackTemp(t); }
    const ending = ${JSON.stringify(ending)};
    if (ending === "sigterm") process.kill(process.pid, "SIGTERM");
    else if (ending === "sigkill") process.kill(process.pid, "SIGKILL");
    setTimeout(() => {}, 50);
  `;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
}

describe("temp files", () => {
  it("are removed at exit and on SIGTERM; after SIGKILL the next run sweeps them", async () => {
    base = await mkdtemp(path.join(tmpdir(), "parecode-temps-"));
    const journal = path.join(base, "journal");
    const temp = (n: number) => path.join(base, `.a${n}.txt.123.abcd.tmp`);

    expect(child(journal, [temp(1)], "exit").status).toBe(0);
    expect(existsSync(temp(1))).toBe(false);
    expect(child(journal, [temp(2)], "sigterm").status).toBe(143);
    expect(existsSync(temp(2))).toBe(false);

    const killed = child(journal, [temp(3)], "sigkill");
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(temp(3))).toBe(true);
    expect(await sweepStaleTemps(journal)).toBe(1);
    expect(existsSync(temp(3))).toBe(false);
    expect(await readdir(journal)).toEqual([]);
  });

  it("a sweep removes only parecode's own temp names, whatever a journal lists", async () => {
    base = await mkdtemp(path.join(tmpdir(), "parecode-temps-"));
    const journal = path.join(base, "journal");
    await mkdir(journal);
    const precious = path.join(base, "important.txt");
    const spill = path.join(base, "parecode-recall-xyz");
    await writeFile(precious, "keep");
    await mkdir(spill);
    // A pid that cannot be alive (above the kernel's pid_max).
    await writeFile(path.join(journal, "99999999.list"), `${precious}\n${spill}\nrelative.tmp\n`);
    expect(await sweepStaleTemps(journal)).toBe(1);
    expect(existsSync(precious)).toBe(true);
    expect(existsSync(spill)).toBe(false);
  });
});
