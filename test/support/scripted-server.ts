/**
 * The scripted model server: a real HTTP server on 127.0.0.1 that speaks OpenAI Chat
 * Completions, Anthropic Messages and Ollama's native API, streaming and not, answering
 * each model call with the next scripted turn (or a policy's answer) and recording every
 * request. Tests and benchmarks point the real SDKs at it; nothing is mocked.
 *
 * Recorded requests keep their headers (tests assert on auth) but the server never prints
 * a request, a header or a body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { anthropicModelList, anthropicWire } from "./anthropic-wire.js";
import { flattenHeaders, parseJson, readBody, sendJson } from "./http-util.js";
import {
  DEFAULT_OLLAMA_MODELS,
  OLLAMA_VERSION,
  type OllamaModel,
  ollamaShow,
  ollamaTags,
  ollamaWire,
} from "./ollama-wire.js";
import { openaiModelList, openaiWire } from "./openai-wire.js";
import { CUT_OFF_TEXT, estimateTokens, isRecord, resolveTurn, type WireFormat } from "./wire-common.js";

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** A string is sent verbatim: lets tests send malformed JSON. */
  args: Record<string, unknown> | string;
}

export type ScriptedTurn =
  | {
      text?: string;
      reasoning?: string;
      toolCalls?: ScriptedToolCall[];
      /** cacheRead/cacheWrite become Anthropic cache_read/cache_creation and OpenAI cached_tokens (default 0). */
      usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
      stopReason?: "end_turn" | "tool_use" | "max_tokens";
      /** Delays the start of the answer. */
      delayMs?: number;
      /** Pause between streamed frames, so a client can be watched while it streams. */
      chunkDelayMs?: number;
    }
  | { fault: "status"; status: number; retryAfterSeconds?: number; body?: unknown }
  /** Streams some chunks (default 1), then sends nothing and keeps the socket open. Non-streaming: never answers. */
  | { fault: "stall"; afterChunks?: number }
  /** Streams some chunks (default 1), then destroys the socket. Non-streaming: destroys it without a response. */
  | { fault: "drop"; afterChunks?: number }
  /** Sends `body` verbatim (default status 200, the protocol's stream content type): malformed streams, HTML error pages. */
  | { fault: "raw"; body: string; status?: number; contentType?: string };

export type Protocol = "openai" | "anthropic" | "ollama";

export interface RecordedRequest {
  protocol: Protocol;
  method: string;
  path: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body ({} when there was none or it was not a JSON object). */
  body: Record<string, unknown>;
  stream: boolean;
  receivedAt: number;
}

/** Answers one model call; `index` is 0-based among model calls. A throw becomes a 500. */
export type Policy = (request: RecordedRequest, index: number) => ScriptedTurn | Promise<ScriptedTurn>;

export interface ScriptedServerOptions {
  script?: ScriptedTurn[];
  /** When given, answers every model call and the script is ignored. */
  policy?: Policy;
  /** Served by /api/tags, /api/show and /v1/models (default one model, "qwen3:14b"). */
  ollamaModels?: Array<{ name: string; contextLength?: number }>;
  /** Answer with this text once the script is exhausted (default: a 500 saying so). */
  fallbackText?: string;
}

export interface ScriptedServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/v1", the OpenAI SDK's baseURL. */
  openaiBaseUrl: string;
  /** url; the Anthropic SDK appends /v1/messages. */
  anthropicBaseUrl: string;
  /** Model calls only (chat/messages), in arrival order. */
  requests: RecordedRequest[];
  /** Every request, including /api/tags, /api/show and /v1/models. */
  allRequests: RecordedRequest[];
  /** Script turns not yet consumed. */
  remaining(): number;
  /** Closes the server and destroys every open socket, stalled ones included. */
  close(): Promise<void>;
}

type TextTurn = Exclude<ScriptedTurn, { fault: string }>;
type FaultTurn = Extract<ScriptedTurn, { fault: string }>;

const WIRES: Record<Protocol, WireFormat> = { openai: openaiWire, anthropic: anthropicWire, ollama: ollamaWire };

const MODEL_CALL_ROUTES: Record<string, Protocol> = {
  "/v1/chat/completions": "openai",
  "/chat/completions": "openai",
  "/v1/messages": "anthropic",
  "/api/chat": "ollama",
};

