/**
 * Running a plan. Each step is a fresh agent run on its category's model with only its
 * own context (see step-context.ts); the scaffold carries everything between steps:
 * which are done, what they changed (carry-forward summaries), whether they passed their
 * verification. A failing step pauses the plan there; running it again (resume) starts
 * from that step. Steps that share no files and run no commands may run at once; their
 * results are then taken in plan order, and two of them changing the same file pauses
 * the plan and asks.
 */

import { readFile } from "node:fs/promises";
import type { ToolRunner } from "../agent/agent.js";
import { addUsage, emptyUsage, type ToolCall } from "../core/types.js";
import { EDIT_TOOLS } from "../permissions/policy.js";
import { resolveInProject } from "../tools/path-safety.js";
import { summariseStep } from "./carry-forward.js";
import { estimateRatio } from "./estimate.js";
import type { PlanEvent } from "./events.js";
import { nextGroup, writeConflicts } from "./groups.js";
import type { PlanHost } from "./host.js";
import { PlanError } from "./plan-error.js";
import { buildStepContext } from "./step-context.js";
import type { PlanStore } from "./store.js";
import { nextStepIndex, type Plan, type StepOutcome } from "./types.js";
import { verifyStep } from "./verify.js";

/** What `onStepDone` is told about a step that passed. */
export interface StepDone {
  /** 1-based. */
  step: number;
  description: string;
  filesChanged: string[];
  summary: string;
}

export interface WriteConflict {
  steps: number[];
  files: string[];
}

export interface ExecuteOptions {
  host: PlanHost;
  signal: AbortSignal;
  /** Saves the plan after every change of state (plan.md and the JSON). */
  store?: PlanStore;
  onEvent?(event: PlanEvent): void;
  /**
   * Called after each step passed its verification, before the next one starts, and
   * awaited (on_plan_step_done hooks run here). It must not throw; what it does to the
   * files is seen by the next step.
   */
  onStepDone?(done: StepDone): void | Promise<void>;
  /** Steps that ran at once changed the same files: go on, or pause (the default without this). */
  resolveConflict?(conflict: WriteConflict): Promise<"continue" | "pause">;
}

/** A step's own run, before verification. */
interface StepRun {
  index: number;
  ok: boolean;
  message: string;
  outcome: StepOutcome;
  changed: string[];
  before: Map<string, string | null>;
}

/**
 * Runs the plan from its first step not done, to the end or to the first failure. Every
 * step not done must be approved (the review's job); PlanError otherwise.
 * Returns the plan as it stands afterwards (status done, paused or cancelled); the plan
 * passed in is not modified.
 */
