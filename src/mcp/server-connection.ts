/**
 * One configured MCP server: connecting (stdio, or streamable HTTP falling back to SSE),
 * listing its tools, calling them, and what happens when it goes away. A server that
 * stops mid-session is restarted once, on the next call; if it cannot be restarted or
 * stops again, it is reported as failed and every later call says so.
 */

import { StringDecoder } from "node:string_decoder";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type CallToolResult, ErrorCode, McpError, type Tool as McpToolInfo } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerConfig } from "../config/mcp-servers.js";
import { errorMessage } from "../core/errors.js";
import { mcpChildEnvironment } from "./child-env.js";
import { createRedactor, type Redactor } from "./redact.js";
import { createServerLog, type ServerLog } from "./server-log.js";

export type { McpToolInfo };

export type ServerStatus = "disabled" | "starting" | "ready" | "stopped" | "failed";
export type TransportKind = "stdio" | "http" | "sse";

export interface ServerConnectionOptions {
  config: McpServerConfig;
  /** The environment parecode runs with: the source of the child's allowlist and of secrets to redact. */
  env: NodeJS.ProcessEnv;
  /** Working directory of stdio servers (the project root). */
  cwd?: string;
  /** Where `<name>.log` is written; in memory only when absent. */
  logDir?: string;
  /** Longest a tool call may take without progress (default 5 minutes). */
  callTimeoutMs?: number;
  clientInfo: { name: string; version: string };
}

/** What a call returns: the server's result, or why there is none. */
export type CallOutcome = { ok: true; result: CallToolResult } | { ok: false; message: string };

export interface ServerConnection {
  readonly config: McpServerConfig;
  readonly status: ServerStatus;
  /** Why the server failed or was skipped, one line. */
  readonly error?: string;
  readonly transport?: TransportKind;
  /** The stdio child's pid while it runs. */
  readonly pid: number | null;
  /** The tools it listed when it started. */
  readonly tools: readonly McpToolInfo[];
  /** How long the last successful start took. */
  readonly startMs?: number;
  readonly log: ServerLog;
  readonly redact: Redactor;
  /** Connects and lists tools within the configured timeout. Never throws: failure sets status and error. */
  start(): Promise<void>;
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallOutcome>;
  close(): Promise<void>;
}

interface Live {
  client: Client;
  transport: Transport;
  kind: TransportKind;
}

const DEFAULT_CALL_TIMEOUT_MS = 300_000;
const MAX_TOOL_PAGES = 50;

