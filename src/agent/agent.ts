import { countTokensNow } from "../context/tokens.js";
import { errorMessage, ProviderError } from "../core/errors.js";
import {
  type AgentEvent,
  type AssistantMessage,
  addUsage,
  emptyUsage,
  type Message,
  type ModelClient,
  type ModelRequest,
  type TaskStatus,
  type ToolCall,
  type ToolContext,
  type ToolResult,
  type ToolSchema,
  type Usage,
} from "../core/types.js";
import { summariseToolCall } from "./tool-summary.js";

/** What the loop needs of the tool layer; it depends on no particular tool. */
export interface ToolRunner {
  schemas(): ToolSchema[];
  /** Must never throw: unknown tools, bad arguments and crashes come back as error results. */
  execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult>;
}

export interface AgentOptions {
  client: ModelClient;
  tools: ToolRunner;
  model: string;
  profileName: string;
  provider: string;
  systemPrompt: string;
  /** Model calls one task may make before the guard stops it. */
  maxIterations: number;
  /** Price of one call's usage in USD, or null when the model's price is unknown. */
  costUsd: (usage: Usage) => number | null;
  maxOutputTokens?: number;
}

export interface RunOptions {
  signal: AbortSignal;
  /** Called synchronously for every step; must not throw. */
  onEvent: (event: AgentEvent) => void;
}

export type TaskResultEvent = Extract<AgentEvent, { type: "result" }>;

/** One model turn's outcome, assembled from the provider's event stream. */
interface TurnOutcome {
  text: string;
  toolCalls: ToolCall[];
  usage?: Usage;
  error?: ProviderError;
}

/**
 * Runs one task to completion: call the model, run the tools it asks for, feed the
 * results back, until it answers without tool calls, fails, is cancelled, or hits the
 * iteration guard. Never throws for model or tool failures; the result event says why.
 */
export async function runAgentTask(task: string, options: AgentOptions, run: RunOptions): Promise<TaskResultEvent> {
  const started = Date.now();
  const { signal, onEvent: emit } = run;
  const messages: Message[] = [{ role: "user", content: task }];
  const totalUsage = emptyUsage();
  const filesChanged = new Set<string>();
  let totalCost: number | null = 0;
  let toolCallCount = 0;
  let turn = 0;
  let nudgedEmptyReply = false;

  const finish = (status: TaskStatus, message: string): TaskResultEvent => {
    const result: TaskResultEvent = {
      type: "result",
      status,
      message,
      turns: turn,
      toolCalls: toolCallCount,
      usage: totalUsage,
      costUsd: totalCost === null ? null : roundCost(totalCost),
      filesChanged: [...filesChanged].sort(),
      durationMs: Date.now() - started,
    };
    emit(result);
    return result;
  };

  emit({ type: "task_start", task, profile: options.profileName, model: options.model, provider: options.provider });
  const tools = options.tools.schemas();

  while (turn < options.maxIterations) {
    if (signal.aborted) return finish("interrupted", "Interrupted before the next model call.");
    turn++;
    emit({ type: "turn_start", turn });
    const request: ModelRequest = {
      model: options.model,
      system: options.systemPrompt,
      messages: [...messages],
      tools,
      maxOutputTokens: options.maxOutputTokens,
    };
    const estimate = estimateRequest(request);
    emit({ type: "request", turn, ...estimate, messageCount: request.messages.length });

    const outcome = await streamTurn(options.client, request, turn, signal, emit);
    if (outcome.error) {
      if (outcome.error.kind === "aborted" || signal.aborted) return finish("interrupted", "Interrupted by the user.");
      return finish("failed", outcome.error.message);
    }

    const usage = outcome.usage ?? {
      inputTokens: estimate.estimatedInputTokens,
      outputTokens: countTokensNow(outcome.text + JSON.stringify(outcome.toolCalls)).tokens,
    };
    addUsage(totalUsage, usage);
    const cost = options.costUsd(usage);
    totalCost = cost === null || totalCost === null ? null : totalCost + cost;
    emit({ type: "usage", turn, usage, estimated: outcome.usage === undefined, costUsd: cost });

    const assistant: AssistantMessage = { role: "assistant", content: outcome.text };
    if (outcome.toolCalls.length > 0) assistant.toolCalls = outcome.toolCalls;
    messages.push(assistant);
    emit({ type: "assistant_message", turn, text: outcome.text, toolCalls: outcome.toolCalls });

    if (outcome.toolCalls.length === 0) {
      if (outcome.text.trim() !== "") return finish("done", outcome.text.trim());
      // An empty reply is usually a small model losing its place; one nudge, then give up.
      if (nudgedEmptyReply) return finish("failed", "The model returned an empty reply twice; try a stronger model.");
      nudgedEmptyReply = true;
      messages.push({
        role: "user",
        content: "Your last reply was empty. Continue the task, or summarise what you did.",
      });
      continue;
    }

    for (const call of outcome.toolCalls) {
      if (signal.aborted) break;
      toolCallCount++;
      emit({
        type: "tool_start",
        turn,
        callId: call.id,
        name: call.name,
        args: call.args,
        summary: summariseToolCall(call.name, call.args),
      });
      const began = Date.now();
      const result = await options.tools.execute(call, { signal, callId: call.id, turn });
      for (const file of result.filesChanged ?? []) filesChanged.add(file);
      emit({
        type: "tool_end",
        turn,
        callId: call.id,
        name: call.name,
        display: result.display,
        isError: result.isError,
        durationMs: Date.now() - began,
      });
      messages.push({
        role: "tool",
        toolCallId: call.id,
        toolName: call.name,
        content: result.content,
        isError: result.isError || undefined,
      });
    }
    if (signal.aborted) return finish("interrupted", "Interrupted by the user.");
  }

  return finish(
    "failed",
    `Stopped after ${options.maxIterations} model calls without a final answer. Split the task, or raise max_iterations in config.toml.`,
  );
}

