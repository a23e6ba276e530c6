/**
 * Plan mode end to end: the built CLI against the scripted model server on a temp
 * project. Assertions are on what each request held and on the files afterwards.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempProject, parseJsonLines, runCli, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import {
  createPlanPolicy,
  FILES,
  isPlanning,
  type PolicyOptions,
  planJson,
  STEPS,
  stepOf,
  systemOf,
  TASK,
  toolNames,
  userOf,
} from "./plan-fixture.js";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

async function setup(policy: PolicyOptions = {}, extraConfig = ""): Promise<TempProject> {
  server = await startScriptedServer({ policy: createPlanPolicy(policy) });
  project = await makeTempProject(FILES);
  await project.writeConfig(
    `${extraConfig}${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}`,
  );
  return project;
}

async function plan(args: string[]) {
  if (!project) throw new Error("no project");
  const run = await runCli(["plan", ...args, "--json"], { cwd: project.dir, env: project.env, timeoutMs: 30_000 });
  return { ...run, events: parseJsonLines(run.stdout) };
}

const read = (rel: string) => readFile(path.join(project?.dir ?? "", rel), "utf8");

describe("parecode plan", () => {
  it("plans with read-only tools, then runs four steps, each seeing only its files and the summaries", async () => {
    await setup();
    const run = await plan([TASK, "--yes"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    // Planning: the write tools and bash are not in the request at all.
    const planning = server?.requests.filter(isPlanning) ?? [];
    expect(planning.length).toBe(2);
    for (const request of planning) expect(toolNames(request)).toEqual(["read_file", "search"]);
    // The planner is shown the project map (symbols with files), not a directory listing.
    expect(systemOf(planning[0])).toContain("src/greet.js: fn greet");

    // Each step: its own files attached, no other step's files, the summaries of the steps before it.
    for (const [i, step] of STEPS.entries()) {
      const requests = server?.requests.filter((r) => stepOf(r) === i + 1) ?? [];
      expect(requests.length).toBe(2);
      const system = systemOf(requests[0]);
      expect(system).toContain(`## File ${step.edit.path}\n${FILES[step.edit.path].trimEnd()}`);
      for (const other of STEPS.filter((s) => s !== step)) expect(system).not.toContain(`## File ${other.edit.path}`);
      // A fresh context: the system prompt and the step's own message, nothing of earlier conversations.
      expect((requests[0].body.messages as unknown[]).length).toBe(2);
      if (i === 0) continue;
      // greet's text reaches step 1 only...
      expect(system).not.toContain('return "Hello " + name');
      expect(system).toContain("Step 1 (done): Add a comma to the greeting\n  modified src/greet.js: changed greet");
      expect(system).not.toContain(`Step ${i + 1} (done)`);
    }
    const third = server?.requests.find((r) => stepOf(r) === 3);
    expect(systemOf(third ?? server?.requests[0] ?? ({} as never))).toContain(
      "Step 2 (done): Add multiply to math\n  modified src/math.js: added multiply\n  verified: src/math.js changed",
    );
    // A step that may not run commands is not offered bash; one that may, is.
    expect(toolNames(server?.requests.find((r) => stepOf(r) === 1) ?? ({} as never))).not.toContain("bash");
    expect(toolNames(server?.requests.find((r) => stepOf(r) === 4) ?? ({} as never))).toContain("bash");

    expect(await read("src/greet.js")).toContain('return "Hello, " + name;');
    expect(await read("src/math.js")).toContain("export function multiply(a, b)");
    expect(await read("src/format.js")).toContain("text.padEnd(10)");
    expect(await read("src/index.js")).toContain('export { pad } from "./format.js";');

    const verifies = run.events.filter((e) => e.type === "plan_step_verify");
    expect(verifies.map((e) => e.ok)).toEqual([true, true, true, true]);
    const done = run.events.find((e) => e.type === "plan_done") as { estimate?: { ratio: number } } | undefined;
    expect(done?.estimate?.ratio).toBeGreaterThan(0);
    const saved = await read(".parecode/plan.md");
    expect(saved).toContain("Status: done");
    expect(saved).toContain("> Result: Step 4 (done): Export everything from index");
  });

  it("pauses at a step whose verification fails and resumes from that step with the note added in plan.md", async () => {
    await setup({ skipEdit: new Set([2]) });
    const first = await plan([TASK, "--yes"]);
    expect(first.code).toBe(1);
    expect(first.events.find((e) => e.type === "plan_paused")).toMatchObject({ step: 2 });
    expect(first.events.some((e) => e.type === "plan_step_start" && e.step === 3)).toBe(false);
    expect(await read("src/math.js")).toBe(FILES["src/math.js"]);
    const md = await read(".parecode/plan.md");
    expect(md).toContain("- status: failed");
    expect(md).toContain("> Failed: verification failed: src/math.js did not change");

    // The person fixes the step in plan.md: a note for the model.
    const annotated = md.replace(
      "Add and export multiply(a, b) to src/math.js.",
      "Add and export multiply(a, b) to src/math.js.\n\n> Note: put it after add",
    );
    await writeFile(path.join(project?.dir ?? "", ".parecode/plan.md"), annotated);
    const before = server?.requests.length ?? 0;
    server?.close();
    // The model behaves now.
    server = await startScriptedServer({ policy: createPlanPolicy() });
    await project?.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    const resumed = await plan(["--resume", "--yes"]);
    expect(resumed.code).toBe(0);
    expect(before).toBeGreaterThan(0);
    const steps = (server?.requests ?? []).map(stepOf);
    expect(steps.includes(1)).toBe(false);
    expect(steps.filter((s) => s === 2).length).toBe(2);
    expect(server?.requests.some(isPlanning)).toBe(false);
    expect(userOf(server?.requests.find((r) => stepOf(r) === 2) ?? ({} as never))).toContain(
      "User note: put it after add",
    );
    expect(await read("src/math.js")).toContain("multiply");
    expect(await read("src/index.js")).toContain("multiply");
  });

  it("runs two steps that share no files and run no commands at the same time", async () => {
    const independent = STEPS.slice(0, 2).map((step) => ({ ...step, bash: false }));
    await setup({ steps: independent, firstReplyDelayMs: 600 }, "parallel_steps = 2\n");
    const run = await plan([TASK, "--yes"]);
    expect(run.code).toBe(0);
    const starts = (step: number) =>
      (server?.requests ?? []).filter((r) => stepOf(r) === step).map((r) => r.receivedAt);
    const [a1, a2] = starts(1);
    const [b1, b2] = starts(2);
    // Each step's second request comes only after its delayed first answer; the other
    // step's first request arrived before that: the two ran at the same time.
    expect(b1).toBeLessThan(a2);
    expect(a1).toBeLessThan(b2);
    expect(run.events.filter((e) => e.type === "plan_step_start").every((e) => e.concurrent === true)).toBe(true);
    for (const request of server?.requests.filter((r) => stepOf(r) > 0) ?? [])
      expect(toolNames(request)).not.toContain("bash");
    expect(await read("src/greet.js")).toContain('"Hello, "');
    expect(await read("src/math.js")).toContain("multiply");
  });

  it("asks the planner once more when its reply is not a plan, then reports clearly", async () => {
    await setup({ plannerReplies: ["I think we should start with greet.", planJson(STEPS.slice(0, 1))] });
    const repaired = await plan([TASK, "--yes"]);
    expect(repaired.code).toBe(0);
    const planning = server?.requests.filter(isPlanning) ?? [];
    expect(planning).toHaveLength(2);
    expect(userOf(planning[1])).toContain(
      "Your earlier reply could not be used: the reply holds no JSON object with a steps list.",
    );
    expect(toolNames(planning[1])).toEqual([]);

    await server?.close();
    await project?.cleanup();
    await setup({ plannerReplies: ["no plan", "still no plan"] });
    const failed = await runCli(["plan", TASK, "--yes"], {
      cwd: project?.dir ?? "",
      env: project?.env,
      timeoutMs: 30_000,
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'The planner\'s reply could not be read as a plan, twice: the reply holds no JSON object with a steps list. Its last reply began: "still no plan".',
    );
  });

  it("saves the plan without running it when there is no terminal and no --yes", async () => {
    await setup();
    const run = await runCli(["plan", TASK], { cwd: project?.dir ?? "", env: project?.env, timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("1. Add a comma to the greeting");
    expect(run.stderr).toContain("Not run: there is no terminal to ask. Run it with: parecode plan --resume --yes");
    expect(server?.requests.every(isPlanning)).toBe(true);
    expect(await read(".parecode/plan.md")).toContain("## Step 4: Export everything from index");
  });
});

describe("parecode --quick", () => {
  it("makes one model call with the system prompt, the task and three tools, and at most one tool call", async () => {
    server = await startScriptedServer({
      script: [
        {
          toolCalls: [
            { name: "edit_file", args: { path: "README.md", old_str: "A tiny", new_str: "A small" } },
            { name: "edit_file", args: { path: "README.md", old_str: "demo", new_str: "x" } },
          ],
        },
      ],
    });
    project = await makeTempProject({ ...FILES, "AGENTS.md": "Conventions that quick mode leaves out.\n" });
    await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    const run = await runCli(["--quick", "--yes", "--json", "say small instead of tiny in README.md"], {
      cwd: project.dir,
      env: project.env,
    });
    expect(run.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(toolNames(request)).toEqual(["edit_file", "search", "bash"]);
    expect(systemOf(request)).not.toContain("Conventions that quick mode leaves out");
    expect(JSON.stringify(request.body).length).toBeLessThan(6_000);
    expect(await read("README.md")).toBe("# demo\n\nA small project.\n");
  });

  it("headless without --yes: the refused edit ends with reason denied and exit 3; --append-system-prompt reaches the call", async () => {
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "edit_file", args: { path: "README.md", old_str: "A tiny", new_str: "A small" } }] },
      ],
    });
    project = await makeTempProject(FILES);
    await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
    const run = await runCli(
      ["--quick", "--output-format", "json", "--append-system-prompt", "Keep it short.", "say small in README.md"],
      { cwd: project.dir, env: project.env },
    );
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: true, reason: "denied", status: "failed" });
    expect(systemOf(server.requests[0])).toMatch(/Keep it short\.$/);
    expect(await read("README.md")).toBe(FILES["README.md"]);
  });
});
