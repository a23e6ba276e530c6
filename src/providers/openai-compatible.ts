/**
 * OpenAI Chat Completions through the `openai` SDK: OpenAI itself, OpenRouter, Gemini's
 * compatibility endpoint, vLLM, llama.cpp, LM Studio, SGLang. Server differences are
 * quirks (quirks.ts), applied in the named helpers below.
 *
 * Sections (same order in every protocol file): client, request, streamed reply, whole
 * reply, usage and stop reasons.
 */
import type OpenAI from "openai";
import type { ModelQuirks, Profile } from "../config/types.js";
import type { Message, ModelRequest, StopReason, Usage } from "../core/types.js";
import { displayUrl } from "./error-map.js";
import { isRecord } from "./json-repair.js";
import type { RawEvent, WireAdapter } from "./stream-driver.js";
import { baseUrlFor, vendorHeaders } from "./vendors.js";

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ChatTool = OpenAI.Chat.Completions.ChatCompletionFunctionTool;
type ChunkToolCall = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall;
type StreamParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
type WholeParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

export interface AdapterOptions {
  fetch?: typeof fetch;
}

// ── client ──────────────────────────────────────────────────────────────────────────

export function createOpenAIAdapter(profile: Profile, quirks: ModelQuirks, options: AdapterOptions = {}): WireAdapter {
  const baseUrl = baseUrlFor(profile);
  // The SDK costs ~90 ms to import: start loading it now, in the background, so it
  // overlaps the rest of start-up, and only for runs that use this protocol.
  const client = import("openai").then(
    ({ default: OpenAI }) =>
      new OpenAI({
        // Keyless local servers still need a non-empty key for the SDK; they ignore it.
        apiKey: profile.apiKey || "no-key",
        baseURL: baseUrl,
        // All retrying is ours (stream-driver.ts), so it is visible as `retry` events.
        maxRetries: 0,
        // The SDK logs a malformed chunk of the stream verbatim to the console; the
        // failure reaches the user through error-map instead, redacted and cut short.
        logLevel: "off",
        defaultHeaders: vendorHeaders(profile),
        fetch: options.fetch,
      }),
  );
  client.catch(() => undefined); // surfaced by the first attempt, not as an unhandled rejection
  const streams = (request: ModelRequest) => quirks.streamToolCalls || request.tools.length === 0;
  return {
    // Labels and messages show the URL without credentials a user may have written into it.
    label: `openai-compatible ${displayUrl(baseUrl)}`,
    errorContext: { profile, baseUrl: displayUrl(baseUrl) },
    streams,
    async *attempt(request, signal) {
      const sdk = await client;
      yield* streams(request) ? streamedReply(sdk, request, quirks, signal) : wholeReply(sdk, request, quirks, signal);
    },
  };
}

// ── request ─────────────────────────────────────────────────────────────────────────

export function toOpenAIMessages(request: ModelRequest, quirks: ModelQuirks): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (request.system !== "") {
    out.push(
      quirks.developerRole
        ? { role: "developer", content: request.system }
        : { role: "system", content: request.system },
    );
  }
  for (const message of request.messages) out.push(toOpenAIMessage(message));
  return out;
}

function toOpenAIMessage(message: Message): ChatMessage {
  if (message.role === "user") return { role: "user", content: message.content };
  if (message.role === "tool") return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) return { role: "assistant", content: message.content };
  return {
    role: "assistant",
    // Several servers reject "" next to tool calls but accept null.
    content: message.content === "" ? null : message.content,
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: "function",
      // Parsed args, re-serialised: servers that re-parse history (vLLM templates) fail
      // on the invalid JSON a model once sent; the tool result already told it why.
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    })),
  };
}

function toOpenAITools(request: ModelRequest, quirks: ModelQuirks): ChatTool[] {
  return request.tools.map((tool) => ({
    type: "function",
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { ...tool.parameters },
      // Strict mode would demand every property be required; our schemas have optional
      // ones, so servers that know the field get an explicit false.
      ...(quirks.sendStrict ? { strict: false } : {}),
    },
  }));
}

function baseParams(request: ModelRequest, quirks: ModelQuirks): WholeParams {
  const params: WholeParams = { model: request.model, messages: toOpenAIMessages(request, quirks) };
  if (request.tools.length > 0) params.tools = toOpenAITools(request, quirks);
  if (request.maxOutputTokens !== undefined) params[quirks.maxTokensField] = request.maxOutputTokens;
  return params;
}

// ── streamed reply ──────────────────────────────────────────────────────────────────

