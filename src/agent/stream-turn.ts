import { errorMessage, ProviderError } from "../core/errors.js";
import type { AgentEvent, ModelClient, ModelRequest, StopReason, ToolCall, Usage } from "../core/types.js";

/** One model turn's outcome, assembled from the provider's event stream. */
export interface TurnOutcome {
  text: string;
  toolCalls: ToolCall[];
  stopReason?: StopReason;
  usage?: Usage;
  error?: ProviderError;
}

/**
 * Streams one model call, passing deltas on as events. After a `retry` everything the
 * failed attempt streamed is void: the text and calls gathered so far are dropped, and
 * the event tells front ends to drop what they showed of it.
 */
export async function streamTurn(
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
          return { text, toolCalls, stopReason: event.stopReason, usage: event.usage };
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
