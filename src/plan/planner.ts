/**
 * Plan generation: the planner model gets the task and the project map (files with their
 * symbols, never a directory dump), may look around with read-only tools — the write
 * tools and bash are not in its requests at all — and replies with steps as JSON. A reply
 * that cannot be read is sent back once with what was wrong; a second failure is
 * reported. Symbol names in the steps' files are resolved to paths by the index.
 */
import { createProjectMap } from "../context/symbols/index.js";
import { addUsage, emptyUsage } from "../core/types.js";
import type { PlanEvent } from "./events.js";
import type { PlanHost } from "./host.js";
import { parsePlannerReply } from "./parse-plan.js";
import { PlanError } from "./plan-error.js";
import { plannerRepairTask, plannerTask } from "./planner-prompt.js";
import { resolveStepFiles } from "./resolve-files.js";
import { newPlanId } from "./store.js";
import type { Plan, PlanStep } from "./types.js";

/** The tools the planner may use: reading and searching only. */
export const PLANNER_TOOLS: readonly string[] = ["read_file", "search"];
/** Tokens of project map the planner is shown. */
export const PROJECT_MAP_TOKENS = 1_500;
const PLANNER_MAX_TOOL_CALLS = 8;

export interface GenerateOptions {
  host: PlanHost;
  task: string;
  signal: AbortSignal;
  onEvent?(event: PlanEvent): void;
  now?: Date;
}

export async function generatePlan(options: GenerateOptions): Promise<Plan> {
  const { host, task, signal } = options;
  const emit = options.onEvent ?? (() => undefined);
  const model = host.models.planner;
  emit({ type: "plan_planning", task, model });

  const map = createProjectMap({ root: host.root, cacheDir: host.mapCacheDir });
  await map.build(signal);
  const summary = await map.summary(PROJECT_MAP_TOKENS, { focus: task });
  const sections = [
    { name: "Project map", text: summary, maxTokens: PROJECT_MAP_TOKENS + 100, priority: 0, more: "search" },
  ];
  const usage = emptyUsage();
  let cost: number | null = 0;
  const ask = async (message: string, tools: readonly string[]) => {
    const result = await host.runAgent(
      {
        task: message,
        model,
        sections,
        onlyTools: tools,
        readOnly: true,
        maxToolCalls: tools.length > 0 ? PLANNER_MAX_TOOL_CALLS : 0,
        maxIterations: tools.length > 0 ? PLANNER_MAX_TOOL_CALLS + 2 : 1,
        singleTurn: tools.length === 0,
        onEvent: (event) => emit({ type: "plan_agent", step: 0, event }),
      },
      signal,
    );
    addUsage(usage, result.usage);
    cost = cost === null || result.costUsd === null ? null : cost + result.costUsd;
    if (result.status === "interrupted") throw new PlanError("Planning was interrupted; nothing was changed.");
    if (result.status !== "done") {
      throw new PlanError(`Planning failed: ${result.message} Try again, or set planner_model to a stronger model.`);
    }
    return result.message;
  };

  let reply = await ask(plannerTask(task), PLANNER_TOOLS);
  let parsed = parsePlannerReply(reply);
  if (!parsed.ok) {
    emit({ type: "plan_retry", reason: parsed.error });
    reply = await ask(plannerRepairTask(task, reply, parsed.error), []);
    parsed = parsePlannerReply(reply);
  }
  await map.flush().catch(() => undefined);
  if (!parsed.ok) {
    const excerpt = reply.trim().slice(0, 200).replace(/\s+/g, " ");
    throw new PlanError(
      `The planner's reply could not be read as a plan, twice: ${parsed.error}. Its last reply began: "${excerpt}". Try a stronger planner_model, or run the task without plan mode.`,
    );
  }
  for (const warning of parsed.warnings) emit({ type: "plan_notice", message: warning });

  const steps: PlanStep[] = [];
  for (const draft of parsed.steps) {
    const { files, unresolved } = await resolveStepFiles(host.root, draft.files, (name) => map.lookup(name));
    const step: PlanStep = { ...draft, files, approved: false, status: "pending" };
    if (unresolved.length > 0) {
      step.unresolved = unresolved;
      emit({
        type: "plan_notice",
        message: `step ${steps.length + 1}: no file or symbol named ${unresolved.join(", ")}; left out of its files`,
      });
    }
    steps.push(step);
  }
  return {
    version: 1,
    id: newPlanId(options.now),
    task,
    createdAt: (options.now ?? new Date()).toISOString(),
    status: "review",
    steps,
    planner: { model, usage, costUsd: cost },
  };
}
