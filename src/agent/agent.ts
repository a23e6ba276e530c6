import { createLoopDetector } from "../context/loop-detector.js";
import { isOverflowError } from "../context/overflow.js";
import { replaceStaleReads } from "../context/stale-reads.js";
import { countTokensNow, preloadTokenizer } from "../context/tokens.js";
import type { Approver } from "../core/approval.js";
import {
  type AgentEvent,
  type AssistantMessage,
  addUsage,
  emptyUsage,
  type Message,
  type ModelClient,
  type ModelRequest,
  type ResultReason,
  type TaskStatus,
  type ToolCall,
  type ToolContext,
  type ToolMessage,
  type ToolResult,
  type ToolSchema,
  type Usage,
} from "../core/types.js";
import { changedSince, snapshotWorkingTree } from "../git/changes.js";
import type { PermissionPolicy } from "../permissions/policy.js";
import { createContextState } from "./context-state.js";
import { type AgentHooks, afterToolBatch, runTaskDoneHooks } from "./hook-steps.js";
import { createPermissionGate } from "./permission-gate.js";
import { streamTurn } from "./stream-turn.js";
import { abortedByTimeout, budgetStop, providerFailureReason, type TaskLimits } from "./task-limits.js";
import { runToolCalls } from "./tool-execution.js";
import { createVerificationTracker } from "./verification.js";

export type { AgentHooks } from "./hook-steps.js";
export type { TaskLimits } from "./task-limits.js";

/** What the loop needs of the tool layer; it depends on no particular tool. */
export interface ToolRunner {
  schemas(): ToolSchema[];
  /** Must never throw: unknown tools, bad arguments and crashes come back as error results. */
  execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult>;
}

export interface AgentOptions {
  /**
   * The project root. In a git repository, every file changed during the task (by bash
   * or anything else, not only by edit tools) is then listed in the result.
   */
  root?: string;
  client: ModelClient;
  tools: ToolRunner;
  model: string;
  profileName: string;
  provider: string;
  /** The fixed system prompt with the preamble (conventions, git status, carry-over) already in it. */
  systemPrompt: string;
  /** The model's context window; the budget keeps every request to a share of it. */
  contextTokens: number;
  /** Share of the window a request aims to stay under (default 0.5). */
  targetShare?: number;
  /** Texts that must survive when old turns are dropped (e.g. the plan step). */
  pinned?: string[];
  /** Model calls one task may make before the guard stops it. */
  maxIterations: number;
  /**
   * Tool calls the task may run in all (a plan step's tool budget, quick mode's one call).
   * Calls past it are not run; each gets a result telling the model to finish.
   */
  maxToolCalls?: number;
  /**
   * One model call only: the task ends after the first reply, once the tools it asked for
   * (within maxToolCalls) have run. Quick mode; the answer is the reply's text or, without
   * text, what the tools did.
   */
  singleTurn?: boolean;
  /** Price of one call's usage in USD, or null when the model's price is unknown. */
  costUsd: (usage: Usage) => number | null;
  maxOutputTokens?: number;
  /**
   * Called when the budget compressed or dropped earlier tool results, so the read cache
   * stops answering "unchanged since turn N" for text the model can no longer see.
   */
  onContextTrimmed?: () => void;
  /**
   * The permission policy and, when a person can be asked, the front end's approver.
   * Absent: every call runs unasked (only tests and `parecode tool` do this).
   */
  permissions?: { policy: PermissionPolicy; approve?: Approver };
  /**
   * Hides secrets in tool results (content for the model, display for people) and in
   * approval requests before they enter the history or an event: a command that prints a
   * key hands the model [REDACTED].
   */
  redact?: (text: string) => string;
  /**
   * The session's hooks: on_edit after tool calls that changed files (its output joins
   * that tool result), on_task_done after a task that changed files. Absent: none run.
   */
  hooks?: AgentHooks;
}

export interface RunOptions {
  /**
   * Cancels the task. Aborted with a TimeoutError reason (AbortSignal.timeout) it ends as
   * a `timeout`, otherwise as `interrupted`.
   */
  signal: AbortSignal;
  /** Called synchronously for every step; must not throw. */
  onEvent: (event: AgentEvent) => void;
  limits?: TaskLimits;
  /**
   * Judges a final answer: returns what is wrong with it, or undefined when it is
   * acceptable. A wrong answer is sent back once with the problem; a second one fails
   * the task (reason `output_schema`).
   */
  checkAnswer?: (answer: string) => string | undefined;
}

