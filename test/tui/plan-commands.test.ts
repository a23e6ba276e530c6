/**
 * /plan and /quick through the UI's real controller, command layer and keys, on a real
 * runtime against the scripted model server: what the person sees at each point (the
 * review, the Plan view's lines, the chat), Ctrl+C, the pause message and /plan resume.
 * That each step's request holds only its files is asserted in test/plan.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor } from "../../src/core/redact.js";
import { redactingEventSink } from "../../src/runtime/redacting-events.js";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { BUILTIN_COMMANDS } from "../../src/tui/commands/builtin.js";
import { createPlanExtension } from "../../src/tui/commands/plan-commands.js";
import { createCommandRegistry, createViewRegistry } from "../../src/tui/commands/registry.js";
import { type Controller, createController } from "../../src/tui/controller.js";
import { createKeyDecoder } from "../../src/tui/keys/decode.js";
import type { UiState } from "../../src/tui/state/types.js";
import { BUILTIN_VIEWS } from "../../src/tui/views/builtin.js";
import { planStatusLines } from "../../src/tui/views/plan-lines.js";
import { createPlanPolicy, FILES, isPlanning, stepOf, TASK, toolNames, userOf } from "../plan/plan-fixture.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type Policy, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;
let runtime: Runtime | undefined;
let controller: Controller | undefined;

afterEach(async () => {
  await controller?.settled();
  controller?.dispose();
  await runtime?.close();
  await server?.close();
  await project?.cleanup();
  controller = undefined;
  runtime = undefined;
  server = undefined;
  project = undefined;
});

interface Ui {
  controller: Controller;
  state(): UiState;
  type(raw: string): void;
  until(what: string, check: (state: UiState) => boolean, timeoutMs?: number): Promise<UiState>;
  /** The Plan view's lines each time the screen would have been drawn. */
  frames: string[][];
  notices(): string[];
}

