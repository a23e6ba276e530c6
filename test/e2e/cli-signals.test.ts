import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collect, makeTempProject, spawnCli, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  project = undefined;
  server = undefined;
});

/** A command that ignores SIGINT and SIGTERM and leaves a background sleeper, as stubborn builds do. */
const STUBBORN = "trap '' INT TERM HUP; sleep 60 & echo $! > sleeper.pid; wait";

async function startStubbornRun() {
  project = await makeTempProject();
  server = await startScriptedServer({
    script: [{ toolCalls: [{ name: "bash", args: { command: STUBBORN } }] }],
    fallbackText: "stopped",
  });
  await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
  // Unsandboxed, so `$!` is a pid this test can see.
  const child = spawnCli(["--yes", "--no-sandbox", "wait for it"], { cwd: project.dir, env: project.env });
  const done = collect(child, { timeoutMs: 20_000 });
  const pidFile = path.join(project.dir, "sleeper.pid");
  const deadline = Date.now() + 10_000;
  while (!existsSync(pidFile) || (await readFile(pidFile, "utf8")).trim() === "") {
    if (Date.now() > deadline) throw new Error("the command never started");
    await new Promise((r) => setTimeout(r, 30));
  }
  return { child, done, sleeper: Number((await readFile(pidFile, "utf8")).trim()) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe("signals in a one-shot run", () => {
  it("SIGTERM winds the task down, ends the command's whole group and exits 143", async () => {
    const { child, done, sleeper } = await startStubbornRun();
    child.kill("SIGTERM");
    const run = await done;
    expect(run.code).toBe(143);
    expect(await goneWithin(sleeper, 2_000)).toBe(true);
    expect(run.stderr).toContain("interrupted");
  });

  it("SIGHUP (a closed terminal) is handled the same way and exits 129", async () => {
    const { child, done, sleeper } = await startStubbornRun();
    child.kill("SIGHUP");
    const run = await done;
    expect(run.code).toBe(129);
    expect(await goneWithin(sleeper, 2_000)).toBe(true);
  });

  it("a second Ctrl+C exits at once and still kills the running command's process group", async () => {
    const { child, done, sleeper } = await startStubbornRun();
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const run = await done;
    expect(run.code).toBe(130);
    // Cut short, not wound down: the command ignores SIGTERM, so the first Ctrl+C alone
    // would have waited out the kill grace and then printed the result summary.
    expect(run.stderr).not.toMatch(/interrupted ·/);
    expect(await goneWithin(sleeper, 1_000)).toBe(true);
  });
});
