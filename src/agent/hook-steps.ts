/**
 * Where hooks meet the loop: on_edit after a batch of tool calls that changed files (its
 * output appended to the result of the last edit, so the model reads the compiler error
 * in the same result and fixes it on its next turn), on_task_done at the end. Every run
 * is a `hook` event and a check for proof of completion.
 */
import type { AgentEvent, HookEventName, ToolCall, ToolMessage, ToolResult } from "../core/types.js";
import { hookRunsForModel } from "../hooks/hooks.js";
import type { HookRun } from "../hooks/runner.js";
import type { VerificationTracker } from "./verification.js";

/** What the loop needs of a session's hooks (hooks/hooks.ts provides it). Must not throw. */
export interface AgentHooks {
  run(event: HookEventName, signal?: AbortSignal): Promise<HookRun[]>;
}

export interface CheckStepContext {
  hooks?: AgentHooks;
  tracker: VerificationTracker;
  emit: (event: AgentEvent) => void;
  turn: number;
  signal: AbortSignal;
  redact?: (text: string) => string;
}

/**
 * Records the batch for proof of completion, then runs on_edit once if any call changed
 * files without failing. Several edits in one batch are checked together, after the
 * last: checking after each would report errors the next edit of the batch fixes.
 * bash does not trigger on_edit: a command is usually the check itself, and its own
 * output already reaches the model.
 */
export async function afterToolBatch(
  ran: ReadonlyArray<{ call: ToolCall; result: ToolResult; message: ToolMessage }>,
  ctx: CheckStepContext,
): Promise<void> {
  let lastEdit: ToolMessage | undefined;
  for (const { call, result, message } of ran) {
    const changed = result.filesChanged ?? [];
    if (changed.length > 0) ctx.tracker.edited(changed);
    if (call.name === "bash" && typeof call.args.command === "string") {
      ctx.tracker.command(call.args.command, !result.isError);
    }
    if (changed.length > 0 && !result.isError) lastEdit = message;
  }
  if (!lastEdit || !ctx.hooks || ctx.signal.aborted) return;
  const runs = await runHookEvent("on_edit", ctx);
  if (runs.length > 0) lastEdit.content = `${lastEdit.content}\n\n${hookRunsForModel(runs)}`;
}

/** on_task_done: shown to people and counted as a check; the model does not see it. */
export async function runTaskDoneHooks(ctx: CheckStepContext): Promise<void> {
  if (!ctx.hooks || ctx.signal.aborted) return;
  await runHookEvent("on_task_done", ctx);
}

async function runHookEvent(event: HookEventName, ctx: CheckStepContext): Promise<HookRun[]> {
  const redact = ctx.redact ?? ((text: string) => text);
  const runs = (await ctx.hooks?.run(event, ctx.signal)) ?? [];
  return runs.map((raw) => {
    const run = { ...raw, output: redact(raw.output) };
    ctx.tracker.hook(run.command, `${event}: ${run.command}`, run.ok);
    ctx.emit({
      type: "hook",
      turn: ctx.turn,
      hook: event,
      command: run.command,
      ok: run.ok,
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      output: run.output,
      durationMs: run.durationMs,
    });
    return run;
  });
}
