/**
 * The behaviours every adapter shares, driven through the real SDKs (and Ollama's native
 * API) against the scripted model server: streaming, tool-call assembly, retries,
 * stalls, drops, cancellation and argument errors.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../../test/support/scripted-server.js";
import { DEFAULT_SETTINGS, type Profile, type ProviderKind, type Settings } from "../config/types.js";
import type { ModelRequest, ProviderEvent, ToolCall, ToolSchema } from "../core/types.js";
import { createModelClient } from "./index.js";

const TOOLS: ToolSchema[] = [
  {
    name: "read_file",
    description: "Read a file",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
  {
    name: "bash",
    description: "Run a command",
    parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
];

const SETTINGS: Settings = { ...DEFAULT_SETTINGS, providerStallTimeoutMs: 300 };

const PROTOCOLS: Array<{ provider: ProviderKind; model: string }> = [
  { provider: "openai", model: "m" },
  { provider: "anthropic", model: "claude-sonnet-4-5" },
  { provider: "ollama", model: "qwen3:14b" },
];

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: ScriptedTurn[]): Promise<ScriptedServer> {
  server = await startScriptedServer({ script });
  return server;
}

function profileFor(provider: ProviderKind, model: string, s: ScriptedServer, over: Partial<Profile> = {}): Profile {
  const endpoint = provider === "openai" ? s.openaiBaseUrl : s.url;
  return { name: "t", provider, endpoint, model, apiKey: "k", contextTokens: 32_000, source: "config", ...over };
}

function request(model: string, tools: ToolSchema[] = TOOLS): ModelRequest {
  return { model, system: "You are terse.", messages: [{ role: "user", content: "go" }], tools };
}

async function collect(
  profile: Profile,
  req: ModelRequest,
  signal = new AbortController().signal,
  settings: Settings = SETTINGS,
): Promise<ProviderEvent[]> {
  const client = createModelClient(profile, settings, { retryBaseDelayMs: 5 });
  const events: ProviderEvent[] = [];
  for await (const event of client.stream(req, signal)) events.push(event);
  // The contract: exactly one terminal event, and it is the last one.
  const terminal = events.filter((e) => e.type === "done" || e.type === "error");
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  return events;
}

/** What the agent keeps: events after the last `retry`. */
function afterLastRetry(events: ProviderEvent[]): ProviderEvent[] {
  const last = events.map((e) => e.type).lastIndexOf("retry");
  return events.slice(last + 1);
}

const textOf = (events: ProviderEvent[]) => events.map((e) => (e.type === "text" ? e.delta : "")).join("");
const callsOf = (events: ProviderEvent[]): ToolCall[] =>
  events.flatMap((e) => (e.type === "tool_call" ? [e.call] : []));
const retriesOf = (events: ProviderEvent[]) => events.filter((e) => e.type === "retry");

