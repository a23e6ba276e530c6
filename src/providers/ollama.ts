/**
 * Ollama's native API (/api/chat as NDJSON, /api/show), written against fetch because
 * its OpenAI-compatible /v1 endpoint ignores `num_ctx` and silently truncates prompts to
 * the default 2–4k context. Here the context is set on every call, bounded by what the
 * model really supports.
 *
 * Sections (same order in every protocol file): client, request, streamed reply, whole
 * reply, usage and stop reasons.
 */
import type { ModelQuirks, Profile } from "../config/types.js";
import type { Message, ModelRequest, StopReason, Usage } from "../core/types.js";
import { displayUrl, HttpStatusError } from "./error-map.js";
import { isRecord } from "./json-repair.js";
import type { AdapterOptions } from "./openai-compatible.js";
import type { RawEvent, WireAdapter } from "./stream-driver.js";
import { baseUrlFor } from "./vendors.js";

export interface ContextWindowInfo {
  /** profile.contextTokens. */
  configured: number;
  /** What the server says the model supports; undefined when it could not say. */
  detected?: number;
  /** What calls use: min(configured, detected). */
  effective: number;
  /** Set when the configured window exceeds the model's: worth showing the user once. */
  warning?: string;
}

export interface OllamaAdapter extends WireAdapter {
  contextInfo(signal?: AbortSignal): Promise<ContextWindowInfo>;
}

