import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveWithArgv, survivors } from "../../test/support/processes.js";
import { liveProcessGroups } from "../exec/process.js";
import { detectSandbox, type SandboxRun, sandboxPolicy } from "../exec/sandbox.js";
import { summariseText } from "../tools/truncate.js";
import { createHooks } from "./hooks.js";
import { createHookRunner, type HookRunnerOptions } from "./runner.js";

const summarise: HookRunnerOptions["summarise"] = (text, limits) => summariseText(text, "", 0, limits).text;
const KEY = "sk-proj-hook-key-0123456789abcdef";
const TOKEN = `ghp_${"Zx9".repeat(12)}`;

describe("hook runner", () => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-hooks-")));
  const root = path.join(base, "project");
  const home = path.join(base, "home");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: path.join(base, "tmp"),
    LANG: "C.UTF-8",
    OPENAI_API_KEY: KEY,
    GITHUB_TOKEN: TOKEN,
    MY_SETTING: "visible-value",
  };

  beforeAll(() => {
    for (const dir of [root, home, path.join(base, "tmp")]) mkdirSync(dir, { recursive: true });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const runner = (options: Partial<HookRunnerOptions> = {}) => createHookRunner({ root, env, summarise, ...options });

  it("kills a hanging hook at its timeout, with every process of its group", async () => {
    // A unique sleep, started in the background too, so survivors can be found from /proc.
    const run = await runner({ timeoutMs: 400, graceMs: 200 })("on_edit", "sleep 61.25 & sleep 61.25; echo never");
    expect(run).toMatchObject({ ok: false, timedOut: true, exitCode: null });
    expect(run.durationMs).toBeLessThan(5_000);
    expect(run.output).toContain("[killed after 0.4s]");
    expect(run.output).not.toContain("never");
    expect(await survivors(() => liveWithArgv(["sleep", "61.25"]))).toEqual([]);
    expect(liveProcessGroups()).toEqual([]);
  });

  it("runs in the clean environment: no provider key, no token, ordinary variables kept", async () => {
    const run = await runner()("on_edit", "env");
    expect(run.ok).toBe(true);
    expect(run.output).toContain("MY_SETTING=visible-value");
    expect(run.output).not.toContain(KEY);
    expect(run.output).not.toContain(TOKEN);
    expect(run.output).not.toMatch(/OPENAI_API_KEY|GITHUB_TOKEN/);
  });

  it("keeps an env_allow variable the user chose", async () => {
    const run = await runner({ envAllow: ["GITHUB_TOKEN"] })("on_edit", 'echo "$GITHUB_TOKEN"');
    expect(run.output).toBe(TOKEN);
  });

  it("caps output at 50 lines, keeping the error lines from the middle and the exit code", async () => {
    const script =
      'for i in $(seq 1 300); do echo "line $i"; if [ $i = 150 ]; then echo "src/a.ts(3,5): error TS2322: bad"; fi; done; exit 2';
    const run = await runner()("on_edit", script);
    expect(run).toMatchObject({ ok: false, exitCode: 2, timedOut: false });
    const lines = run.output.split("\n");
    expect(lines.length).toBeLessThanOrEqual(50);
    expect(run.output).toContain("error TS2322: bad");
    expect(run.output).toContain("line 300");
    expect(lines.at(-1)).toContain("for all of it");
  });

  it("fails a check piped into tail when the check fails (pipefail)", async () => {
    const passing = await runner()("on_task_done", "(echo 'test result: ok'; exit 0) 2>&1 | tail -5");
    expect(passing).toMatchObject({ ok: true, exitCode: 0 });
    const piped = await runner()("on_task_done", "(echo 'test result: FAILED'; exit 101) 2>&1 | tail -5");
    expect(piped).toMatchObject({ ok: false, exitCode: 101 });
    expect(piped.output).toContain("FAILED");
  });

  it("reports a command that cannot start as a failed run, not a throw", async () => {
    const run = await runner({ shell: path.join(base, "no-such-shell") })("on_edit", "true");
    expect(run).toMatchObject({ ok: false, exitCode: null });
    expect(run.output).toContain("could not start");
  });

  describe("in the sandbox", () => {
    let sandbox: SandboxRun;
    beforeAll(() => {
      const support = detectSandbox({ env, platform: "linux" });
      if (support.kind !== "bwrap") throw new Error(`these tests need a working bwrap: ${JSON.stringify(support)}`);
      sandbox = { tool: support, policy: sandboxPolicy({ root, env, network: false }) };
      writeFileSync(path.join(home, "outside.txt"), "keep\n");
    });

    it("may write in the project but not in the home folder, and still gets the clean environment", async () => {
      const run = await runner({ sandbox })(
        "on_edit",
        `echo ok > built.txt && env && echo changed > ${path.join(home, "outside.txt")}`,
      );
      expect(run.ok).toBe(false);
      expect(run.output).toMatch(/Read-only file system/);
      expect(run.output).toContain("[sandbox: hooks may write only inside the project and the temp dir");
      expect(run.output).toContain("MY_SETTING=visible-value");
      expect(run.output).not.toContain(KEY);
    });
  });
});

describe("hooks of a session", () => {
  const calls: string[] = [];
  const hooks = createHooks({
    hooks: {
      on_edit: ["first", "second"],
      on_task_done: ["fails", "after"],
      on_plan_step_done: [],
      on_session_start: [],
      on_session_end: [],
    },
    runner: async (event, command) => {
      calls.push(command);
      const ok = command !== "first" && command !== "fails";
      return { event, command, ok, exitCode: ok ? 0 : 1, timedOut: false, output: "", durationMs: 1 };
    },
  });

  it("stops on_edit at the first failure but runs every on_task_done command; /hooks off runs nothing", async () => {
    expect((await hooks.run("on_edit")).map((r) => r.command)).toEqual(["first"]);
    expect((await hooks.run("on_task_done")).map((r) => r.command)).toEqual(["fails", "after"]);
    hooks.setEnabled(false);
    expect(await hooks.run("on_edit")).toEqual([]);
    expect(hooks.list().enabled).toBe(false);
    expect(calls).toEqual(["first", "fails", "after"]);
  });

  it("cannot be switched on when the config disables hooks", async () => {
    const disabled = createHooks({
      hooks: { on_edit: ["x"], on_task_done: [], on_plan_step_done: [], on_session_start: [], on_session_end: [] },
      disabled: true,
      runner: async () => {
        throw new Error("must not run");
      },
    });
    disabled.setEnabled(true);
    expect(await disabled.run("on_edit")).toEqual([]);
    expect(disabled.list()).toMatchObject({ enabled: false, disabledByConfig: true });
  });
});
