import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../../test/support/scripted-server.js";
import type { Profile } from "../config/types.js";
import { DEFAULT_SETTINGS } from "../config/types.js";
import type { Message, ModelRequest, ProviderEvent } from "../core/types.js";
import { createModelClient } from "./index.js";
import { ToolCallAssembler, toOpenAIMessages } from "./openai-compatible.js";
import { DEFAULT_QUIRKS } from "./quirks.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(
  script: ScriptedTurn[],
  over: Partial<Profile> = {},
  req: Partial<ModelRequest> = {},
): Promise<{ events: ProviderEvent[]; body: Record<string, unknown>; headers: Record<string, string> }> {
  server = await startScriptedServer({ script });
  const profile: Profile = {
    name: "t",
    provider: "openai",
    endpoint: server.openaiBaseUrl,
    model: "m",
    apiKey: "sk-test",
    contextTokens: 32_000,
    source: "config",
    ...over,
  };
  const client = createModelClient(profile, DEFAULT_SETTINGS, { retryBaseDelayMs: 1 });
  const request: ModelRequest = {
    model: "m",
    system: "sys",
    messages: [{ role: "user", content: "hi" }],
    tools: [],
    ...req,
  };
  const events: ProviderEvent[] = [];
  for await (const event of client.stream(request, new AbortController().signal)) events.push(event);
  const recorded = server.requests[server.requests.length - 1];
  return { events, body: recorded.body, headers: recorded.headers };
}

const TOOL = { name: "bash", description: "Run", parameters: { type: "object" as const, properties: {} } };

describe("OpenAI-compatible request", () => {
  it("asks for usage in the stream and maps cached tokens", async () => {
    const { events, body } = await run([{ text: "ok", usage: { input: 100, output: 5, cacheRead: 60 } }]);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(events.at(-1)).toEqual({
      type: "done",
      stopReason: "end_turn",
      usage: { inputTokens: 100, outputTokens: 5, cacheReadTokens: 60, cacheWriteTokens: 0 },
    });
  });

  it("sends max_tokens for a model whose output limit is known, and the profile's own cap over it", async () => {
    const known = await run([{ text: "ok" }], { model: "gpt-4o-mini" }, { model: "gpt-4o-mini" });
    expect(known.body.max_tokens).toBe(16_384);
    await server?.close();
    const unknown = await run([{ text: "ok" }], { model: "my-local-model" }, { model: "my-local-model" });
    expect(unknown.body).not.toHaveProperty("max_tokens");
    await server?.close();
    const own = await run([{ text: "ok" }], { model: "gpt-4o-mini", maxOutputTokens: 2_000 }, { model: "gpt-4o-mini" });
    expect(own.body.max_tokens).toBe(2_000);
  });

  it("leaves stream_options out when the server does not take it", async () => {
    const { body } = await run([{ text: "ok" }], { quirks: { streamUsage: false } });
    expect(body.stream_options).toBeUndefined();
  });

  it("sends the key as a bearer token and the output cap in the field the quirks name", async () => {
    const local = await run([{ text: "ok" }], {}, { maxOutputTokens: 256 });
    expect(local.headers.authorization).toBe("Bearer sk-test");
    expect(local.body.max_tokens).toBe(256);
    const reasoning = await run(
      [{ text: "ok" }],
      { quirks: { maxTokensField: "max_completion_tokens" } },
      { maxOutputTokens: 256 },
    );
    expect(reasoning.body.max_completion_tokens).toBe(256);
    expect(reasoning.body.max_tokens).toBeUndefined();
  });

  it("uses the developer role and strict only when the quirks say so", async () => {
    const plain = await run([{ text: "ok" }], {}, { tools: [TOOL] });
    expect((plain.body.messages as Array<{ role: string }>)[0].role).toBe("system");
    expect(JSON.stringify(plain.body.tools)).not.toContain("strict");
    const openai = await run(
      [{ text: "ok" }],
      { quirks: { developerRole: true, sendStrict: true } },
      { tools: [TOOL] },
    );
    expect((openai.body.messages as Array<{ role: string }>)[0].role).toBe("developer");
    expect((openai.body.tools as Array<{ function: { strict?: boolean } }>)[0].function.strict).toBe(false);
  });

  it("sends OpenRouter's attribution headers", async () => {
    const { headers } = await run([{ text: "ok" }], { provider: "openrouter" });
    expect(headers["x-title"]).toBe("parecode");
    expect(headers["http-referer"]).toContain("parecode");
  });

  it("streams reasoning_content as reasoning", async () => {
    const { events } = await run([{ reasoning: "let me think", text: "done" }]);
    const reasoning = events.flatMap((e) => (e.type === "reasoning" ? [e.delta] : [])).join("");
    expect(reasoning).toBe("let me think");
  });

  it("maps a context-length 400 to context_overflow", async () => {
    const message = "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.";
    const { events } = await run([
      {
        fault: "status",
        status: 400,
        body: { error: { message, type: "invalid_request_error", code: "context_length_exceeded" } },
      },
    ]);
    const last = events.at(-1);
    expect(last?.type === "error" && last.error.kind).toBe("context_overflow");
    expect(events.some((e) => e.type === "retry")).toBe(false);
  });
});

