/**
 * OpenAI Chat Completions as the scripted server speaks it: `chat.completion` objects and
 * `chat.completion.chunk` SSE streams ending in `data: [DONE]`, shaped like api.openai.com
 * (plus `reasoning_content` deltas, as DeepSeek and vLLM send reasoning).
 */
import {
  isRecord,
  type StopReason,
  splitPieces,
  sseFrame,
  unixSeconds,
  type WireFormat,
  type WireTurn,
} from "./wire-common.js";

const FINISH_REASONS: Record<StopReason, string> = {
  end_turn: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
};

function toolCallId(turn: WireTurn, index: number): string {
  return turn.toolCalls[index].id ?? `call_${turn.seq}_${index}`;
}

function completionId(turn: WireTurn): string {
  return `chatcmpl-scripted${turn.seq}`;
}

function usageObject(turn: WireTurn): Record<string, unknown> {
  const { input, output, cacheRead } = turn.usage;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

function complete(turn: WireTurn): unknown {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: turn.text === "" && turn.toolCalls.length > 0 ? null : turn.text,
    refusal: null,
  };
  if (turn.reasoning !== "") message.reasoning_content = turn.reasoning;
  if (turn.toolCalls.length > 0) {
    message.tool_calls = turn.toolCalls.map((call, index) => ({
      id: toolCallId(turn, index),
      type: "function",
      function: { name: call.name, arguments: call.argsText },
    }));
  }
  return {
    id: completionId(turn),
    object: "chat.completion",
    created: unixSeconds(),
    model: turn.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASONS[turn.stopReason] }],
    usage: usageObject(turn),
  };
}

function frames(turn: WireTurn, request: Record<string, unknown>): string[] {
  const includeUsage = isRecord(request.stream_options) && request.stream_options.include_usage === true;
  const created = unixSeconds();
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string => {
    const body: Record<string, unknown> = {
      id: completionId(turn),
      object: "chat.completion.chunk",
      created,
      model: turn.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    // api.openai.com puts `usage: null` on every chunk once usage was asked for.
    if (includeUsage) body.usage = null;
    return sseFrame(body);
  };

  const out = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const piece of splitPieces(turn.reasoning)) out.push(chunk({ reasoning_content: piece }));
  for (const piece of splitPieces(turn.text)) out.push(chunk({ content: piece }));
  turn.toolCalls.forEach((call, index) => {
    // The first delta of a call names it; later ones carry only index + argument fragments.
    const head = { index, id: toolCallId(turn, index), type: "function", function: { name: call.name, arguments: "" } };
    out.push(chunk({ tool_calls: [head] }));
    for (const piece of splitPieces(call.argsText)) {
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  out.push(chunk({}, FINISH_REASONS[turn.stopReason]));
  if (includeUsage) {
    out.push(
      sseFrame({
        id: completionId(turn),
        object: "chat.completion.chunk",
        created,
        model: turn.model,
        choices: [],
        usage: usageObject(turn),
      }),
    );
  }
  out.push(sseFrame("[DONE]"));
  return out;
}

const ERROR_KINDS: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory" },
  404: { type: "invalid_request_error", code: "model_not_found" },
  429: { type: "requests", code: "rate_limit_exceeded" },
};

function errorBody(status: number, message: string): unknown {
  const kind = ERROR_KINDS[status] ?? { type: status >= 500 ? "server_error" : "invalid_request_error", code: null };
  return { error: { message, type: kind.type, param: null, code: kind.code } };
}

export const openaiWire: WireFormat = {
  streamContentType: "text/event-stream; charset=utf-8",
  complete,
  frames,
  errorBody,
};

/** GET /v1/models as an OpenAI-compatible server lists its models. */
export function openaiModelList(names: string[]): unknown {
  return {
    object: "list",
    data: names.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "scripted" })),
  };
}
