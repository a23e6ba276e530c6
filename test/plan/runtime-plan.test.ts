/**
 * Plan mode through the runtime, as the TUI will drive it: generate, review with the
 * reducer, execute with onStepDone and a conflict answer, follow progress from events.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/core/types.js";
import {
  createPlanProgress,
  createReviewState,
  type Plan,
  type PlanEvent,
  reducePlanProgress,
  reviewReducer,
  type StepDone,
} from "../../src/plan/index.js";
import { createRuntime } from "../../src/runtime/runtime.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { FAKE } from "../support/mcp-servers.js";
import { type Policy, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { createPlanPolicy, FILES, messagesOf, STEPS, stepOf, TASK, toolNames } from "./plan-fixture.js";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
});

async function runtimeFor(policy: Policy, config = "") {
  server = await startScriptedServer({ policy });
  project = await makeTempProject(FILES);
  await project.writeConfig(`${config}${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}`);
  const events: AgentEvent[] = [];
  const runtime = await createRuntime({
    cwd: project.dir,
    env: project.env,
    permissionMode: "trust",
    sandbox: "off",
    onEvent: (event) => events.push(event),
  });
  return { runtime, events };
}

const approveAll = (plan: Plan): Plan => reviewReducer(createReviewState(plan), { type: "approve_all" }).plan;

describe("plan mode through the runtime", () => {
  it("generates, reviews, runs with onStepDone after each passing step, and reports progress", async () => {
    const { runtime } = await runtimeFor(createPlanPolicy());
    try {
      const plans = await runtime.plans();
      const signal = new AbortController().signal;
      const planEvents: PlanEvent[] = [];
      const plan = await plans.generate(TASK, { signal, onEvent: (e) => planEvents.push(e) });
      expect(plan.steps.map((s) => s.files)).toEqual([
        ["src/greet.js"],
        ["src/math.js"],
        ["src/format.js"],
        ["src/index.js"],
      ]);
      expect(plan.estimate?.steps).toHaveLength(4);
      expect(planEvents.at(-1)).toMatchObject({ type: "plan_ready" });

      // Nothing runs before the review approved every step.
      await expect(plans.execute(plan, { signal })).rejects.toThrow(
        "Every step must be approved before the plan runs; not approved: step 1, 2, 3, 4. Review the plan (or run with --yes).",
      );
      expect(server?.requests.some((r) => stepOf(r) > 0)).toBe(false);

      let review = createReviewState(plan);
      review = [
        { type: "select", index: 3 } as const,
        { type: "annotate" } as const,
        { type: "draft", text: "keep greet first" } as const,
        { type: "commit_note" } as const,
        { type: "approve_all" } as const,
        { type: "run" } as const,
      ].reduce(reviewReducer, review);
      expect(review.outcome).toBe("run");

      const done: StepDone[] = [];
      let progress = createPlanProgress(review.plan);
      const finished = await plans.execute(review.plan, {
        signal,
        onEvent: (event) => {
          progress = reducePlanProgress(progress, event);
        },
        onStepDone: async (step) => {
          // Runs before the next step starts: that step's requests have not been made yet.
          expect(server?.requests.some((r) => stepOf(r) === step.step + 1)).toBe(false);
          done.push(step);
        },
      });
      expect(finished.status).toBe("done");
      expect(done.map((d) => [d.step, d.filesChanged])).toEqual([
        [1, ["src/greet.js"]],
        [2, ["src/math.js"]],
        [3, ["src/format.js"]],
        [4, ["src/index.js"]],
      ]);
      expect(progress.finished).toBe(true);
      expect(progress.steps.map((s) => s.status)).toEqual(["done", "done", "done", "done"]);
      expect(progress.steps[0].tokens).toBeGreaterThan(0);
      const step4 = server?.requests.find((r) => stepOf(r) === 4);
      expect(messagesOf(step4 ?? ({} as never))[1].content).toContain("User note: keep greet first");
      expect(finished.spent?.usage.inputTokens).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  });

  it("stops for a file two steps changed at once, and goes on when the front end says so", async () => {
    const independent = STEPS.slice(0, 2).map((step) => ({ ...step, bash: false }));
    const base = createPlanPolicy({ steps: independent });
    // Each executor also touches the README, which neither step declared.
    const policy: Policy = (request, index) => {
      const step = stepOf(request);
      const last = messagesOf(request).at(-1);
      if (step > 0 && last?.role === "tool" && messagesOf(request).filter((m) => m.role === "tool").length === 1) {
        return {
          toolCalls: [
            {
              name: "edit_file",
              args: {
                path: "README.md",
                old_str: step === 1 ? "# demo" : "A tiny project.",
                new_str: step === 1 ? "# Demo" : "A tiny project!",
              },
            },
          ],
        };
      }
      return base(request, index);
    };
    const signal = new AbortController().signal;
    const first = await runtimeFor(policy, "parallel_steps = 2\n");
    try {
      const plans = await first.runtime.plans();
      const plan = approveAll(await plans.generate(TASK, { signal }));
      const events: PlanEvent[] = [];
      const paused = await plans.execute(plan, { signal, onEvent: (e) => events.push(e) });
      expect(events.find((e) => e.type === "plan_conflict")).toEqual({
        type: "plan_conflict",
        steps: [1, 2],
        files: ["README.md"],
      });
      expect(paused.status).toBe("paused");
      expect(paused.pausedReason).toBe("steps 1 and 2 both changed README.md; check those files, then resume");
      expect(await readFile(path.join(project?.dir ?? "", "README.md"), "utf8")).toBe("# Demo\n\nA tiny project!\n");
    } finally {
      await first.runtime.close();
      await server?.close();
      await project?.cleanup();
    }

    // Asked, the front end lets it go on: the plan finishes.
    const second = await runtimeFor(policy, "parallel_steps = 2\n");
    try {
      const plans = await second.runtime.plans();
      const asked: string[][] = [];
      const finished = await plans.execute(approveAll(await plans.generate(TASK, { signal })), {
        signal,
        resolveConflict: async (conflict) => {
          asked.push(conflict.files);
          return "continue";
        },
      });
      expect(asked).toEqual([["README.md"]]);
      expect(finished.status).toBe("done");
    } finally {
      await second.runtime.close();
    }
  });

  it("offers a scoped MCP server only to the steps of its categories", async () => {
    const config = `mcp_lazy = "never"
[[mcp_servers]]
name = "fake"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE)}, "--tools", "1"]
scope = ["quick"]
`;
    const { runtime } = await runtimeFor(createPlanPolicy(), config);
    try {
      const plans = await runtime.plans();
      const signal = new AbortController().signal;
      const plan = await plans.generate(TASK, { signal });
      expect(plan.steps.map((s) => s.category)).toEqual(["quick", "standard", "quick", "standard"]);
      const finished = await plans.execute(approveAll(plan), { signal });
      expect(finished.status).toBe("done");
      const offered = (n: number) => toolNames(server?.requests.find((r) => stepOf(r) === n) ?? ({} as never));
      expect(offered(1)).toContain("fake__pid");
      expect(offered(3)).toContain("fake__pid");
      expect(offered(2).some((name) => name.startsWith("fake__"))).toBe(false);
      expect(offered(4).some((name) => name.startsWith("fake__"))).toBe(false);
      expect(offered(2)).toContain("edit_file");
    } finally {
      await runtime.close();
    }
  });

  it("after a profile switch, plans use the new profile's models", async () => {
    const extra = profileToml("u", { provider: "openai", endpoint: "http://127.0.0.1:9/v1", model: "other-model" });
    const { runtime } = await runtimeFor(createPlanPolicy(), extra);
    try {
      expect((await runtime.plans()).models.planner).toBe("other-model");
      await runtime.switchProfile("t");
      expect((await runtime.plans()).models.planner).toBe(runtime.profile.model);
      expect(runtime.profile.model).not.toBe("other-model");
    } finally {
      await runtime.close();
    }
  });
});