async function streamTurn(
  client: ModelClient,
  request: ModelRequest,
  turn: number,
  signal: AbortSignal,
  emit: (event: AgentEvent) => void,
): Promise<TurnOutcome> {
  let text = "";
  let toolCalls: ToolCall[] = [];
  try {
    for await (const event of client.stream(request, signal)) {
      switch (event.type) {
        case "text":
          text += event.delta;
          emit({ type: "text_delta", turn, delta: event.delta });
          break;
        case "reasoning":
          emit({ type: "reasoning_delta", turn, delta: event.delta });
          break;
        case "tool_call":
          toolCalls.push(event.call);
          break;
        case "retry":
          // Everything streamed by the failed attempt is void.
          text = "";
          toolCalls = [];
          emit({ type: "retry", turn, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
          break;
        case "done":
          return { text, toolCalls, usage: event.usage };
        case "error":
          return { text, toolCalls, error: event.error };
      }
    }
  } catch (err) {
    // Providers promise not to throw; if one does, the task still ends with a clear message.
    return { text, toolCalls, error: new ProviderError("network", `Model call failed: ${errorMessage(err)}`) };
  }
  return {
    text,
    toolCalls,
    error: new ProviderError("network", "The model's reply ended without finishing; try again."),
  };
}

function estimateRequest(request: ModelRequest): {
  estimatedInputTokens: number;
  systemTokens: number;
  toolSchemaTokens: number;
} {
  const systemTokens = countTokensNow(request.system).tokens;
  const toolSchemaTokens = request.tools.length > 0 ? countTokensNow(JSON.stringify(request.tools)).tokens : 0;
  let messageTokens = 0;
  for (const message of request.messages) {
    messageTokens += countTokensNow(message.content).tokens + 4;
    if (message.role === "assistant" && message.toolCalls) {
      for (const call of message.toolCalls) messageTokens += countTokensNow(call.name + call.rawArgs).tokens + 4;
    }
  }
  return { estimatedInputTokens: systemTokens + toolSchemaTokens + messageTokens, systemTokens, toolSchemaTokens };
}

function roundCost(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
