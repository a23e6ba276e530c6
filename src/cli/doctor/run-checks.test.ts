import { describe, expect, it } from "vitest";
import { runDoctorChecks } from "./run-checks.js";
import { type DoctorCheck, ok } from "./types.js";

const ctx = {
  cwd: process.cwd(),
  env: {},
  network: false,
  config: { path: "/nowhere/config.toml", exists: false },
};

describe("runDoctorChecks", () => {
  it("turns a check that hangs into a failure at its deadline and aborts its signal, without holding up the rest", async () => {
    let aborted = false;
    const hanging: DoctorCheck = {
      id: "hangs",
      timeoutMs: 100,
      run: ({ signal }) =>
        new Promise(() => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
        }),
    };
    const quick: DoctorCheck = { id: "quick", timeoutMs: 1_000, run: async () => [ok("quick", "fine")] };
    const started = Date.now();
    const results = await runDoctorChecks(ctx, [hanging, quick]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(results).toEqual([
      expect.objectContaining({ id: "hangs", status: "fail", message: "did not finish within 0.1 s" }),
      { id: "quick", status: "ok", message: "fine" },
    ]);
    expect(results[0].fix).toBeTruthy();
    expect(aborted).toBe(true);
  });

  it("reports a check that throws as a failure of that check only, in list order whatever finishes first", async () => {
    const slow: DoctorCheck = {
      id: "slow",
      timeoutMs: 1_000,
      run: () => new Promise((resolve) => setTimeout(() => resolve([ok("slow", "done late")]), 50)),
    };
    const broken: DoctorCheck = {
      id: "broken",
      timeoutMs: 1_000,
      run: () => {
        throw new Error("boom\nstack line");
      },
    };
    const results = await runDoctorChecks(ctx, [slow, broken]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["slow", "ok"],
      ["broken", "fail"],
    ]);
    expect(results[1].message).toBe("the check itself failed: boom");
  });
});
