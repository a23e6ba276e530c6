import { describe, expect, it } from "vitest";
import { liveInGroup, survivors, waitFor } from "../../test/support/processes.js";
import { killAllProcessGroups, liveProcessGroups, runProcess } from "./process.js";

const env = { PATH: process.env.PATH };

describe("runProcess", () => {
  it("delivers stdout and stderr in arrival order, each marked with its stream", async () => {
    const chunks: Array<[number, string]> = [];
    const result = await runProcess(
      "bash",
      ["-c", "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; exit 4"],
      {
        cwd: "/",
        env,
        timeoutMs: 10_000,
        onOutput: (text, stream) => chunks.push([stream, text]),
      },
    );
    expect(result).toMatchObject({ ending: "exit", exitCode: 4, exitSignal: null });
    expect(chunks).toEqual([
      [1, "one\n"],
      [2, "two\n"],
      [1, "three\n"],
    ]);
  });

  it("runs with exactly the environment it is given", async () => {
    let out = "";
    await runProcess("/usr/bin/env", [], {
      cwd: "/",
      env: { ONLY: "this" },
      timeoutMs: 10_000,
      onOutput: (text) => {
        out += text;
      },
    });
    expect(out).toBe("ONLY=this\n");
  });

  it("rejects when the program cannot be started, and leaves no group registered", async () => {
    await expect(runProcess("/nonexistent/program", [], { cwd: "/", env, timeoutMs: 1000 })).rejects.toThrow(/ENOENT/);
    expect(liveProcessGroups()).toEqual([]);
  });

  it("reports a cancel that comes before the start as a cancel", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runProcess("sleep", ["30"], { cwd: "/", env, timeoutMs: 10_000, signal: controller.signal });
    expect(result.ending).toBe("cancel");
    expect(result.durationMs).toBeLessThan(3000);
  });
});

describe("killAllProcessGroups", () => {
  it("ends every running command's whole group, and each run settles and leaves the registry", async () => {
    const runs = [
      runProcess("bash", ["-c", "sleep 600 & sleep 600; wait"], { cwd: "/", env, timeoutMs: 60_000 }),
      runProcess("sleep", ["600"], { cwd: "/", env, timeoutMs: 60_000 }),
    ];
    const groups = await waitFor(() => (liveProcessGroups().length === 2 ? liveProcessGroups() : []));
    // The shell and both of its sleeps are up once the first group has three members.
    await waitFor(() => (liveInGroup(groups[0] as number).length === 3 ? groups : []));
    const started = Date.now();
    expect(killAllProcessGroups("SIGTERM")).toBe(2);
    const results = await Promise.all(runs);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(results.map((r) => r.exitSignal)).toEqual(["SIGTERM", "SIGTERM"]);
    for (const group of groups) expect(await survivors(() => liveInGroup(group))).toEqual([]);
    expect(liveProcessGroups()).toEqual([]);
    expect(killAllProcessGroups()).toBe(0);
  });
});
