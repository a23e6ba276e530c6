import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildStepContext } from "./step-context.js";
import type { Plan, PlanStep } from "./types.js";

let root = "";
afterEach(() => rm(root, { recursive: true, force: true }));

function step(files: string[], extra: Partial<PlanStep> = {}): PlanStep {
  return {
    description: "Change things",
    instruction: "Change a.ts.",
    files,
    verify: { kind: "none" },
    toolBudget: 5,
    category: "standard",
    bash: false,
    approved: true,
    status: "pending",
    ...extra,
  };
}

function plan(steps: PlanStep[]): Plan {
  return {
    version: 1,
    id: "id",
    task: "the whole task",
    createdAt: "",
    status: "running",
    steps,
    planner: { model: "m", usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
  };
}

describe("buildStepContext", () => {
  it("attaches the step's files (long ones as an outline) and the finished steps' summaries, nothing else", async () => {
    root = await mkdtemp(path.join(tmpdir(), "parecode-step-"));
    await mkdir(path.join(root, "src"));
    await writeFile(path.join(root, "src/a.ts"), "export const a = 1;\n");
    const long = Array.from({ length: 200 }, (_, i) => `export function f${i}() {}`).join("\n");
    await writeFile(path.join(root, "src/long.ts"), long);
    await writeFile(path.join(root, "src/other.ts"), "export const secretOther = 2;\n");
    const steps = [
      step(["src/other.ts"], { status: "done", summary: "Step 1 (done): Other\n  modified src/other.ts" }),
      step(["src/a.ts", "src/long.ts", "src/new.ts"], {
        annotation: "keep it short",
        verify: { kind: "file_changed", path: "src/a.ts" },
      }),
      step(["src/other.ts"]),
    ];
    const context = await buildStepContext(plan(steps), 1, root);

    expect(context.task).toBe(
      [
        "Step 2 of 3: Change things",
        "Change a.ts.\n\nUser note: keep it short",
        "",
        "Its files are attached above: src/a.ts, src/long.ts, src/new.ts.",
        "Afterwards parecode checks: file_changed src/a.ts.",
        "Do only this step. When done, reply in one line with what you changed.",
      ].join("\n"),
    );
    const [planSection, ...files] = context.sections;
    expect(planSection.text).toBe(
      "The user's task: the whole task\nThis run does step 2 of 3; the other steps are done in runs of their own.\nFinished steps:\nStep 1 (done): Other\n  modified src/other.ts",
    );
    expect(files.map((s) => s.name)).toEqual(["File src/a.ts", "File src/long.ts", "File src/new.ts"]);
    expect(files[0].text).toBe("export const a = 1;\n");
    expect(files[1].text.split("\n").slice(0, 3)).toEqual([
      "[200 lines, too long to attach; read the part you need with read_file and line_range]",
      "1 function f0",
      "2 function f1",
    ]);
    expect(files[2].text).toBe("(does not exist yet)");
    expect(JSON.stringify(context.sections)).not.toContain("secretOther");
    expect([...context.before]).toEqual([
      ["src/a.ts", "export const a = 1;\n"],
      ["src/long.ts", long],
      ["src/new.ts", null],
    ]);
  });
});
