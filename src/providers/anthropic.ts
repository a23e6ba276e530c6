/**
 * Anthropic Messages through `@anthropic-ai/sdk`, with prompt caching of the stable
 * prefix: the tool definitions and the system prompt are the same on every call of a
 * task, so they are marked as cache breakpoints and billed at the cache-read rate after
 * the first call.
 *
 * Sections (same order in every protocol file): client, request, streamed reply, whole
 * reply, usage and stop reasons.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { Stream } from "@anthropic-ai/sdk/core/streaming";
import type { ModelQuirks, Profile } from "../config/types.js";
import type { Message, ModelRequest, StopReason, Usage } from "../core/types.js";
import { displayUrl } from "./error-map.js";
import type { AdapterOptions } from "./openai-compatible.js";
import type { RawEvent, WireAdapter } from "./stream-driver.js";
import { baseUrlFor, vendorHeaders } from "./vendors.js";

/** The turns we send: always block arrays, never the string shorthand. */
type Turn = { role: "user" | "assistant"; content: BlockParam[] };
type BlockParam = Anthropic.Messages.ContentBlockParam;
type ToolParam = Anthropic.Messages.Tool;
type TextBlockParam = Anthropic.Messages.TextBlockParam;
type WholeParams = Anthropic.Messages.MessageCreateParamsNonStreaming;
type StreamEvent = Anthropic.Messages.RawMessageStreamEvent;

const EPHEMERAL = { type: "ephemeral" } as const;

/**
 * Posted through the client's generic `post` rather than `messages.create`: same
 * transport, auth and SSE parsing, but without the SDK's per-call console.warn for
 * models it lists as deprecated, which would print into the TUI on every turn.
 */
const MESSAGES_PATH = "/v1/messages";

// ── client ──────────────────────────────────────────────────────────────────────────

