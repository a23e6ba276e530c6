import { describe, expect, it } from "vitest";
import { nextGroup, writeConflicts } from "./groups.js";
import type { PlanStep } from "./types.js";

function step(files: string[], extra: Partial<PlanStep> = {}): PlanStep {
  return {
    description: "s",
    instruction: "i",
    files,
    verify: { kind: "none" },
    toolBudget: 5,
    category: "quick",
    bash: false,
    approved: true,
    status: "pending",
    ...extra,
  };
}

describe("nextGroup", () => {
  it("runs steps one at a time unless parallel_steps allows more", () => {
    const steps = [step(["a.ts"]), step(["b.ts"]), step(["c.ts"])];
    expect(nextGroup(steps, 0, 1)).toEqual([0]);
    expect(nextGroup(steps, 0, 2)).toEqual([0, 1]);
    expect(nextGroup(steps, 0, 5)).toEqual([0, 1, 2]);
  });

  it("stops a group at a shared file, a step that may run commands, or one that names no files", () => {
    expect(nextGroup([step(["a.ts"]), step(["b.ts", "a.ts"]), step(["c.ts"])], 0, 3)).toEqual([0]);
    expect(nextGroup([step(["a.ts"]), step(["b.ts"], { bash: true }), step(["c.ts"])], 0, 3)).toEqual([0]);
    expect(nextGroup([step(["a.ts"], { bash: true }), step(["b.ts"])], 0, 3)).toEqual([0]);
    expect(nextGroup([step([]), step(["b.ts"])], 0, 3)).toEqual([0]);
  });

  it("skips steps already done (a resumed plan) without ending the group", () => {
    const steps = [
      step(["a.ts"], { status: "done" }),
      step(["b.ts"]),
      step(["a.ts"], { status: "done" }),
      step(["c.ts"]),
    ];
    expect(nextGroup(steps, 1, 3)).toEqual([1, 3]);
  });
});

describe("writeConflicts", () => {
  it("names files changed by more than one step of a group", () => {
    expect(
      writeConflicts([
        { step: 2, files: ["a.ts", "shared.ts"] },
        { step: 3, files: ["b.ts", "shared.ts"] },
        { step: 4, files: ["c.ts"] },
      ]),
    ).toEqual({ files: ["shared.ts"], steps: [2, 3] });
    expect(writeConflicts([{ step: 1, files: ["a.ts"] }])).toEqual({ files: [], steps: [] });
  });
});