export async function startScriptedServer(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const script = options.script ?? [];
  const models: OllamaModel[] = options.ollamaModels ?? DEFAULT_OLLAMA_MODELS;
  const requests: RecordedRequest[] = [];
  const allRequests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** Cancels pending delays so close() leaves no timer behind. */
  const pendingDelays = new Set<() => void>();
  let cursor = 0;
  let closed = false;

  const wait = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      const finish = (elapsed: boolean): void => {
        clearTimeout(timer);
        pendingDelays.delete(cancel);
        res.off("close", cancel);
        resolve(elapsed);
      };
      const cancel = (): void => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      pendingDelays.add(cancel);
      res.once("close", cancel);
    });

  const nextTurn = async (request: RecordedRequest, index: number): Promise<ScriptedTurn> => {
    if (options.policy) return options.policy(request, index);
    if (cursor < script.length) return script[cursor++];
    if (options.fallbackText !== undefined) return { text: options.fallbackText };
    return {
      fault: "status",
      status: 500,
      body: WIRES[request.protocol].errorBody(
        500,
        `scripted server: script exhausted after ${script.length} turn(s); model call #${index} (${request.method} ${request.path}) has no turn. Add a turn or set fallbackText.`,
      ),
    };
  };

  const serveModelCall = async (
    request: RecordedRequest,
    rawBody: string,
    res: ServerResponse,
    socket: Socket,
  ): Promise<void> => {
    const index = requests.length;
    requests.push(request);
    const wire = WIRES[request.protocol];
    let turn: ScriptedTurn;
    try {
      turn = await nextTurn(request, index);
    } catch (error) {
      const message = `scripted server: policy threw: ${error instanceof Error ? error.message : String(error)}`;
      sendJson(res, 500, wire.errorBody(500, message));
      return;
    }
    if (closed || res.destroyed) return;
    const model = typeof request.body.model === "string" ? request.body.model : "scripted-model";

    if ("fault" in turn) {
      serveFault(turn, request, wire, rawBody, model, index, res, socket);
      return;
    }
    if (turn.delayMs !== undefined && turn.delayMs > 0 && !(await wait(turn.delayMs, res))) return;
    if (closed || res.destroyed) return;
    if (turn.chunkDelayMs !== undefined && turn.chunkDelayMs > 0 && request.stream) {
      const resolved = resolveTurn(turn, index, rawBody, model);
      res.writeHead(200, streamHeaders(wire, index));
      for (const frame of wire.frames(resolved, request.body)) {
        res.write(frame);
        if (!(await wait(turn.chunkDelayMs, res)) || closed) return;
      }
      res.end();
      return;
    }
    serveText(turn, request, wire, rawBody, model, index, res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const socket = req.socket;
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch {
      return; // the client went away while sending
    }
    if (closed) return;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    const headers = flattenHeaders(req);
    const parsed = parseJson(rawBody);
    const body = isRecord(parsed) ? parsed : {};
    const modelProtocol = method === "POST" ? MODEL_CALL_ROUTES[path] : undefined;
    const protocol = modelProtocol ?? guessProtocol(path, headers);
    const stream = protocol === "ollama" && modelProtocol ? body.stream !== false : body.stream === true;
    const request: RecordedRequest = { protocol, method, path, headers, body, stream, receivedAt: Date.now() };
    allRequests.push(request);

    if (modelProtocol) {
      if (rawBody.trim() !== "" && parsed === undefined) {
        sendJson(res, 400, WIRES[protocol].errorBody(400, "scripted server: request body is not valid JSON"));
        return;
      }
      await serveModelCall(request, rawBody, res, socket);
      return;
    }
    serveDiscovery(request, rawBody, models, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      sendJson(res, 500, {
        error: `scripted server crashed: ${error instanceof Error ? error.message : String(error)}`,
      });
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    // A client that resets mid-stream must not crash the test process.
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    allRequests,
    remaining: () => Math.max(0, script.length - cursor),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const cancel of [...pendingDelays]) cancel();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await done;
    },
  };
}

function serveText(
  turn: TextTurn,
  request: RecordedRequest,
  wire: WireFormat,
  rawBody: string,
  model: string,
  index: number,
  res: ServerResponse,
): void {
  const resolved = resolveTurn(turn, index, rawBody, model);
  if (!request.stream) {
    sendJson(res, 200, wire.complete(resolved, request.body));
    return;
  }
  res.writeHead(200, streamHeaders(wire, index));
  for (const frame of wire.frames(resolved, request.body)) res.write(frame);
  res.end();
}