export function createAnthropicAdapter(
  profile: Profile,
  quirks: ModelQuirks,
  options: AdapterOptions = {},
): WireAdapter {
  const baseUrl = baseUrlFor(profile);
  // The SDK costs ~140 ms to import: start loading it now, in the background, so it
  // overlaps the rest of start-up, and only for runs that use this protocol.
  const client = import("@anthropic-ai/sdk").then(
    ({ default: Anthropic }) =>
      new Anthropic({
        // Passed explicitly so the SDK never falls back to env vars or on-disk profiles:
        // config/ resolves keys, and an empty one fails visibly as an auth error.
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
    label: `anthropic ${displayUrl(baseUrl)}`,
    errorContext: { profile, baseUrl: displayUrl(baseUrl) },
    streams,
    async *attempt(request, signal) {
      const sdk = await client;
      yield* streams(request) ? streamedReply(sdk, request, signal) : wholeReply(sdk, request, signal);
    },
  };
}

// ── request ─────────────────────────────────────────────────────────────────────────

/**
 * Internal messages as Anthropic turns. Tool results become tool_result blocks in a
 * user turn, and consecutive same-role turns are merged, so the results of one round of
 * calls (and any user text after them) travel in one user message. The API demands the
 * tool_result blocks first in that message, so a note that arrived before the results
 * is moved after them.
 */
export function toAnthropicMessages(messages: readonly Message[]): Turn[] {
  const out: Turn[] = [];
  const push = (role: "user" | "assistant", blocks: BlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (!last || last.role !== role) out.push({ role, content: blocks });
    else if (blocks[0].type !== "tool_result") last.content.push(...blocks);
    else {
      const firstOther = last.content.findIndex((block) => block.type !== "tool_result");
      last.content.splice(firstOther === -1 ? last.content.length : firstOther, 0, ...blocks);
    }
  };
  for (const message of messages) {
    if (message.role === "user") {
      // The API rejects empty and whitespace-only text blocks.
      push("user", message.content.trim() === "" ? [] : [{ type: "text", text: message.content }]);
    } else if (message.role === "tool") {
      push("user", [
        {
          type: "tool_result",
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ]);
    } else {
      const blocks: BlockParam[] = message.content.trim() === "" ? [] : [{ type: "text", text: message.content }];
      for (const call of message.toolCalls ?? [])
        blocks.push({ type: "tool_use", id: call.id, name: call.name, input: call.args });
      push("assistant", blocks);
    }
  }
  return out;
}

function toAnthropicTools(request: ModelRequest): ToolParam[] {
  return request.tools.map((tool, index) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.parameters, type: "object" },
    // The last tool closes the tools part of the prefix: everything up to here is cached.
    ...(index === request.tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
}

function systemBlocks(request: ModelRequest): TextBlockParam[] | undefined {
  if (request.system === "") return undefined;
  return [{ type: "text", text: request.system, cache_control: EPHEMERAL }];
}

/**
 * A third breakpoint on the newest message caches the conversation so far: in an agent
 * loop each call repeats the previous one's history, which is then read at 0.1× price.
 */
function withHistoryBreakpoint(messages: Turn[]): Turn[] {
  const last = messages[messages.length - 1];
  if (!last || last.content.length === 0) return messages;
  const blocks = [...last.content];
  const tail = blocks[blocks.length - 1];
  if (tail.type === "text" || tail.type === "tool_result" || tail.type === "tool_use") {
    blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL };
  }
  return [...messages.slice(0, -1), { ...last, content: blocks }];
}

/** Older Claude 3 models cap output at 4,096 tokens; later ones allow at least 8,192. */
function defaultMaxTokens(model: string): number {
  return /claude-3-(haiku|opus|sonnet)/.test(model) ? 4096 : 8192;
}

function baseParams(request: ModelRequest): WholeParams {
  const params: WholeParams = {
    model: request.model,
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens(request.model),
    messages: withHistoryBreakpoint(toAnthropicMessages(request.messages)),
  };
  const system = systemBlocks(request);
  if (system) params.system = system;
  if (request.tools.length > 0) params.tools = toAnthropicTools(request);
  return params;
}

// ── streamed reply ──────────────────────────────────────────────────────────────────

async function* streamedReply(client: Anthropic, request: ModelRequest, signal: AbortSignal): AsyncGenerator<RawEvent> {
  const body = { ...baseParams(request), stream: true };
  const stream = await client.post<Stream<StreamEvent>>(MESSAGES_PATH, { body, stream: true, signal });
  const tools = new Map<number, { id: string; name: string; json: string; input: unknown }>();
  let usage: Anthropic.Messages.Usage | undefined;
  let stop: string | null | undefined;
  let finished = false;
  for await (const event of stream) {
    switch (event.type) {
      case "message_start":
        usage = event.message.usage;
        yield { type: "progress" };
        break;
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use")
          tools.set(event.index, { id: block.id, name: block.name, json: "", input: block.input });
        if (block.type === "text" && block.text !== "") yield { type: "text", delta: block.text };
        else if (block.type === "thinking" && block.thinking !== "") yield { type: "reasoning", delta: block.thinking };
        else yield { type: "progress" };
        break;
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (delta.type === "text_delta") yield { type: "text", delta: delta.text };
        else if (delta.type === "thinking_delta") yield { type: "reasoning", delta: delta.thinking };
        else {
          if (delta.type === "input_json_delta") {
            const tool = tools.get(event.index);
            if (tool) tool.json += delta.partial_json;
          }
          yield { type: "progress" };
        }
        break;
      }
      case "content_block_stop": {
        const tool = tools.get(event.index);
        if (tool) {
          // Some proxies send the whole input in the start block and no deltas.
          const rawArgs = tool.json !== "" ? tool.json : JSON.stringify(tool.input ?? {});
          yield { type: "tool_call", id: tool.id, name: tool.name, rawArgs };
        } else yield { type: "progress" };
        break;
      }
      case "message_delta":
        stop = event.delta.stop_reason;
        usage = mergeDeltaUsage(usage, event.usage);
        yield { type: "progress" };
        break;
      case "message_stop":
        finished = true;
        break;
    }
  }
  // Without message_stop the connection closed early; ending without `done` makes the
  // driver retry it as a drop.
  if (!finished) return;
  yield { type: "done", stopReason: toStopReason(stop), usage: usage ? toUsage(usage) : undefined };
}

/** message_delta carries cumulative counts; null means "unchanged since message_start". */
function mergeDeltaUsage(
  usage: Anthropic.Messages.Usage | undefined,
  delta: Anthropic.Messages.MessageDeltaUsage,
): Anthropic.Messages.Usage | undefined {
  if (!usage) return undefined;
  return {
    ...usage,
    output_tokens: delta.output_tokens,
    input_tokens: delta.input_tokens ?? usage.input_tokens,
    cache_read_input_tokens: delta.cache_read_input_tokens ?? usage.cache_read_input_tokens,
    cache_creation_input_tokens: delta.cache_creation_input_tokens ?? usage.cache_creation_input_tokens,
  };
}

// ── whole reply ─────────────────────────────────────────────────────────────────────

async function* wholeReply(client: Anthropic, request: ModelRequest, signal: AbortSignal): AsyncGenerator<RawEvent> {
  const message = await client.post<Anthropic.Messages.Message>(MESSAGES_PATH, { body: baseParams(request), signal });
  for (const block of message.content) {
    if (block.type === "thinking") yield { type: "reasoning", delta: block.thinking };
    else if (block.type === "text") yield { type: "text", delta: block.text };
    else if (block.type === "tool_use") {
      yield { type: "tool_call", id: block.id, name: block.name, rawArgs: JSON.stringify(block.input ?? {}) };
    }
  }
  yield { type: "done", stopReason: toStopReason(message.stop_reason), usage: toUsage(message.usage) };
}

// ── usage and stop reasons ──────────────────────────────────────────────────────────

/** Anthropic counts cached prompt tokens apart from input_tokens; ours counts the whole prompt. */
export function toUsage(usage: Anthropic.Messages.Usage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: usage.input_tokens + cacheRead + cacheWrite,
    outputTokens: usage.output_tokens,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

export function toStopReason(stop: string | null | undefined): StopReason {
  if (stop === "end_turn" || stop === "stop_sequence") return "end_turn";
  if (stop === "tool_use") return "tool_use";
  if (stop === "max_tokens" || stop === "model_context_window_exceeded") return "max_tokens";
  return "other";
}