async function startUi(policy: Policy, env: NodeJS.ProcessEnv = {}): Promise<Ui> {
  server = await startScriptedServer({ policy });
  project = await makeTempProject(FILES);
  await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
  const redactor = createRedactor([]);
  const commands = createCommandRegistry(BUILTIN_COMMANDS);
  const views = createViewRegistry(BUILTIN_VIEWS);
  const plan = createPlanExtension(redactor);
  for (const command of plan.commands ?? []) commands.register(command);
  for (const view of plan.views ?? []) views.register(view);
  const ui = createController({
    commands,
    views,
    width: 100,
    height: 30,
    env: { ...project.env, ...env },
    createRuntime: () => Promise.reject(new Error("not used")),
  });
  controller = ui;
  runtime = await createRuntime({
    cwd: project.dir,
    env: project.env,
    permissionMode: "trust",
    sandbox: "off",
    redactor,
    approve: ui.callbacks.approve,
    onEvent: redactingEventSink(redactor, ui.callbacks.onEvent),
  });
  ui.attach(runtime);
  const frames: string[][] = [];
  ui.subscribe(() => {
    const state = ui.getState();
    if (state.plan) frames.push(planStatusLines(state.plan, 100, state.now).map((line) => line.text));
  });
  const decoder = createKeyDecoder();
  return {
    controller: ui,
    state: () => ui.getState(),
    type(raw) {
      for (const key of decoder.push(raw)) ui.dispatch({ type: "key", key });
    },
    async until(what, check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const state = ui.getState();
        if (check(state)) return state;
        if (Date.now() > deadline) {
          const last = state.entries.slice(-6).map((e) => JSON.stringify(e));
          throw new Error(`never saw ${what}; last entries:\n${last.join("\n")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    frames,
    notices: () => ui.getState().entries.flatMap((e) => (e.kind === "notice" ? [e.text] : [])),
  };
}

const reviewOpen = (state: UiState) => state.overlay?.kind === "view" && state.overlay.id === "plan-review";

describe("/plan in the UI", () => {
  it("plans with visible progress, reviews with keys (note, refused run, approve all), runs as one task and shows ✓ per step", async () => {
    const ui = await startUi(createPlanPolicy({ firstReplyDelayMs: 30 }));
    ui.type(`/plan ${TASK}\r`);
    const planning = await ui.until("planning", (s) => s.plan?.phase === "planning" && s.badge === "planning…");
    expect(planning.activity.kind).not.toBe("idle");

    const review = await ui.until("the review", reviewOpen);
    expect(review.plan?.review?.plan.steps.map((s) => s.files)).toEqual([
      ["src/greet.js"],
      ["src/math.js"],
      ["src/format.js"],
      ["src/index.js"],
    ]);
    // The planner looked around with a read-only tool: its tool line is in the chat, its JSON is not.
    expect(review.entries.some((e) => e.kind === "tool" && e.name === "read_file")).toBe(true);
    expect(review.entries.some((e) => e.kind === "assistant")).toBe(false);
    expect(review.activity).toMatchObject({ kind: "waiting" });

    ui.type("\u001b[B"); // ↓ to step 2
    ui.type("e");
    ui.type("put it after add");
    ui.type("\r");
    expect(ui.state().plan?.review?.plan.steps[1].annotation).toBe("put it after add");
    ui.type("a"); // step 2 only
    ui.type("\r");
    expect(ui.state().plan?.review?.message).toBe("approve every step first: steps 1, 3, 4 are not approved");
    expect(server?.requests.some((r) => stepOf(r) > 0)).toBe(false);
    ui.type("A");
    ui.type("\r");

    await ui.until("step 1 running", (s) => s.plan?.progress?.steps[0].status === "running");
    expect(ui.state().overlay).toBeNull();
    // A prompt typed while the plan runs waits for it.
    ui.type("after the plan\r");
    expect(ui.state().queue.map((q) => q.text)).toEqual(["after the plan"]);

    const done = await ui.until("the plan done", (s) => s.plan?.phase === "done");
    const finalLines = planStatusLines(done.plan, 100, done.now).map((line) => line.text);
    for (const n of [1, 2, 3, 4]) expect(finalLines.some((line) => line.startsWith(`✓ ${n}. `))).toBe(true);
    expect(finalLines.find((line) => line.startsWith("✓ 2. "))).toMatch(/tokens · 1 tool call$/);
    expect(finalLines).toContain("     modified src/math.js: added multiply");
    // Live: the view showed each step running before it was done.
    for (const n of [1, 2, 3, 4])
      expect(ui.frames.some((frame) => frame.some((l) => l.startsWith(`⟳ ${n}. `)))).toBe(true);

    const headers = done.entries.flatMap((e) => (e.kind === "plan-step" ? [e.step] : []));
    expect(headers).toEqual([1, 2, 3, 4]);
    expect(ui.notices().some((n) => n.startsWith("Plan done: 4 steps"))).toBe(true);

    await ui.until(
      "the queued prompt ran",
      (s) => s.activity.kind === "idle" && s.queue.length === 0 && s.stats.tasks === 2,
    );
    const requests = server?.requests ?? [];
    const lastStep = requests.findLastIndex((r) => stepOf(r) > 0);
    const queued = requests.findIndex((r) => userOf(r).includes("after the plan"));
    expect(queued).toBeGreaterThan(lastStep);
    expect(userOf(requests.find((r) => stepOf(r) === 2) ?? requests[0])).toContain("User note: put it after add");
    expect(await readFile(path.join(project?.dir ?? "", "src/math.js"), "utf8")).toContain("multiply");
  });

  it("a failed verification pauses with the reason and how to go on; /plan resume continues from that step", async () => {
    const skip = new Set([3]);
    const ui = await startUi(createPlanPolicy({ skipEdit: skip }));
    ui.type(`/plan ${TASK}\r`);
    await ui.until("the review", reviewOpen);
    ui.type("A");
    ui.type("\r");
    const paused = await ui.until("the pause", (s) => s.plan?.phase === "paused" && s.activity.kind === "idle");
    const lines = planStatusLines(paused.plan, 100, paused.now).map((line) => line.text);
    expect(lines[1]).toMatch(/^paused: step 3 failed: verification failed: /);
    expect(lines.filter((line) => /^[✓✗○⟳] \d\./.test(line)).map((line) => line.slice(0, 4))).toEqual([
      "✓ 1.",
      "✓ 2.",
      "✗ 3.",
      "○ 4.",
    ]);
    expect(ui.notices().at(-1)).toMatch(
      /^Plan paused at step 3: step 3 failed: verification failed: [\s\S]*\. Fix what failed, or add a note to the step in \.parecode\/plan\.md; then \/plan resume continues from there\.$/,
    );

    // The person fixes what was wrong (here: the model now does the edit) and resumes.
    skip.clear();
    const before = server?.requests.length ?? 0;
    ui.type("/plan resume\r");
    const resumed = await ui.until(
      "the resumed plan done",
      (s) => s.plan?.phase === "done" && s.activity.kind === "idle",
    );
    expect(ui.notices()).toContain(`Resuming at step 3 of 4 (2 done): "${TASK}".`);
    const again = (server?.requests ?? []).slice(before).map(stepOf);
    expect(new Set(again)).toEqual(new Set([3, 4]));
    expect(
      resumed.entries.filter((e) => e.kind === "plan-step").map((e) => (e.kind === "plan-step" ? e.step : 0)),
    ).toEqual([1, 2, 3, 3, 4]);
  });

  it("Esc keeps the plan for later; /plan resume reviews it again; Ctrl+C aborts the running step and pauses", async () => {
    let slowed = false;
    const inner = createPlanPolicy();
    const ui = await startUi((request, index) => {
      const turn = inner(request, index);
      // Step 1's first answer takes long enough to be cancelled.
      if (stepOf(request) === 1 && !slowed) {
        slowed = true;
        return { ...turn, delayMs: 10_000 } as typeof turn;
      }
      return turn;
    });
    ui.type(`/plan ${TASK}\r`);
    await ui.until("the review", reviewOpen);
    ui.type("\u001b");
    const kept = await ui.until("the review closed", (s) => s.activity.kind === "idle" && s.overlay === null);
    expect(kept.plan).toMatchObject({ phase: "stopped" });
    expect(ui.notices().at(-1)).toBe(
      "Plan not run. It is saved in .parecode/plan.md; /plan resume reviews and runs it.",
    );
    const md = await readFile(path.join(project?.dir ?? "", ".parecode/plan.md"), "utf8");
    expect(md).toContain("Add multiply to math");

    ui.type("/plan resume\r");
    const again = await ui.until("the review again", reviewOpen);
    expect(again.plan?.review?.message).toBe("Resuming at step 1 of 4.");
    ui.type("A");
    ui.type("\r");
    await ui.until("step 1 asked", () => (server?.requests ?? []).some((r) => stepOf(r) === 1));
    ui.type("\u0003");
    const paused = await ui.until("paused", (s) => s.plan?.phase === "paused" && s.activity.kind === "idle");
    expect(paused.plan?.reason).toBe("step 1 was interrupted");
    expect(paused.plan?.progress?.steps[0].status).toBe("failed");
    expect(ui.notices().at(-1)).toMatch(/^Plan paused at step 1: step 1 was interrupted\. .*\/plan resume/);
    expect((server?.requests ?? []).filter((r) => stepOf(r) > 1)).toHaveLength(0);
    // Planning was read-only; nothing asked for a write tool before the review.
    for (const request of (server?.requests ?? []).filter(isPlanning))
      expect(toolNames(request)).not.toContain("edit_file");
  });
});

describe("the review's E key", () => {
  it("opens plan.md in $EDITOR and reads the edit back; without an editor it says how to edit by hand", async () => {
    // The "editor" rewords step 4's instruction in place, as a person would.
    const editor = "sed -i 's/from src\\/index.js\\./from src\\/index.js, sorted by name./'";
    const ui = await startUi(createPlanPolicy(), { EDITOR: editor, VISUAL: "" });
    ui.type(`/plan ${TASK}\r`);
    await ui.until("the review", reviewOpen);
    ui.type("E");
    const edited = await ui.until("the edit read back", (s) => /step 4 edited/.test(s.plan?.review?.message ?? ""));
    expect(edited.plan?.review?.plan.steps[3].instruction).toContain("from src/index.js, sorted by name.");
    ui.type("\u001b");
    await ui.until("the review closed", (s) => s.activity.kind === "idle" && s.overlay === null);
    await controller?.settled();
    controller?.dispose();
    await runtime?.close();
    await server?.close();
    await project?.cleanup();

    const bare = await startUi(createPlanPolicy(), { EDITOR: "", VISUAL: "" });
    bare.type(`/plan ${TASK}\r`);
    await bare.until("the review", reviewOpen);
    bare.type("E");
    const hinted = await bare.until("the hint", (s) => s.plan?.hint !== undefined);
    expect(hinted.plan?.hint).toMatch(
      /^Set \$EDITOR .*edit .*\.parecode\/plan\.md yourself\. Press r to read plan\.md back/,
    );
    bare.type("\u001b");
    await bare.until("the review closed", (s) => s.activity.kind === "idle" && s.overlay === null);
  });
});

describe("/quick in the UI", () => {
  it("runs one quick call as a task with a quick badge", async () => {
    const ui = await startUi(() => ({ text: "Renamed it." }));
    ui.type("/quick rename total to sum in README.md\r");
    const running = await ui.until("quick running", (s) => s.badge === "quick");
    expect(running.entries.at(-1)).toMatchObject({ kind: "user", text: "/quick rename total to sum in README.md" });
    const done = await ui.until("quick done", (s) => s.activity.kind === "idle" && s.stats.tasks === 1);
    expect(done.badge).toBeNull();
    expect(done.entries.some((e) => e.kind === "assistant" && e.markdown === "Renamed it.")).toBe(true);
    const request = server?.requests.at(-1);
    expect(request && userOf(request)).toBe("rename total to sum in README.md");
    expect(request && toolNames(request).sort()).toEqual(["bash", "edit_file", "search"]);
  });
});