export type TaskResultEvent = Extract<AgentEvent, { type: "result" }>;

/** How long after the first request is sent the working-tree snapshot starts. */
const SNAPSHOT_AFTER_REQUEST_MS = 50;

/**
 * Runs one task to completion: budget the context, call the model, run the tools it asks
 * for, feed the results back, until it answers without tool calls, fails, is cancelled,
 * repeats itself, or hits the iteration guard. Never throws for model or tool failures;
 * the result event says why.
 */
export async function runAgentTask(task: string, options: AgentOptions, run: RunOptions): Promise<TaskResultEvent> {
  const started = Date.now();
  const { signal, onEvent: emit } = run;
  let messages: Message[] = [{ role: "user", content: task }];
  const totalUsage = emptyUsage();
  const filesChanged = new Set<string>();
  const loops = createLoopDetector();
  let totalCost: number | null = 0;
  let toolCallCount = 0;
  let turn = 0;
  let nudgedEmptyReply = false;
  let reaskedAnswer = false;
  let largestReplyTokens = 0;
  const limits = run.limits ?? {};
  const maxTurns = Math.min(options.maxIterations, limits.maxTurns ?? Number.POSITIVE_INFINITY);
  // Taken just after the first request is sent, so its git work never delays that call,
  // and always before the first tool runs (which waits for it).
  let treeBefore: Promise<Awaited<ReturnType<typeof snapshotWorkingTree>> | null> | undefined;
  const snapshotBefore = () => {
    treeBefore ??= options.root ? snapshotWorkingTree(options.root) : Promise.resolve(null);
    return treeBefore;
  };
  const gate = options.permissions
    ? createPermissionGate({
        policy: options.permissions.policy,
        approve: options.permissions.approve,
        emit,
        redact: options.redact,
      })
    : undefined;

  const verification = createVerificationTracker();
  const checkContext = () => ({
    hooks: options.hooks,
    tracker: verification,
    emit,
    turn,
    signal,
    redact: options.redact,
  });

  /** How a cancelled task ends: by its time limit, or by a person. */
  const stopped = (): Promise<TaskResultEvent> =>
    abortedByTimeout(signal)
      ? finish("failed", "Stopped: the task's time limit ran out (--timeout).", "timeout")
      : finish("interrupted", "Interrupted by the user.", "interrupted");

  const finish = async (status: TaskStatus, message: string, why: ResultReason): Promise<TaskResultEvent> => {
    const before = await snapshotBefore();
    if (before) for (const file of await changedSince(before)) filesChanged.add(file);
    // A task that changed nothing (a question) has nothing for tests to prove.
    if (status !== "interrupted" && filesChanged.size > 0) await runTaskDoneHooks(checkContext());
    const changed = [...filesChanged].sort();
    const proof = verification.verdict(changed);
    const denials = gate?.denials() ?? [];
    const result: TaskResultEvent = {
      type: "result",
      status,
      reason: why === "done" && denials.length > 0 ? "denied" : why,
      message,
      turns: turn,
      toolCalls: toolCallCount,
      usage: totalUsage,
      costUsd: totalCost === null ? null : roundCost(totalCost),
      filesChanged: changed,
      durationMs: Date.now() - started,
      denials,
      verification: proof.verification,
      proof: proof.proof,
    };
    emit(result);
    return result;
  };

  emit({ type: "task_start", task, profile: options.profileName, model: options.model, provider: options.provider });
  // Tools are asked for before every request: a tool search (MCP lazy loading) can make
  // more of them available mid-task. Counted again only when the set changes.
  let tools = options.tools.schemas();
  let toolsJson = JSON.stringify(tools);
  const systemTokens = countTokensNow(options.systemPrompt).tokens;
  let toolSchemaTokens = tools.length > 0 ? countTokensNow(toolsJson).tokens : 0;
  const context = createContextState({
    contextTokens: options.contextTokens,
    fixedTokens: systemTokens + toolSchemaTokens,
    targetShare: options.targetShare,
    pinned: options.pinned,
  });

  while (turn < maxTurns) {
    if (signal.aborted) return stopped();
    turn++;
    emit({ type: "turn_start", turn });
    if (turn > 1) {
      const current = options.tools.schemas();
      const currentJson = JSON.stringify(current);
      if (currentJson !== toolsJson) {
        tools = current;
        toolsJson = currentJson;
        toolSchemaTokens = tools.length > 0 ? countTokensNow(toolsJson).tokens : 0;
        context.setFixedTokens(systemTokens + toolSchemaTokens);
      }
    }

    const budgeted = await context.prepare(messages, filesChanged);
    messages = budgeted.messages;
    if (budgeted.compressed > 0 || budgeted.dropped > 0) {
      options.onContextTrimmed?.();
      emit({
        type: "budget",
        turn,
        tokensBefore: budgeted.tokensBefore,
        tokensAfter: budgeted.tokensAfter,
        budget: budgeted.budget,
        compressed: budgeted.compressed,
        dropped: budgeted.dropped,
        window: context.window,
      });
    }

    const request: ModelRequest = {
      model: options.model,
      system: options.systemPrompt,
      messages: [...messages],
      tools,
      maxOutputTokens: options.maxOutputTokens,
    };
    const estimatedInputTokens = systemTokens + toolSchemaTokens + budgeted.tokensAfter;
    const overBudget = budgetStop(limits.maxBudgetUsd, {
      spentUsd: totalCost,
      inputTokens: estimatedInputTokens,
      largestReplyTokens,
      costUsd: options.costUsd,
    });
    if (overBudget) {
      turn--; // the call is not made
      return finish("failed", overBudget, "budget");
    }
    emit({
      type: "request",
      turn,
      estimatedInputTokens,
      systemTokens,
      toolSchemaTokens,
      messageCount: request.messages.length,
    });

    if (turn === 1) setTimeout(() => void snapshotBefore(), SNAPSHOT_AFTER_REQUEST_MS).unref();
    const outcome = await streamTurn(options.client, request, turn, signal, emit);
    // Loading the tokenizer costs ~200 ms of CPU, so it waits until the first request is
    // out and answered, and happens only when there will be another request (the model
    // asked for tools): a one-turn answer never pays for it.
    if (outcome.toolCalls.length > 0) void preloadTokenizer().catch(() => undefined);
    if (outcome.error) {
      if (outcome.error.kind === "aborted" || signal.aborted) return stopped();
      const overflow = outcome.error.kind === "context_overflow" || isOverflowError(outcome.error.message);
      if (overflow && context.learnOverflow(outcome.error.message)) {
        emit({
          type: "notice",
          level: "warn",
          message: `The server's context window is smaller than configured; continuing within ${context.window} tokens. Set context_tokens in the profile to match.`,
        });
        continue;
      }
      return finish("failed", outcome.error.message, providerFailureReason(outcome.error));
    }

    const usage = outcome.usage ?? {
      inputTokens: estimatedInputTokens,
      outputTokens: countTokensNow(outcome.text + JSON.stringify(outcome.toolCalls)).tokens,
    };
    addUsage(totalUsage, usage);
    largestReplyTokens = Math.max(largestReplyTokens, usage.outputTokens);
    const cost = options.costUsd(usage);
    totalCost = cost === null || totalCost === null ? null : totalCost + cost;
    emit({ type: "usage", turn, usage, estimated: outcome.usage === undefined, costUsd: cost });

    // A reply cut off with the window full means the server serves less than we
    // budgeted for (Ollama's num_ctx): learn the size it showed and ask again, once.
    if (
      outcome.stopReason === "max_tokens" &&
      outcome.toolCalls.length === 0 &&
      usage.inputTokens + usage.outputTokens >= context.window * 0.9 &&
      context.learnOverflow("reply cut off at the context window", usage.inputTokens + usage.outputTokens)
    ) {
      emit({
        type: "notice",
        level: "warn",
        message: `The reply was cut off at the context window; retrying within ${context.window} tokens.`,
      });
      continue;
    }

    const assistant: AssistantMessage = { role: "assistant", content: outcome.text };
    if (outcome.toolCalls.length > 0) assistant.toolCalls = outcome.toolCalls;
    messages.push(assistant);
    emit({ type: "assistant_message", turn, text: outcome.text, toolCalls: outcome.toolCalls });

    if (outcome.toolCalls.length === 0) {
      const answer = outcome.text.trim();
      if (answer !== "") {
        const problem = run.checkAnswer?.(answer);
        if (problem === undefined) return finish("done", answer, "done");
        // Asked again already, or no call left to ask with: the answer stays wrong.
        if (reaskedAnswer || turn >= maxTurns) {
          const still = reaskedAnswer ? "still does not match" : "does not match";
          return finish("failed", `The final answer ${still} the required output format: ${problem}`, "output_schema");
        }
        reaskedAnswer = true;
        messages.push({
          role: "user",
          content: `Your final answer does not match the required output format: ${problem}\nReply with the corrected final answer only.`,
        });
        continue;
      }
      // An empty reply is usually a small model losing its place; one nudge, then give up.
      if (options.singleTurn) {
        return finish("failed", "The model returned an empty reply; try again without --quick.", "empty_reply");
      }
      if (nudgedEmptyReply) {
        return finish("failed", "The model returned an empty reply twice; try a stronger model.", "empty_reply");
      }
      nudgedEmptyReply = true;
      messages.push({
        role: "user",
        content: "Your last reply was empty. Continue the task, or summarise what you did.",
      });
      continue;
    }

    const allowed =
      options.maxToolCalls === undefined ? outcome.toolCalls.length : Math.max(0, options.maxToolCalls - toolCallCount);
    await snapshotBefore();
    const batch = await runToolCalls(outcome.toolCalls.slice(0, allowed), {
      tools: options.tools,
      loops,
      signal,
      turn,
      emit,
      gate,
      redact: options.redact,
    });
    toolCallCount += batch.messages.length;
    for (const file of batch.filesChanged) filesChanged.add(file);
    await afterToolBatch(batch.ran, checkContext());
    messages.push(...batch.messages);
    if (batch.stop) return finish("failed", batch.stop, "loop");
    if (signal.aborted) return stopped();
    for (const call of outcome.toolCalls.slice(allowed)) {
      messages.push(overBudgetResult(call, options.maxToolCalls ?? 0, turn, emit));
    }
    // Reads of a file this turn changed show lines and anchors that no longer hold.
    if (batch.changes.length > 0) messages = replaceStaleReads(messages, batch.changes, options.root).messages;
    if (options.singleTurn) {
      const ran = batch.messages.map((m) => m.summary ?? m.toolName).join("; ");
      const answer = outcome.text.trim() || ran;
      const failed = batch.messages.length > 0 && batch.messages.every((m) => m.isError);
      if (!failed) return finish("done", answer, "done");
      const refused = (gate?.denials().length ?? 0) > 0;
      return finish("failed", `${answer}: ${batch.messages[0].content}`, refused ? "denied" : "tool_error");
    }
  }

  const raise =
    limits.maxTurns !== undefined && limits.maxTurns <= options.maxIterations
      ? "raise --max-turns"
      : "raise max_iterations in config.toml";
  return finish(
    "failed",
    `Stopped after ${maxTurns} model calls without a final answer. Split the task, or ${raise}.`,
    "max_turns",
  );
}

/** The result a call past the tool budget gets instead of running. */
function overBudgetResult(
  call: ToolCall,
  budget: number,
  turn: number,
  emit: (event: AgentEvent) => void,
): ToolMessage {
  const display = `${call.name}: not run, the tool budget (${budget}) is used up`;
  const content = `Not run: this task may make ${budget} tool ${budget === 1 ? "call" : "calls"} and has made them. Reply now with what you did and what is left.`;
  emit({ type: "tool_start", turn, callId: call.id, name: call.name, args: call.args, summary: call.name });
  emit({
    type: "tool_end",
    turn,
    callId: call.id,
    name: call.name,
    display,
    isError: true,
    durationMs: 0,
    output: content,
  });
  return { role: "tool", toolCallId: call.id, toolName: call.name, content, isError: true, summary: display };
}

function roundCost(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