async function* streamedReply(
  client: OpenAI,
  request: ModelRequest,
  quirks: ModelQuirks,
  signal: AbortSignal,
): AsyncGenerator<RawEvent> {
  const params: StreamParams = { ...baseParams(request, quirks), stream: true };
  if (quirks.streamUsage) params.stream_options = { include_usage: true };
  const stream = await client.chat.completions.create(params, { signal });
  const calls = new ToolCallAssembler();
  let finish: string | undefined;
  let usage: Usage | undefined;
  try {
    for await (const chunk of stream) {
      let shown = false;
      if (chunk.usage) usage = toUsage(chunk.usage);
      const choice = chunk.choices[0];
      if (choice) {
        const reasoning = reasoningOf(choice.delta);
        if (reasoning) {
          shown = true;
          yield { type: "reasoning", delta: reasoning };
        }
        if (choice.delta.content) {
          shown = true;
          yield { type: "text", delta: choice.delta.content };
        }
        for (const delta of choice.delta.tool_calls ?? []) calls.add(delta);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (!shown) yield { type: "progress" };
    }
  } catch (err) {
    // Losing the connection after the finish reason costs only the usage chunk: the
    // reply itself is whole and is not worth generating again.
    if (finish === undefined || signal.aborted) throw err;
  }
  // The SDK ends quietly when the connection closes early; only a finish reason proves
  // the reply is whole. Ending without `done` makes the driver retry it as a drop.
  if (finish === undefined) return;
  for (const call of calls.complete()) yield { type: "tool_call", ...call };
  yield { type: "done", stopReason: toStopReason(finish), usage };
}

/**
 * Assembles streamed tool-call fragments. Keyed by `index`; a new `id` at a used index
 * starts a new call (some servers number every call 0), and a fragment with neither
 * continues the last call.
 */
export class ToolCallAssembler {
  private readonly slots: Array<{ id?: string; name: string; args: string }> = [];
  private readonly byIndex = new Map<number, { id?: string; name: string; args: string }>();

  add(delta: ChunkToolCall | { index?: number; id?: string; function?: { name?: string; arguments?: string } }): void {
    const index = typeof delta.index === "number" ? delta.index : undefined;
    let slot = index === undefined ? undefined : this.byIndex.get(index);
    if (slot && delta.id && slot.id && delta.id !== slot.id) slot = undefined;
    if (!slot && index === undefined && !delta.id) slot = this.slots[this.slots.length - 1];
    if (!slot) {
      slot = { id: delta.id || undefined, name: "", args: "" };
      this.slots.push(slot);
    }
    if (index !== undefined) this.byIndex.set(index, slot);
    if (delta.id && !slot.id) slot.id = delta.id;
    const name = delta.function?.name;
    // Names arrive whole in one fragment; some servers repeat them in every fragment.
    if (name && slot.name !== name) slot.name += name;
    slot.args += delta.function?.arguments ?? "";
  }

  complete(): Array<{ id?: string; name: string; rawArgs: string }> {
    return this.slots
      .filter((slot) => slot.name !== "")
      .map((slot) => ({ id: slot.id, name: slot.name, rawArgs: slot.args }));
  }
}

/** DeepSeek, vLLM and llama.cpp send `reasoning_content`; OpenRouter and Ollama send `reasoning`. */
function reasoningOf(delta: object): string | undefined {
  if (!isRecord(delta)) return undefined;
  const value = delta.reasoning_content ?? delta.reasoning;
  return typeof value === "string" && value !== "" ? value : undefined;
}

// ── whole reply ─────────────────────────────────────────────────────────────────────

/** For servers that lose tool calls when streaming: one call, converted into the same events. */
async function* wholeReply(
  client: OpenAI,
  request: ModelRequest,
  quirks: ModelQuirks,
  signal: AbortSignal,
): AsyncGenerator<RawEvent> {
  const completion = await client.chat.completions.create(
    { ...baseParams(request, quirks), stream: false },
    { signal },
  );
  const choice = completion.choices[0];
  if (!choice) throw new Error("the server returned a completion without choices");
  const reasoning = reasoningOf(choice.message);
  if (reasoning) yield { type: "reasoning", delta: reasoning };
  if (choice.message.content) yield { type: "text", delta: choice.message.content };
  for (const call of choice.message.tool_calls ?? []) {
    if (call.type === "function")
      yield { type: "tool_call", id: call.id, name: call.function.name, rawArgs: call.function.arguments };
  }
  yield {
    type: "done",
    stopReason: toStopReason(choice.finish_reason),
    usage: completion.usage ? toUsage(completion.usage) : undefined,
  };
}

// ── usage and stop reasons ──────────────────────────────────────────────────────────

export function toUsage(usage: OpenAI.Completions.CompletionUsage): Usage {
  const extra: Record<string, unknown> = { ...usage };
  // DeepSeek reports its cache hits in its own field.
  const deepseekHits = typeof extra.prompt_cache_hit_tokens === "number" ? extra.prompt_cache_hit_tokens : 0;
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    cacheReadTokens: usage.prompt_tokens_details?.cached_tokens ?? deepseekHits,
    cacheWriteTokens: 0,
  };
}

export function toStopReason(finish: string | null | undefined): StopReason {
  if (finish === "stop") return "end_turn";
  if (finish === "tool_calls" || finish === "function_call") return "tool_use";
  if (finish === "length") return "max_tokens";
  return "other";
}