export async function executePlan(input: Plan, options: ExecuteOptions): Promise<Plan> {
  const { host, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  const unapproved = input.steps.flatMap((step, i) => (step.status !== "done" && !step.approved ? [i + 1] : []));
  if (unapproved.length > 0) {
    throw new PlanError(
      `Every step must be approved before the plan runs; not approved: step ${unapproved.join(", ")}. Review the plan (or run with --yes).`,
    );
  }
  const plan: Plan = structuredClone(input);
  const save = async () => {
    await options.store?.save(plan);
  };
  for (const step of plan.steps) {
    // A failed or interrupted step runs again from the start when the plan resumes.
    if (step.status !== "done") step.status = "pending";
  }
  plan.status = "running";
  delete plan.pausedReason;
  await save();

  const pause = async (index: number, reason: string): Promise<Plan> => {
    plan.status = "paused";
    plan.pausedReason = reason;
    emit({ type: "plan_paused", step: index + 1, reason });
    await save();
    return plan;
  };

  for (let start = nextStepIndex(plan); start >= 0; start = nextStepIndex(plan)) {
    if (signal.aborted) return pause(start, "interrupted before the step started");
    const group = nextGroup(plan.steps, start, host.parallelSteps);
    const concurrent = group.length > 1;
    for (const index of group) plan.steps[index].status = "running";
    await save();
    // Steps beside each other change one file at a time: an edit reads, then writes, and
    // two interleaved would lose one change. Conflicts are still reported after the group.
    const locks = createFileLocks();
    const runs = await Promise.all(group.map((index) => runStep(plan, index, concurrent, host, signal, emit, locks)));

    let failedAt: number | undefined;
    for (const run of runs) {
      const step = plan.steps[run.index];
      step.outcome = run.outcome;
      plan.spent = addSpent(plan.spent, run.outcome);
      let ok = run.ok;
      let message = run.message;
      if (ok) {
        const check = await verifyStep(step.verify, {
          root: host.root,
          files: step.files,
          before: run.before,
          runCommand: host.runCommand,
          signal,
        });
        if (step.verify.kind !== "none") {
          emit({
            type: "plan_step_verify",
            step: run.index + 1,
            verify: step.verify,
            ok: check.ok,
            message: check.message,
          });
        }
        step.outcome.verification = check.message || undefined;
        ok = check.ok;
        message = check.ok ? check.message : `verification failed: ${check.message}`;
      }
      if (ok) {
        step.status = "done";
        delete step.failure;
        step.summary = await summariseStep({
          root: host.root,
          number: run.index + 1,
          description: step.description,
          changed: run.changed,
          before: run.before,
          verified: message || undefined,
        });
      } else {
        step.status = "failed";
        step.failure = message;
        failedAt ??= run.index;
      }
      emit({
        type: "plan_step_end",
        step: run.index + 1,
        status: ok ? "done" : "failed",
        summary: ok ? (step.summary ?? "") : message,
        usage: run.outcome.usage,
        costUsd: run.outcome.costUsd,
        toolCalls: run.outcome.toolCalls,
        filesChanged: run.changed,
        durationMs: run.outcome.durationMs,
      });
      await save();
      if (ok) {
        await options.onStepDone?.({
          step: run.index + 1,
          description: step.description,
          filesChanged: run.changed,
          summary: step.summary ?? "",
        });
      }
    }
    if (failedAt !== undefined) {
      const step = plan.steps[failedAt];
      const reason = signal.aborted
        ? `step ${failedAt + 1} was interrupted`
        : `step ${failedAt + 1} failed: ${step.failure ?? "no reason given"}`;
      return pause(failedAt, reason);
    }
    if (concurrent) {
      const conflict = writeConflicts(runs.map((run) => ({ step: run.index + 1, files: run.changed })));
      if (conflict.files.length > 0) {
        emit({ type: "plan_conflict", steps: conflict.steps, files: conflict.files });
        const answer = (await options.resolveConflict?.(conflict)) ?? "pause";
        if (answer === "pause") {
          const next = nextStepIndex(plan);
          const reason = `steps ${conflict.steps.join(" and ")} both changed ${conflict.files.join(", ")}; check those files, then resume`;
          if (next < 0) {
            plan.status = "paused";
            plan.pausedReason = reason;
            emit({ type: "plan_paused", step: plan.steps.length, reason });
            await save();
            return plan;
          }
          return pause(next, reason);
        }
      }
    }
  }

  plan.status = "done";
  const spent = plan.spent ?? { usage: emptyUsage(), costUsd: 0 };
  emit({
    type: "plan_done",
    usage: spent.usage,
    costUsd: spent.costUsd,
    estimate: plan.estimate
      ? {
          low: plan.estimate.low,
          high: plan.estimate.high,
          ratio: estimateRatio(plan.estimate, spent.usage.inputTokens),
        }
      : undefined,
  });
  await save();
  return plan;
}

async function runStep(
  plan: Plan,
  index: number,
  concurrent: boolean,
  host: PlanHost,
  signal: AbortSignal,
  emit: (event: PlanEvent) => void,
  locks: FileLocks,
): Promise<StepRun> {
  const step = plan.steps[index];
  const number = index + 1;
  const model = host.models.routes[step.category];
  emit({
    type: "plan_step_start",
    step: number,
    description: step.description,
    model,
    category: step.category,
    concurrent,
  });
  const context = await buildStepContext(plan, index, host.root);
  const before = context.before;
  const touched = new Set<string>();
  const watch = (tools: ToolRunner): ToolRunner => ({
    schemas: () => tools.schemas(),
    async execute(call, ctx) {
      const target = editTarget(host.root, call);
      const run = async () => {
        if (target && !before.has(target.relative)) {
          before.set(target.relative, await readFile(target.absolute, "utf8").catch(() => null));
        }
        return tools.execute(call, ctx);
      };
      const result = target ? await locks.with(target.relative, run) : await run();
      for (const file of result.filesChanged ?? []) touched.add(file);
      return result;
    },
  });
  const result = await host.runAgent(
    {
      task: context.task,
      model,
      sections: context.sections,
      withoutTools: step.bash ? [] : ["bash"],
      maxToolCalls: step.toolBudget,
      maxIterations: step.toolBudget + 2,
      mcpScope: step.category,
      wrapTools: watch,
      onEvent: (event) => emit({ type: "plan_agent", step: number, event }),
    },
    signal,
  );
  // Beside other steps, the git comparison sees their changes too: trust the tools' own reports.
  const changed = concurrent ? [...touched] : [...new Set([...touched, ...result.filesChanged])];
  const outcome: StepOutcome = {
    model,
    usage: result.usage,
    costUsd: result.costUsd,
    toolCalls: result.toolCalls,
    turns: result.turns,
    filesChanged: changed.sort(),
    durationMs: result.durationMs,
    message: result.message,
  };
  const denied = result.denials.length > 0 ? ` (${result.denials.length} action(s) denied)` : "";
  return {
    index,
    ok: result.status === "done",
    message: result.status === "done" ? "" : `${result.status}: ${result.message}${denied}`,
    outcome,
    changed: outcome.filesChanged,
    before,
  };
}

/** The file an edit tool call would change, inside the project; undefined for any other call. */
function editTarget(root: string, call: ToolCall): { relative: string; absolute: string } | undefined {
  if (!EDIT_TOOLS.includes(call.name) || typeof call.args.path !== "string") return undefined;
  const resolved = resolveInProject(root, call.args.path);
  return "error" in resolved ? undefined : resolved;
}

interface FileLocks {
  with<T>(file: string, run: () => Promise<T>): Promise<T>;
}

/** One change at a time per file, in the order asked. */
function createFileLocks(): FileLocks {
  const tails = new Map<string, Promise<unknown>>();
  return {
    with(file, run) {
      const result = (tails.get(file) ?? Promise.resolve()).then(run);
      tails.set(
        file,
        result.catch(() => undefined),
      );
      return result;
    },
  };
}

/** Running totals of what the plan's steps cost, every attempt included. */
function addSpent(spent: Plan["spent"], outcome: StepOutcome): NonNullable<Plan["spent"]> {
  const usage = addUsage({ ...(spent?.usage ?? emptyUsage()) }, outcome.usage);
  const before = spent ? spent.costUsd : 0;
  return { usage, costUsd: before === null || outcome.costUsd === null ? null : before + outcome.costUsd };
}
