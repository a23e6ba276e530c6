/**
 * Anthropic Messages as the scripted server speaks it: `message` objects and the named SSE
 * events (message_start … message_stop, with a ping) shaped like api.anthropic.com.
 */
import { splitPieces, sseFrame, type WireFormat, type WireTurn } from "./wire-common.js";

function toolUseId(turn: WireTurn, index: number): string {
  return turn.toolCalls[index].id ?? `toolu_scripted${turn.seq}_${index}`;
}

function messageId(turn: WireTurn): string {
  return `msg_scripted${turn.seq}`;
}

/** A stand-in for the opaque signature real thinking blocks carry. */
const THINKING_SIGNATURE = "c2NyaXB0ZWQtc2lnbmF0dXJl";

function usageObject(turn: WireTurn, output: number): Record<string, unknown> {
  return {
    input_tokens: turn.usage.input,
    output_tokens: output,
    cache_creation_input_tokens: turn.usage.cacheWrite,
    cache_read_input_tokens: turn.usage.cacheRead,
  };
}

function complete(turn: WireTurn): unknown {
  const content: Record<string, unknown>[] = [];
  if (turn.reasoning !== "") {
    content.push({ type: "thinking", thinking: turn.reasoning, signature: THINKING_SIGNATURE });
  }
  if (turn.text !== "") content.push({ type: "text", text: turn.text });
  turn.toolCalls.forEach((call, index) => {
    // The real API cannot return invalid JSON outside streaming (it parses the model's
    // output into `input` itself), so a malformed scripted string becomes `{}` here;
    // only the streaming form delivers it verbatim through input_json_delta.
    content.push({ type: "tool_use", id: toolUseId(turn, index), name: call.name, input: call.argsObject ?? {} });
  });
  return {
    id: messageId(turn),
    type: "message",
    role: "assistant",
    model: turn.model,
    content,
    stop_reason: turn.stopReason,
    stop_sequence: null,
    usage: usageObject(turn, turn.usage.output),
  };
}

function frames(turn: WireTurn): string[] {
  const event = (type: string, body: Record<string, unknown>): string => sseFrame({ type, ...body }, type);
  const out = [
    event("message_start", {
      message: {
        id: messageId(turn),
        type: "message",
        role: "assistant",
        model: turn.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageObject(turn, 1),
      },
    }),
  ];
  let index = 0;
  const block = (start: Record<string, unknown>, deltas: Record<string, unknown>[]): void => {
    out.push(event("content_block_start", { index, content_block: start }));
    if (index === 0) out.push(event("ping", {}));
    for (const delta of deltas) out.push(event("content_block_delta", { index, delta }));
    out.push(event("content_block_stop", { index }));
    index++;
  };

  if (turn.reasoning !== "") {
    block({ type: "thinking", thinking: "", signature: "" }, [
      ...splitPieces(turn.reasoning).map((thinking) => ({ type: "thinking_delta", thinking })),
      { type: "signature_delta", signature: THINKING_SIGNATURE },
    ]);
  }
  if (turn.text !== "") {
    block(
      { type: "text", text: "" },
      splitPieces(turn.text).map((text) => ({ type: "text_delta", text })),
    );
  }
  turn.toolCalls.forEach((call, callIndex) => {
    // A malformed scripted string goes out verbatim: the fragments join to exactly it.
    block({ type: "tool_use", id: toolUseId(turn, callIndex), name: call.name, input: {} }, [
      { type: "input_json_delta", partial_json: "" },
      ...splitPieces(call.argsText).map((partial_json) => ({ type: "input_json_delta", partial_json })),
    ]);
  });
  if (index === 0) out.push(event("ping", {}));

  out.push(
    event("message_delta", {
      delta: { stop_reason: turn.stopReason, stop_sequence: null },
      usage: { output_tokens: turn.usage.output },
    }),
  );
  out.push(event("message_stop", {}));
  return out;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

function errorBody(status: number, message: string): unknown {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { type: "error", error: { type, message } };
}

export const anthropicWire: WireFormat = {
  streamContentType: "text/event-stream; charset=utf-8",
  complete,
  frames,
  errorBody,
};

/** GET /v1/models as api.anthropic.com lists models. */
export function anthropicModelList(names: string[]): unknown {
  const data = names.map((id) => ({
    type: "model",
    id,
    display_name: id,
    created_at: "2025-01-01T00:00:00Z",
  }));
  return { data, has_more: false, first_id: names[0] ?? null, last_id: names.at(-1) ?? null };
}