function serveFault(
  turn: FaultTurn,
  request: RecordedRequest,
  wire: WireFormat,
  rawBody: string,
  model: string,
  index: number,
  res: ServerResponse,
  socket: Socket,
): void {
  if (turn.fault === "status") {
    const headers: Record<string, string> = {};
    if (turn.retryAfterSeconds !== undefined) headers["retry-after"] = String(turn.retryAfterSeconds);
    const body = turn.body ?? wire.errorBody(turn.status, defaultErrorMessage(turn.status));
    sendJson(res, turn.status, body, headers);
    return;
  }
  if (turn.fault === "raw") {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(turn.status ?? 200, { "content-type": turn.contentType ?? wire.streamContentType });
    res.end(turn.body);
    return;
  }
  if (!request.stream) {
    // stall: never answer (the socket stays open until the client or close() ends it).
    if (turn.fault === "drop") socket.destroy();
    return;
  }
  const frames = wire.frames(resolveTurn({ text: CUT_OFF_TEXT }, index, rawBody, model), request.body);
  // Never send the whole stream: a cut-off stream must not look complete.
  const count = Math.min(Math.max(0, turn.afterChunks ?? 1), frames.length - 1);
  res.writeHead(200, streamHeaders(wire, index));
  if (count === 0) {
    res.flushHeaders();
    if (turn.fault === "drop") socket.destroy();
    return;
  }
  frames.slice(0, count).forEach((frame, i) => {
    const last = i === count - 1;
    // Destroy only once the last frame reached the socket, so the client does see it.
    res.write(frame, last && turn.fault === "drop" ? () => socket.destroy() : undefined);
  });
}

function serveDiscovery(request: RecordedRequest, rawBody: string, models: OllamaModel[], res: ServerResponse): void {
  const { method, path, body } = request;
  const names = models.map((model) => model.name);
  if (method === "GET" && (path === "/v1/models" || path === "/models")) {
    sendJson(res, 200, request.protocol === "anthropic" ? anthropicModelList(names) : openaiModelList(names));
    return;
  }
  if (method === "POST" && path === "/v1/messages/count_tokens") {
    sendJson(res, 200, { input_tokens: estimateTokens(rawBody) });
    return;
  }
  if (method === "GET" && path === "/api/tags") {
    sendJson(res, 200, ollamaTags(models));
    return;
  }
  if (method === "GET" && path === "/api/version") {
    sendJson(res, 200, { version: OLLAMA_VERSION });
    return;
  }
  if (method === "POST" && path === "/api/show") {
    const wanted = typeof body.model === "string" ? body.model : body.name;
    const model = models.find((m) => m.name === wanted || m.name === `${String(wanted)}:latest`);
    if (model) sendJson(res, 200, ollamaShow(model));
    else sendJson(res, 404, { error: `model '${String(wanted)}' not found` });
    return;
  }
  if ((method === "GET" || method === "HEAD") && path === "/") {
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    res.end("Ollama is running");
    return;
  }
  const message = `scripted server: no route for ${method} ${path}`;
  sendJson(res, 404, WIRES[request.protocol].errorBody(404, message));
}

/** Which protocol a non-model request belongs to, for recording and error shapes. */
function guessProtocol(path: string, headers: Record<string, string>): Protocol {
  if (path.startsWith("/api/") || path === "/") return "ollama";
  if (headers["anthropic-version"] !== undefined || headers["x-api-key"] !== undefined) return "anthropic";
  if (path.startsWith("/v1/messages")) return "anthropic";
  return "openai";
}

function defaultErrorMessage(status: number): string {
  if (status === 429) return "Rate limit reached (scripted). Please try again later.";
  if (status === 529) return "Overloaded (scripted)";
  if (status >= 500) return "The server had an error while processing your request (scripted).";
  return `Scripted error with status ${status}.`;
}

function streamHeaders(wire: WireFormat, index: number): Record<string, string> {
  return {
    "content-type": wire.streamContentType,
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": `req_scripted${index}`,
    "request-id": `req_scripted${index}`,
  };
}