interface OllamaChunk {
  message?: { content?: string; thinking?: string; tool_calls?: unknown[] };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

/** /api/show answers in milliseconds; this only guards against a hung server. */
const SHOW_TIMEOUT_MS = 10_000;

// ── client ──────────────────────────────────────────────────────────────────────────

export function createOllamaAdapter(
  profile: Profile,
  quirks: ModelQuirks,
  options: AdapterOptions = {},
): OllamaAdapter {
  const baseUrl = baseUrlFor(profile);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { "content-type": "application/json" };
  // Ollama has no keys, but proxies in front of it may.
  if (profile.apiKey) headers.authorization = `Bearer ${profile.apiKey}`;
  const post = (path: string, body: unknown, signal: AbortSignal) =>
    fetchFn(`${baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body), signal });

  // Cached once known; a failed lookup is tried again on the next call.
  let detected: number | undefined;
  const detect = async (signal?: AbortSignal): Promise<number | undefined> => {
    if (detected !== undefined) return detected;
    const timeout = AbortSignal.timeout(SHOW_TIMEOUT_MS);
    try {
      const res = await post("/api/show", { model: profile.model }, signal ? anySignal(signal, timeout) : timeout);
      if (!res.ok) return undefined;
      detected = contextLengthOf(await res.json());
      return detected;
    } catch {
      return undefined;
    }
  };
  const contextInfo = async (signal?: AbortSignal): Promise<ContextWindowInfo> => {
    const real = await detect(signal);
    const configured = profile.contextTokens;
    const effective = real === undefined ? configured : Math.min(configured, real);
    const warning =
      real !== undefined && configured > real
        ? `context_tokens = ${configured} in profile "${profile.name}" exceeds the ${real} tokens ${profile.model} supports; using ${real}. Lower context_tokens to ${real} to silence this.`
        : undefined;
    return { configured, detected: real, effective, warning };
  };

  const streams = (request: ModelRequest) => quirks.streamToolCalls || request.tools.length === 0;
  return {
    // Labels and messages show the URL without credentials a user may have written into it.
    label: `ollama ${displayUrl(baseUrl)}`,
    errorContext: { profile, baseUrl: displayUrl(baseUrl) },
    streams,
    contextInfo,
    async *attempt(request, signal) {
      const { effective } = await contextInfo(signal);
      const stream = streams(request);
      const res = await post("/api/chat", chatBody(request, effective, stream), signal);
      if (!res.ok) throw new HttpStatusError(res.status, await errorText(res), res.headers);
      yield* stream ? streamedReply(res) : wholeReply(res);
    },
  };
}

/** `model_info["<arch>.context_length"]`, or any `*.context_length` when the arch key is missing. */
export function contextLengthOf(show: unknown): number | undefined {
  if (!isRecord(show) || !isRecord(show.model_info)) return undefined;
  const info = show.model_info;
  const arch = info["general.architecture"];
  const direct = typeof arch === "string" ? info[`${arch}.context_length`] : undefined;
  if (typeof direct === "number" && direct > 0) return direct;
  const any = Object.entries(info).find(([key, value]) => key.endsWith(".context_length") && typeof value === "number");
  return any && typeof any[1] === "number" && any[1] > 0 ? any[1] : undefined;
}

// ── request ─────────────────────────────────────────────────────────────────────────

export function toOllamaMessages(request: ModelRequest): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (request.system !== "") out.push({ role: "system", content: request.system });
  for (const message of request.messages) out.push(toOllamaMessage(message));
  return out;
}

function toOllamaMessage(message: Message): Record<string, unknown> {
  if (message.role === "user") return { role: "user", content: message.content };
  // Ollama matches results to calls by tool name; it has no call ids in older releases.
  if (message.role === "tool") return { role: "tool", content: message.content, tool_name: message.toolName };
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) return { role: "assistant", content: message.content };
  return {
    role: "assistant",
    content: message.content,
    tool_calls: calls.map((call) => ({ function: { name: call.name, arguments: call.args } })),
  };
}

function chatBody(request: ModelRequest, numCtx: number, stream: boolean): Record<string, unknown> {
  const options: Record<string, number> = { num_ctx: numCtx };
  if (request.maxOutputTokens !== undefined) options.num_predict = request.maxOutputTokens;
  const body: Record<string, unknown> = { model: request.model, messages: toOllamaMessages(request), stream, options };
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  return body;
}

// ── streamed reply ──────────────────────────────────────────────────────────────────

async function* streamedReply(res: Response): AsyncGenerator<RawEvent> {
  if (!res.body) throw new Error("Ollama sent an empty response body");
  for await (const line of ndjsonLines(res.body)) {
    const chunk = parseChunk(line);
    const events = chunkEvents(chunk);
    if (events.length === 0) yield { type: "progress" };
    yield* events;
    // Lines after `done` would belong to nothing; an iterator ending without `done` is a drop.
    if (chunk.done) return;
  }
}

function chunkEvents(chunk: OllamaChunk): RawEvent[] {
  // Ollama reports failures that happen after the headers as an `error` line.
  if (typeof chunk.error === "string") throw new HttpStatusError(500, chunk.error, new Headers());
  const events: RawEvent[] = [];
  const message = chunk.message ?? {};
  if (typeof message.thinking === "string" && message.thinking !== "")
    events.push({ type: "reasoning", delta: message.thinking });
  if (typeof message.content === "string" && message.content !== "")
    events.push({ type: "text", delta: message.content });
  // Tool calls arrive whole (one chunk per call or all at once), never as fragments.
  for (const call of message.tool_calls ?? []) {
    const parsed = toolCallOf(call);
    if (parsed) events.push({ type: "tool_call", ...parsed });
  }
  if (chunk.done) events.push({ type: "done", stopReason: toStopReason(chunk.done_reason), usage: toUsage(chunk) });
  return events;
}

function toolCallOf(call: unknown): { id?: string; name: string; rawArgs: string } | undefined {
  if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== "string") return undefined;
  const args = call.function.arguments;
  // Arguments are normally an object; a string is what the model wrote when Ollama could not parse it.
  const rawArgs = typeof args === "string" ? args : JSON.stringify(args ?? {});
  const id = typeof call.id === "string" && call.id !== "" ? call.id : undefined;
  return { id, name: call.function.name, rawArgs };
}

function parseChunk(line: string): OllamaChunk {
  const value: unknown = JSON.parse(line);
  // error-map redacts and then cuts the quote: cutting here first could leave half a key.
  if (!isRecord(value)) throw new Error(`unexpected line from Ollama: ${line}`);
  return value as OllamaChunk;
}

async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line !== "") yield line;
      }
    }
    buffer += decoder.decode();
    if (buffer.trim() !== "") yield buffer.trim();
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

// ── whole reply ─────────────────────────────────────────────────────────────────────

async function* wholeReply(res: Response): AsyncGenerator<RawEvent> {
  const value: unknown = await res.json();
  if (!isRecord(value)) throw new Error("unexpected reply from Ollama");
  const chunk = value as OllamaChunk;
  // A whole reply is complete by definition, even from servers that omit `done`.
  const events = chunkEvents({ ...chunk, done: true });
  yield* events;
}

/** The server's words, whole: error-map redacts them first and then quotes an excerpt. */
async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body) && typeof body.error === "string") return body.error;
  } catch {
    // not JSON: use the text as it is
  }
  return text;
}

function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (a.aborted || b.aborted) controller.abort();
  a.addEventListener("abort", abort, { once: true });
  b.addEventListener("abort", abort, { once: true });
  return controller.signal;
}

// ── usage and stop reasons ──────────────────────────────────────────────────────────

function toUsage(chunk: OllamaChunk): Usage | undefined {
  if (chunk.prompt_eval_count === undefined && chunk.eval_count === undefined) return undefined;
  return {
    inputTokens: chunk.prompt_eval_count ?? 0,
    outputTokens: chunk.eval_count ?? 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
}

export function toStopReason(reason: string | undefined): StopReason {
  if (reason === "stop") return "end_turn";
  if (reason === "length") return "max_tokens";
  return "other";
}
