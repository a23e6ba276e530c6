/**
 * Plan mode and quick mode in the UI: /plan TASK, /plan resume, /plan view and /quick TASK.
 * A /plan is one task for the controller — planning, the review, then the steps — so the
 * status bar shows it, Ctrl+C cancels whichever part is under way (the plan stays saved)
 * and prompts typed meanwhile queue behind it. What keys mean and what the screen shows
 * are pure (state/review-keys.ts, state/plan-*.ts, views/plan-lines.ts); this file does
 * the IO around them through the runtime's plan service: save, read plan.md back, run.
 */
import path from "node:path";
import type { Redactor } from "../../core/redact.js";
import type { AgentEvent } from "../../core/types.js";
import {
  nextStepIndex,
  type Plan,
  type PlanEvent,
  type PlanService,
  type ReviewState,
  type WriteConflict,
} from "../../plan/index.js";
import { redactingEventSink } from "../../runtime/redacting-events.js";
import { PLAN_VIEW } from "../state/plan-state.js";
import { reviewKey } from "../state/review-keys.js";
import { createReviewView, planView } from "../views/plan-views.js";
import type { CommandContext, CommandSpec, TuiExtension } from "./registry.js";

/** Plan events as the UI shows them: every string redacted, each step's stream held back on its own. */
export function planEventSink(redactor: Redactor, dispatch: CommandContext["dispatch"]): (event: PlanEvent) => void {
  const steps = new Map<number, (event: AgentEvent) => void>();
  return (event) => {
    if (event.type !== "plan_agent") {
      dispatch({ type: "plan", event: redactor.value(event) });
      return;
    }
    const step = event.step;
    let sink = steps.get(step);
    if (!sink) {
      sink = redactingEventSink(redactor, (inner) =>
        dispatch({ type: "plan", event: { type: "plan_agent", step, event: inner } }),
      );
      steps.set(step, sink);
    }
    sink(event.event);
  };
}

/** The service's messages name the one-shot command; in the UI the person types /plan. */
const forTheUi = (message: string) => message.replaceAll('parecode plan "task"', "/plan TASK");

const messageOf = (err: unknown) => (err as Error)?.message ?? String(err);