describe("toOpenAIMessages", () => {
  it("converts history: tool calls on the assistant, results as role tool with tool_call_id", () => {
    const messages: Message[] = [
      { role: "user", content: "fix it" },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c1", name: "read_file", args: { path: "a" }, rawArgs: '{"path":"a"}' }],
      },
      { role: "tool", toolCallId: "c1", toolName: "read_file", content: "1: x" },
      { role: "assistant", content: "Done." },
    ];
    expect(toOpenAIMessages({ model: "m", system: "sys", messages, tools: [] }, DEFAULT_QUIRKS)).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "fix it" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "read_file", arguments: '{"path":"a"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "1: x" },
      { role: "assistant", content: "Done." },
    ]);
  });

  it("sends {} for a call whose arguments were unusable", () => {
    const messages: Message[] = [
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c", name: "x", args: {}, rawArgs: "{bad", argsError: "bad" }],
      },
    ];
    const [assistant] = toOpenAIMessages({ model: "m", system: "", messages, tools: [] }, DEFAULT_QUIRKS);
    expect(JSON.stringify(assistant)).toContain('"arguments":"{}"');
  });
});

describe("ToolCallAssembler", () => {
  it("starts a new call when a server reuses index 0 with a new id", () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ index: 0, id: "a", function: { name: "read_file", arguments: '{"pa' } });
    assembler.add({ index: 0, function: { arguments: 'th":"x"}' } });
    assembler.add({ index: 0, id: "b", function: { name: "bash", arguments: "{}" } });
    expect(assembler.complete()).toEqual([
      { id: "a", name: "read_file", rawArgs: '{"path":"x"}' },
      { id: "b", name: "bash", rawArgs: "{}" },
    ]);
  });

  it("does not double a name that a server repeats in every fragment", () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ index: 0, id: "a", function: { name: "bash", arguments: '{"command":' } });
    assembler.add({ index: 0, function: { name: "bash", arguments: '"ls"}' } });
    expect(assembler.complete()).toEqual([{ id: "a", name: "bash", rawArgs: '{"command":"ls"}' }]);
  });
});

describe("secrets", () => {
  it("keeps credentials written into the endpoint out of the label and the error", async () => {
    server = await startScriptedServer({ script: [{ text: "unused" }] });
    const endpoint = server.openaiBaseUrl.replace("http://", "http://bob:hunter2hunter2@");
    const profile: Profile = {
      name: "t",
      provider: "openai",
      endpoint,
      model: "m",
      apiKey: "sk-test-0123456789",
      contextTokens: 32_000,
      source: "config",
    };
    const client = createModelClient(profile, { ...DEFAULT_SETTINGS, providerMaxRetries: 0 });
    expect(client.label).not.toContain("hunter2");
    const request: ModelRequest = { model: "m", system: "", messages: [{ role: "user", content: "hi" }], tools: [] };
    const events: ProviderEvent[] = [];
    for await (const event of client.stream(request, new AbortController().signal)) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe("error");
    const text = JSON.stringify(events) + (last?.type === "error" ? last.error.message : "");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("sk-test-0123456789");
  });
});