export function createServerConnection(options: ServerConnectionOptions): ServerConnection {
  const { config } = options;
  const redact = createRedactor({ env: options.env, serverEnv: config.env, headers: config.headers });
  const log = createServerLog({ name: config.name, redact, dir: options.logDir });
  let status: ServerStatus = config.enabled ? "stopped" : "disabled";
  let error: string | undefined;
  let live: Live | undefined;
  let kind: TransportKind | undefined;
  let tools: McpToolInfo[] = [];
  let startMs: number | undefined;
  let restarted = false;
  let restarting: Promise<void> | undefined;
  let starts = 0;
  /** Set by close(): a start still under way must not leave a server running. */
  let closing = false;
  /** Transports being shut down in the background (a timed-out start); close() waits for them. */
  const stopping = new Set<Promise<void>>();

  const shutDown = (transport: Transport) => {
    const done = transport
      .close()
      .catch(() => undefined)
      .finally(() => stopping.delete(done));
    stopping.add(done);
    return done;
  };

  const connect = async (): Promise<void> => {
    const started = Date.now();
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${formatSeconds(config.startTimeoutMs)}`)),
      config.startTimeoutMs,
    );
    try {
      const next = config.command
        ? await connectStdio(controller.signal)
        : await connectHttp(config.url as string, controller.signal);
      try {
        tools = await listAllTools(next.client, controller.signal, config.startTimeoutMs);
        if (closing) throw new Error("closed while starting");
      } catch (err) {
        void shutDown(next.transport);
        throw err;
      }
      live = next;
      kind = next.kind;
      startMs = Date.now() - started;
      status = "ready";
      error = undefined;
      log.note(`ready over ${next.kind} in ${startMs} ms with ${tools.length} tools`);
    } finally {
      clearTimeout(timer);
    }
  };

  const onClosed = (client: Client) => {
    if (live?.client !== client) return;
    live = undefined;
    status = "stopped";
    log.note("the server stopped");
  };

  /** Starts the transport and initialises; on any failure the transport is shut down. */
  const open = async (transport: Transport, transportKind: TransportKind, signal: AbortSignal): Promise<Live> => {
    const client = new Client(options.clientInfo, { capabilities: {} });
    client.onerror = (err) => log.note(`transport error: ${errorMessage(err)}`);
    client.onclose = () => onClosed(client);
    try {
      await raceAbort(client.connect(transport, { signal, timeout: config.startTimeoutMs }), signal);
      return { client, transport, kind: transportKind };
    } catch (err) {
      void shutDown(transport);
      throw err;
    }
  };

  const connectStdio = (signal: AbortSignal): Promise<Live> => {
    const [command, ...args] = config.command as string[];
    const transport = new StdioClientTransport({
      command,
      args,
      env: mcpChildEnvironment(options.env, config.env),
      cwd: options.cwd,
      stderr: "pipe",
    });
    // A PassThrough exists before start, so nothing the server prints early is lost.
    const decoder = new StringDecoder("utf8");
    transport.stderr?.on("data", (chunk: Buffer | string) =>
      log.write(typeof chunk === "string" ? chunk : decoder.write(chunk)),
    );
    log.note(`starting ${[command, ...args].join(" ")}`);
    return open(transport, "stdio", signal);
  };

  const connectHttp = async (url: string, signal: AbortSignal): Promise<Live> => {
    const requestInit = { headers: { ...config.headers } };
    log.note(`connecting to ${url}`);
    try {
      return await open(new StreamableHTTPClientTransport(new URL(url), { requestInit }), "http", signal);
    } catch (err) {
      if (signal.aborted || isNetworkError(err)) throw err;
      // Servers from before streamable HTTP (2024-11 protocol) answer POSTs with 4xx: try SSE.
      log.note(`streamable HTTP failed (${errorMessage(err)}); trying SSE`);
      try {
        return await open(new SSEClientTransport(new URL(url), { requestInit }), "sse", signal);
      } catch (sseErr) {
        if (signal.aborted) throw sseErr;
        throw new Error(`${errorMessage(err)} (and over SSE: ${errorMessage(sseErr)})`);
      }
    }
  };

  const start = async (): Promise<void> => {
    if (!config.enabled) return;
    starts++;
    status = "starting";
    try {
      await connect();
    } catch (err) {
      status = "failed";
      error = redact(describeStartError(err, config));
      log.note(`failed to start: ${error}`);
    }
  };

  const call = async (tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallOutcome> => {
    if (status === "disabled") return { ok: false, message: `MCP server ${config.name} is disabled in config.toml` };
    if (status === "failed") {
      return {
        ok: false,
        message: `MCP server ${config.name} is not running (${error ?? "failed"}); its tools cannot be used in this session. See parecode mcp logs ${config.name}`,
      };
    }
    if (!live) {
      // Calls of one batch may arrive together: the first starts the one restart, the rest wait for it.
      if (!restarting) {
        if (restarted || starts === 0 || closing) {
          status = "failed";
          error = closing ? "closed" : starts === 0 ? "never started" : "stopped again after a restart";
          return call(tool, args, signal);
        }
        restarted = true;
        log.note("restarting after the server stopped");
        restarting = start().finally(() => {
          restarting = undefined;
        });
      }
      await restarting;
      if (!live) {
        return {
          ok: false,
          message: `MCP server ${config.name} stopped and could not be restarted (${error}); its tools cannot be used in this session. See parecode mcp logs ${config.name}`,
        };
      }
    }
    const current = live as Live;
    try {
      const result = (await current.client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress: () => undefined,
      })) as CallToolResult;
      return { ok: true, result };
    } catch (err) {
      if (signal.aborted) return { ok: false, message: `${tool} on MCP server ${config.name} was cancelled` };
      const message = redact(errorMessage(err));
      if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed) {
        const timedOut = err.code === ErrorCode.RequestTimeout;
        return {
          ok: false,
          message: timedOut
            ? `${tool} on MCP server ${config.name} did not answer in time (${message})`
            : `MCP server ${config.name} refused the call to ${tool}: ${message}`,
        };
      }
      // The connection itself broke: treat the server as stopped, to be restarted on the next call.
      if (live === current) {
        live = undefined;
        status = "stopped";
        void shutDown(current.transport);
      }
      log.note(`call to ${tool} failed: ${message}`);
      const next = restarted
        ? "it was already restarted once, so it stays down"
        : "it will be restarted on the next call";
      return {
        ok: false,
        message: `MCP server ${config.name} stopped during the call to ${tool} (${message}); ${next}`,
      };
    }
  };

  return {
    config,
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    get transport() {
      return kind;
    },
    get pid() {
      return live && live.transport instanceof StdioClientTransport ? live.transport.pid : null;
    },
    get tools() {
      return tools;
    },
    get startMs() {
      return startMs;
    },
    log,
    redact,
    start,
    call,
    async close() {
      closing = true;
      await restarting?.catch(() => undefined);
      const current = live;
      live = undefined;
      if (current) {
        if (status === "ready") status = "stopped";
        await shutDown(current.transport);
      }
      await Promise.all([...stopping]);
    },
  };
}

async function listAllTools(client: Client, signal: AbortSignal, timeout: number): Promise<McpToolInfo[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await raceAbort(client.listTools(cursor ? { cursor } : undefined, { signal, timeout }), signal);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (a hung spawn cannot hold a start). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** fetch's "fetch failed": the host could not be reached at all, so SSE would fail the same way. */
function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed/i.test(err.message);
}

/** The innermost `cause` (fetch hides ECONNREFUSED and friends there). */
function rootCause(err: unknown): unknown {
  let current = err;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) {
    current = current.cause;
  }
  return current;
}

/** One line that says what went wrong and what to do about it. */
function describeStartError(err: unknown, config: McpServerConfig): string {
  const code = (err as NodeJS.ErrnoException).code;
  const program = config.command?.[0];
  if (isNetworkError(err) && config.url) {
    const cause = rootCause(err);
    const why = (cause as NodeJS.ErrnoException).code ?? errorMessage(cause);
    return `cannot reach ${config.url} (${why}); check that the server is running and its url in config.toml`;
  }
  if (code === "ENOENT" && program) return `command not found: ${program} (install it, or fix command in config.toml)`;
  if (code === "EACCES" && program) return `${program} is not executable (check command in config.toml)`;
  const message = errorMessage(err).split("\n")[0];
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
    return `the server exited before it finished starting (see parecode mcp logs ${config.name})`;
  }
  if (/no answer within|timed out/i.test(message)) {
    return `${message}; raise timeout in its config block if it is just slow`;
  }
  return message;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
