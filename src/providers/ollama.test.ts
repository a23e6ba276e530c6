import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../../test/support/scripted-server.js";
import type { Profile } from "../config/types.js";
import { DEFAULT_SETTINGS } from "../config/types.js";
import type { Message, ModelRequest, ProviderEvent, ToolSchema } from "../core/types.js";
import { createModelClient, type ProviderClient } from "./index.js";
import { contextLengthOf } from "./ollama.js";

const MODEL = "qwen3:14b";
const TOOLS: ToolSchema[] = [
  { name: "read_file", description: "Read", parameters: { type: "object", properties: { path: { type: "string" } } } },
];

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  script: ScriptedTurn[],
  over: Partial<Profile> = {},
  contextLength = 40_960,
): Promise<{ client: ProviderClient; s: ScriptedServer }> {
  server = await startScriptedServer({ script, ollamaModels: [{ name: MODEL, contextLength }] });
  const profile: Profile = {
    name: "local",
    provider: "ollama",
    endpoint: server.url,
    model: MODEL,
    contextTokens: 32_000,
    source: "ollama",
    ...over,
  };
  return { client: createModelClient(profile, DEFAULT_SETTINGS, { retryBaseDelayMs: 1 }), s: server };
}

async function collect(client: ProviderClient, req: Partial<ModelRequest> = {}): Promise<ProviderEvent[]> {
  const request: ModelRequest = {
    model: MODEL,
    system: "sys",
    messages: [{ role: "user", content: "hi" }],
    tools: TOOLS,
    ...req,
  };
  const events: ProviderEvent[] = [];
  for await (const event of client.stream(request, new AbortController().signal)) events.push(event);
  return events;
}

describe("Ollama native adapter", () => {
  it("sets num_ctx from the profile and calls /api/chat", async () => {
    const { client, s } = await setup([{ text: "ok" }]);
    await collect(client, { maxOutputTokens: 512 });
    expect(s.requests[0].path).toBe("/api/chat");
    expect(s.requests[0].body.options).toEqual({ num_ctx: 32_000, num_predict: 512 });
  });

  it("reads the real context length from /api/show once, and caps num_ctx with it", async () => {
    const { client, s } = await setup([{ text: "a" }, { text: "b" }], { contextTokens: 131_072 }, 40_960);
    expect(await client.contextWindow()).toBe(40_960);
    const info = await client.contextInfo();
    expect(info).toMatchObject({ configured: 131_072, detected: 40_960, effective: 40_960 });
    expect(info.warning).toContain("exceeds the 40960 tokens qwen3:14b supports");
    await collect(client);
    await collect(client);
    expect(s.requests.map((r) => (r.body.options as { num_ctx: number }).num_ctx)).toEqual([40_960, 40_960]);
    expect(s.allRequests.filter((r) => r.path === "/api/show")).toHaveLength(1);
  });

  it("uses the configured context when the server cannot say", async () => {
    const { client } = await setup([], { model: "unknown-model" });
    expect(await client.contextWindow()).toBeUndefined();
    expect((await client.contextInfo()).effective).toBe(32_000);
  });

  it("accepts an endpoint written with /v1 (the native API lives at the root)", async () => {
    const { client, s } = await setup([{ text: "ok" }]);
    const other = createModelClient(
      { name: "l", provider: "ollama", endpoint: `${s.url}/v1`, model: MODEL, contextTokens: 8000, source: "config" },
      DEFAULT_SETTINGS,
    );
    expect(client.label).toBe(other.label);
    const events = await collect(other);
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("mints ids for tool calls sent without one", async () => {
    const { client } = await setup([{ toolCalls: [{ name: "read_file", args: { path: "a" } }] }]);
    const calls = (await collect(client)).flatMap((e) => (e.type === "tool_call" ? [e.call] : []));
    expect(calls).toEqual([{ id: "call_1", name: "read_file", args: { path: "a" }, rawArgs: '{"path":"a"}' }]);
  });

  it("takes a tool call written inside a <think> block (Qwen3)", async () => {
    const { client } = await setup([
      {
        text: '<think>\nI should read it.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "b.ts"}}\n</tool_call>\n</think>\n\n',
      },
    ]);
    const events = await collect(client);
    expect(events.flatMap((e) => (e.type === "tool_call" ? [e.call.args] : []))).toEqual([{ path: "b.ts" }]);
    expect(events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("")).toBe("");
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "tool_use" });
  });

  it("streams `thinking` as reasoning and maps usage", async () => {
    const { client } = await setup([{ reasoning: "hmm", text: "done", usage: { input: 30, output: 4 } }]);
    const events = await collect(client);
    expect(events.flatMap((e) => (e.type === "reasoning" ? [e.delta] : [])).join("")).toBe("hmm");
    expect(events.at(-1)).toMatchObject({ type: "done", usage: { inputTokens: 30, outputTokens: 4 } });
  });

  it("sends tool results as role tool with tool_name", async () => {
    const { client, s } = await setup([{ text: "ok" }]);
    const messages: Message[] = [
      { role: "user", content: "go" },
      { role: "assistant", content: "", toolCalls: [{ id: "c", name: "read_file", args: { path: "a" }, rawArgs: "" }] },
      { role: "tool", toolCallId: "c", toolName: "read_file", content: "A" },
    ];
    await collect(client, { messages });
    expect(s.requests[0].body.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "go" },
      { role: "assistant", content: "", tool_calls: [{ function: { name: "read_file", arguments: { path: "a" } } }] },
      { role: "tool", content: "A", tool_name: "read_file" },
    ]);
  });

  it("names `ollama pull` when the model is missing", async () => {
    const { client } = await setup([
      { fault: "status", status: 404, body: { error: 'model "qwen3:14b" not found, try pulling it first' } },
    ]);
    const last = (await collect(client)).at(-1);
    expect(last?.type === "error" && last.error.kind).toBe("not_found");
    expect(last?.type === "error" && last.error.message).toContain("ollama pull qwen3:14b");
  });
});

describe("contextLengthOf", () => {
  it("reads <arch>.context_length, or any *.context_length", () => {
    expect(contextLengthOf({ model_info: { "general.architecture": "llama", "llama.context_length": 8192 } })).toBe(
      8192,
    );
    expect(contextLengthOf({ model_info: { "gemma3.context_length": 131072 } })).toBe(131072);
    expect(contextLengthOf({ model_info: {} })).toBeUndefined();
    expect(contextLengthOf(null)).toBeUndefined();
  });
});
