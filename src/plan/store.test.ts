import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PlanError } from "./plan-error.js";
import { createPlanStore, newPlanId } from "./store.js";
import type { Plan } from "./types.js";

let root = "";
afterEach(() => rm(root, { recursive: true, force: true }));

function plan(id: string, task: string): Plan {
  return {
    version: 1,
    id,
    task,
    createdAt: "",
    status: "review",
    steps: [
      {
        description: "Do it",
        instruction: "Change a.ts.",
        files: ["a.ts"],
        verify: { kind: "none" },
        toolBudget: 5,
        category: "quick",
        bash: false,
        approved: false,
        status: "pending",
      },
    ],
    planner: { model: "m", usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
  };
}

describe("plan store", () => {
  it("saves the JSON and plan.md, reads back edits to plan.md and finds the plan plan.md names", async () => {
    root = await mkdtemp(path.join(tmpdir(), "parecode-store-"));
    const store = createPlanStore(root);
    const older = plan("2025-01-01T00-00-00-000Z", "older");
    const newer = plan("2025-02-01T00-00-00-000Z", "newer");
    await store.save(newer);
    await store.save(older);
    expect(JSON.parse(await readFile(path.join(root, store.jsonPath(older)), "utf8"))).toEqual(older);
    // plan.md holds the last plan saved: that one is resumed, not the newest file.
    expect((await store.latest())?.task).toBe("older");

    expect(await store.readBack(older)).toEqual({ plan: older, changed: [] });
    const md = path.join(root, ".parecode/plan.md");
    await writeFile(md, (await readFile(md, "utf8")).replace("Change a.ts.", "Change a.ts and b.ts."));
    const back = await store.readBack(older);
    expect(back.changed).toEqual(["step 1 edited"]);
    expect(back.plan.steps[0].instruction).toBe("Change a.ts and b.ts.");
    // plan.md holds another plan: nothing to read back for this one.
    expect((await store.readBack(newer)).changed).toEqual([]);

    await writeFile(md, "just some notes\n");
    const error = await store.readBack(older).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as Error).message).toBe(
      'plan.md has no "## Step N: title" headings. Fix .parecode/plan.md, or delete it to run the plan as saved.',
    );
    // Without a plan named in plan.md, the newest saved plan.
    expect((await store.latest())?.task).toBe("newer");
  });

  it("makes sortable, file-name-safe ids", () => {
    expect(newPlanId(new Date("2025-03-04T05:06:07.089Z"))).toBe("2025-03-04T05-06-07-089Z");
  });
});