export function createPlanExtension(redactor: Redactor): TuiExtension {
  /** The review waiting for its decision; resolved by the review's keys or the task's cancel. */
  let pending: ((review: ReviewState | undefined) => void) | undefined;
  /** Saves in order: two at once would race on the same temporary file. */
  let saving: Promise<void> = Promise.resolve();

  const save = (service: PlanService, plan: Plan): Promise<void> => {
    saving = saving.then(() => service.save(plan));
    const done = saving;
    saving = saving.catch(() => undefined);
    return done;
  };

  async function onReviewKey(key: string, ctx: CommandContext, _data: unknown, text?: string): Promise<void> {
    const review = ctx.state().plan?.review;
    if (!review || review.outcome) return;
    const what = reviewKey(review, key, text);
    switch (what.kind) {
      case "none":
        return;
      case "edit": {
        // plan.md gets the notes and approvals made so far, so an edit starts from them.
        const service = await ctx.runtime.plans();
        await save(service, review.plan);
        await saving;
        const file = path.join(ctx.runtime.root, service.store.markdownPath);
        const failed = ctx.openInEditor(file);
        if (failed) {
          ctx.dispatch({ type: "plan-review-hint", text: `${failed} Press r to read plan.md back after an edit.` });
          return;
        }
        await readBack(ctx, review.plan);
        return;
      }
      case "read-back":
        await readBack(ctx, review.plan);
        return;
      case "action": {
        ctx.dispatch({ type: "plan-review-action", action: what.action });
        const after = ctx.state().plan?.review;
        if (after?.outcome) {
          const decide = pending;
          pending = undefined;
          decide?.(after);
        }
      }
    }
  }

  /** Reads .parecode/plan.md back into the review (an edit made in the editor or by hand). */
  async function readBack(ctx: CommandContext, plan: Plan): Promise<void> {
    const service = await ctx.runtime.plans();
    try {
      await saving;
      const back = await service.readBack(plan);
      ctx.dispatch({ type: "plan-review-action", action: { type: "edited", plan: back.plan, changed: back.changed } });
    } catch (err) {
      ctx.dispatch({ type: "plan-review-action", action: { type: "editor_failed", reason: messageOf(err) } });
    }
  }

  /** Waits for the review's decision; undefined when the task was cancelled (Ctrl+C). */
  function decision(signal: AbortSignal): Promise<ReviewState | undefined> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const onAbort = () => {
        pending = undefined;
        resolve(undefined);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      pending = (review) => {
        signal.removeEventListener("abort", onAbort);
        resolve(review);
      };
    });
  }

  async function reviewThenRun(
    ctx: CommandContext,
    service: PlanService,
    plan: Plan,
    signal: AbortSignal,
    sink: (event: PlanEvent) => void,
    message?: string,
  ): Promise<void> {
    ctx.dispatch({ type: "plan-review", plan, message });
    const decided = await decision(signal);
    if (decided?.outcome === "run") return runPlan(ctx, service, decided.plan, signal, sink);
    // Not run: kept as it was before the review ended, so /plan resume brings it back.
    const reviewed = ctx.state().plan?.review?.plan ?? decided?.plan ?? plan;
    const kept: Plan = { ...reviewed, status: plan.status };
    await save(service, kept);
    const md = service.store.markdownPath;
    ctx.dispatch({
      type: "plan-end",
      plan: kept,
      reason: `not run; saved in ${md} (/plan resume reviews and runs it)`,
    });
    ctx.notice(`Plan not run. It is saved in ${md}; /plan resume reviews and runs it.`);
  }

  async function runPlan(
    ctx: CommandContext,
    service: PlanService,
    plan: Plan,
    signal: AbortSignal,
    sink: (event: PlanEvent) => void,
  ): Promise<void> {
    ctx.dispatch({ type: "plan-run", plan });
    try {
      const finished = await service.execute(plan, {
        signal,
        onEvent: sink,
        resolveConflict: (conflict) => askConflict(ctx, conflict),
      });
      ctx.dispatch({ type: "plan-end", plan: finished });
    } catch (err) {
      ctx.dispatch({ type: "plan-end", reason: messageOf(err) });
      throw err;
    }
  }

  async function newPlan(ctx: CommandContext, task: string): Promise<void> {
    const service = await ctx.runtime.plans();
    ctx.dispatch({
      type: "plan-begin",
      task,
      markdownPath: service.store.markdownPath,
      routes: service.models.routes,
    });
    await ctx.runTask("planning…", async (signal) => {
      const sink = planEventSink(redactor, ctx.dispatch);
      let plan: Plan;
      try {
        plan = await service.generate(task, { signal, onEvent: sink });
      } catch (err) {
        const cancelled = signal.aborted;
        ctx.dispatch({ type: "plan-end", reason: cancelled ? "planning was cancelled" : messageOf(err) });
        if (!cancelled) throw err;
        ctx.notice("Planning cancelled; nothing was saved.", "warn");
        return;
      }
      await reviewThenRun(ctx, service, plan, signal, sink);
    });
  }

  async function resumePlan(ctx: CommandContext): Promise<void> {
    const service = await ctx.runtime.plans();
    let saved: Plan;
    try {
      saved = await service.resumable();
    } catch (err) {
      ctx.notice(forTheUi(messageOf(err)), "error");
      return;
    }
    ctx.dispatch({
      type: "plan-begin",
      task: saved.task,
      markdownPath: service.store.markdownPath,
      resume: true,
      routes: service.models.routes,
    });
    await ctx.runTask("plan", async (signal) => {
      const sink = planEventSink(redactor, ctx.dispatch);
      let back: { plan: Plan; changed: string[] };
      try {
        back = await service.readBack(saved);
      } catch (err) {
        ctx.dispatch({ type: "plan-end", reason: messageOf(err) });
        throw err;
      }
      const plan = back.plan;
      const done = plan.steps.filter((step) => step.status === "done").length;
      const where = `Resuming at step ${nextStepIndex(plan) + 1} of ${plan.steps.length}${done > 0 ? ` (${done} done)` : ""}`;
      const unapproved = plan.steps.some((step) => step.status !== "done" && !step.approved);
      if (back.changed.length > 0 || unapproved) {
        const changed = back.changed.length > 0 ? `; from plan.md: ${back.changed.join(", ")}` : "";
        return reviewThenRun(ctx, service, plan, signal, sink, `${where}${changed}.`);
      }
      ctx.notice(`${where}: "${plan.task}".`);
      await runPlan(ctx, service, plan, signal, sink);
    });
  }

  const busy = (ctx: CommandContext, what: string): boolean => {
    const state = ctx.state();
    if (state.activity.kind === "idle" && !state.approval) return false;
    ctx.notice(`${what} waits until the task ends (or Ctrl+C cancels it). /plan view shows the plan.`, "warn");
    return true;
  };

  const commands: CommandSpec[] = [
    {
      name: "plan",
      args: "TASK | resume | view",
      needsArgs: true,
      description: "plan a multi-step task, review the steps, run each in a fresh context (view: step status, Ctrl+T)",
      async run(ctx, args) {
        const arg = args.trim();
        if (arg === "" || arg === "view") {
          ctx.openView(PLAN_VIEW);
          return;
        }
        if (arg === "resume") {
          if (!busy(ctx, "/plan resume")) await resumePlan(ctx);
          return;
        }
        if (!busy(ctx, "/plan")) await newPlan(ctx, arg);
      },
    },
    {
      name: "quick",
      args: "TASK",
      needsArgs: true,
      description: "one small change: one model call on the quick route, at most one tool call, no history",
      run(ctx, args) {
        const task = args.trim();
        if (task === "") {
          ctx.notice("Say what to change, e.g. /quick rename total to sum in src/cart.ts.", "warn");
          return;
        }
        ctx.dispatch({ type: "prompt", prompt: { text: task, attachments: [], quick: true } });
      },
    },
  ];

  return { commands, views: [createReviewView(onReviewKey), planView] };
}

/** Two steps beside each other changed the same files: the person says whether to go on. */
async function askConflict(ctx: CommandContext, conflict: WriteConflict): Promise<"continue" | "pause"> {
  const picked = await ctx.pick({
    title: `Steps ${conflict.steps.join(" and ")} both changed ${conflict.files.join(", ")}`,
    items: [
      { value: "pause", label: "Pause the plan", hint: "check those files, then /plan resume" },
      { value: "continue", label: "Keep going", hint: "the later step's changes stand" },
    ],
  });
  return picked === "continue" ? "continue" : "pause";
}