describe.each(PROTOCOLS)("$provider adapter", ({ provider, model }) => {
  it("streams text in several deltas and ends with done and usage", async () => {
    const s = await start([{ text: "Hello from the scripted server, in pieces.", usage: { input: 120, output: 9 } }]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(events.filter((e) => e.type === "text").length).toBeGreaterThan(1);
    expect(textOf(events)).toBe("Hello from the scripted server, in pieces.");
    expect(events.at(-1)).toMatchObject({
      type: "done",
      stopReason: "end_turn",
      usage: { inputTokens: 120, outputTokens: 9 },
    });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0].stream).toBe(true);
  });

  it("assembles two tool calls from split deltas", async () => {
    const s = await start([
      {
        toolCalls: [
          { name: "read_file", args: { path: "src/a-rather-long-file-name.ts" } },
          { name: "bash", args: { command: "ls -la && echo done" } },
        ],
      },
    ]);
    const events = await collect(profileFor(provider, model, s), request(model));
    const calls = callsOf(events);
    expect(calls.map((c) => [c.name, c.args])).toEqual([
      ["read_file", { path: "src/a-rather-long-file-name.ts" }],
      ["bash", { command: "ls -la && echo done" }],
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(calls.every((c) => c.argsError === undefined)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "tool_use" });
  });

  it("retries a 429, honouring retry-after, with a retry event", async () => {
    const s = await start([{ fault: "status", status: 429, retryAfterSeconds: 0 }, { text: "after the wait" }]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(retriesOf(events)).toEqual([
      { type: "retry", attempt: 1, delayMs: 0, reason: expect.stringContaining("429") },
    ]);
    expect(textOf(afterLastRetry(events))).toBe("after the wait");
    expect(s.requests).toHaveLength(2);
  });

  it("retries a 500", async () => {
    const s = await start([{ fault: "status", status: 500 }, { text: "fine now" }]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(retriesOf(events)).toHaveLength(1);
    expect(textOf(afterLastRetry(events))).toBe("fine now");
  });

  it("aborts a stalled stream and retries it", async () => {
    const s = await start([{ fault: "stall", afterChunks: 2 }, { text: "second try" }]);
    const started = Date.now();
    const events = await collect(profileFor(provider, model, s), request(model));
    const [retry] = retriesOf(events);
    expect(retry).toMatchObject({ attempt: 1, reason: expect.stringContaining("stalled") });
    expect(textOf(afterLastRetry(events))).toBe("second try");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("retries a dropped connection", async () => {
    const s = await start([{ fault: "drop", afterChunks: 2 }, { text: "reconnected" }]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(retriesOf(events)).toHaveLength(1);
    expect(textOf(afterLastRetry(events))).toBe("reconnected");
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("stops at once when the caller aborts, without retrying", async () => {
    const s = await start([{ text: "too late", delayMs: 5_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const events = await collect(profileFor(provider, model, s), request(model), controller.signal, {
      ...SETTINGS,
      providerStallTimeoutMs: 10_000,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(retriesOf(events)).toHaveLength(0);
    const last = events.at(-1);
    expect(last?.type === "error" && last.error.kind).toBe("aborted");
  });

  it("surfaces an error after the last retry", async () => {
    const s = await start([
      { fault: "status", status: 503 },
      { fault: "status", status: 503 },
    ]);
    const events = await collect(profileFor(provider, model, s), request(model), undefined, {
      ...SETTINGS,
      providerMaxRetries: 1,
    });
    expect(retriesOf(events)).toHaveLength(1);
    const last = events.at(-1);
    expect(last?.type === "error" && [last.error.kind, last.error.status]).toEqual(["server", 503]);
  });

  it("does not retry a 401 and names the fix", async () => {
    const s = await start([{ fault: "status", status: 401 }]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(retriesOf(events)).toHaveLength(0);
    const last = events.at(-1);
    expect(last?.type === "error" && last.error.kind).toBe("auth");
    expect(last?.type === "error" && last.error.message).toContain('check api_key for profile "t"');
  });

  it("turns malformed argument JSON into argsError with the raw text", async () => {
    const s = await start([{ toolCalls: [{ name: "read_file", args: '{"path": src/a.ts}' }] }]);
    const [call] = callsOf(await collect(profileFor(provider, model, s), request(model)));
    expect(call.name).toBe("read_file");
    expect(call.args).toEqual({});
    expect(call.argsError).toContain("src/a.ts");
  });

  it("takes a tool call the model wrote as text", async () => {
    const s = await start([
      { text: 'Reading it.\n<tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}</tool_call>' },
    ]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(textOf(events)).toBe("Reading it.\n");
    expect(callsOf(events)).toEqual([
      { id: "call_text_1", name: "read_file", args: { path: "a.ts" }, rawArgs: '{"path":"a.ts"}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "tool_use" });
  });

  it("separates reasoning from the answer", async () => {
    const s = await start([{ reasoning: "Think first.", text: "Answer." }]);
    const events = await collect(profileFor(provider, model, s), request(model));
    expect(
      events.filter((e) => e.type === "reasoning").map((e) => (e.type === "reasoning" ? e.delta : "")),
    ).not.toEqual([]);
    expect(textOf(events)).toBe("Answer.");
  });

  it("calls without streaming when tool calls do not survive streaming", async () => {
    const s = await start([{ text: "whole", toolCalls: [{ name: "bash", args: { command: "pwd" } }] }]);
    const profile = profileFor(provider, model, s, { quirks: { streamToolCalls: false } });
    const events = await collect(profile, request(model));
    expect(s.requests[0].stream).toBe(false);
    expect(textOf(events)).toBe("whole");
    expect(callsOf(events).map((c) => c.args)).toEqual([{ command: "pwd" }]);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "tool_use" });
  });

  it("reports a server that is not running as a network error naming the URL", async () => {
    const s = await start([]);
    const profile = profileFor(provider, model, s);
    await s.close();
    server = undefined;
    const events = await collect(profile, request(model), undefined, { ...SETTINGS, providerMaxRetries: 0 });
    const last = events.at(-1);
    expect(last?.type === "error" && last.error.kind).toBe("network");
    expect(last?.type === "error" && last.error.message).toContain("running?");
  });
});
