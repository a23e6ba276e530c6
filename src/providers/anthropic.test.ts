import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../../test/support/scripted-server.js";
import type { Profile } from "../config/types.js";
import { DEFAULT_SETTINGS } from "../config/types.js";
import type { Message, ModelRequest, ProviderEvent, ToolSchema } from "../core/types.js";
import { toAnthropicMessages } from "./anthropic.js";
import { createModelClient } from "./index.js";

const MODEL = "claude-haiku-4-5";
const TOOLS: ToolSchema[] = [
  { name: "read_file", description: "Read", parameters: { type: "object", properties: { path: { type: "string" } } } },
  { name: "bash", description: "Run", parameters: { type: "object", properties: { command: { type: "string" } } } },
];

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(
  script: ScriptedTurn[],
  endpointSuffix = "",
  req: Partial<ModelRequest> = {},
): Promise<{ events: ProviderEvent[]; body: Record<string, unknown>; headers: Record<string, string>; path: string }> {
  server = await startScriptedServer({ script });
  const profile: Profile = {
    name: "work",
    provider: "anthropic",
    endpoint: server.url + endpointSuffix,
    model: MODEL,
    apiKey: "sk-ant-test",
    contextTokens: 200_000,
    source: "config",
  };
  const client = createModelClient(profile, DEFAULT_SETTINGS, { retryBaseDelayMs: 1 });
  const request: ModelRequest = {
    model: MODEL,
    system: "You are terse.",
    messages: [{ role: "user", content: "hi" }],
    tools: TOOLS,
    ...req,
  };
  const events: ProviderEvent[] = [];
  for await (const event of client.stream(request, new AbortController().signal)) events.push(event);
  const recorded = server.requests[server.requests.length - 1];
  return { events, body: recorded.body, headers: recorded.headers, path: recorded.path };
}

describe("Anthropic request", () => {
  it("marks the system prompt and the last tool as cache breakpoints", async () => {
    const { body } = await run([{ text: "ok" }]);
    expect(body.system).toEqual([{ type: "text", text: "You are terse.", cache_control: { type: "ephemeral" } }]);
    const tools = body.tools as Array<Record<string, unknown>>;
    expect(tools.map((t) => t.cache_control)).toEqual([undefined, { type: "ephemeral" }]);
    expect(tools[0]).toMatchObject({ name: "read_file", input_schema: { type: "object" } });
  });

  it("works with an endpoint written with /v1", async () => {
    const { path, events } = await run([{ text: "ok" }], "/v1");
    expect(path).toBe("/v1/messages");
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("maps cache reads and writes; input counts the whole prompt", async () => {
    const { events } = await run([{ text: "ok", usage: { input: 50, output: 7, cacheRead: 1000, cacheWrite: 200 } }]);
    expect(events.at(-1)).toEqual({
      type: "done",
      stopReason: "end_turn",
      usage: { inputTokens: 1250, outputTokens: 7, cacheReadTokens: 1000, cacheWriteTokens: 200 },
    });
  });

  it("streams thinking blocks as reasoning", async () => {
    const { events } = await run([{ reasoning: "Consider the file.", text: "Answer." }]);
    expect(events.flatMap((e) => (e.type === "reasoning" ? [e.delta] : [])).join("")).toBe("Consider the file.");
  });

  it("maps 'prompt is too long' to context_overflow", async () => {
    const { events } = await run([
      {
        fault: "status",
        status: 400,
        body: {
          type: "error",
          error: { type: "invalid_request_error", message: "prompt is too long: 210000 tokens > 200000 maximum" },
        },
      },
    ]);
    const last = events.at(-1);
    expect(last?.type === "error" && last.error.kind).toBe("context_overflow");
    expect(last?.type === "error" && last.error.message).toContain("prompt is too long");
  });

  it("sends history with tool results merged into one user turn, with a breakpoint on the newest block", async () => {
    const messages: Message[] = [
      { role: "user", content: "look" },
      {
        role: "assistant",
        content: "Reading both.",
        toolCalls: [
          { id: "t1", name: "read_file", args: { path: "a" }, rawArgs: "" },
          { id: "t2", name: "read_file", args: { path: "b" }, rawArgs: "" },
        ],
      },
      { role: "tool", toolCallId: "t1", toolName: "read_file", content: "A" },
      { role: "tool", toolCallId: "t2", toolName: "read_file", content: "B", isError: true },
    ];
    const { body } = await run([{ text: "ok" }], "", { messages });
    const sent = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(sent[2].content).toEqual([
      { type: "tool_result", tool_use_id: "t1", content: "A" },
      { type: "tool_result", tool_use_id: "t2", content: "B", is_error: true, cache_control: { type: "ephemeral" } },
    ]);
  });
});

describe("toAnthropicMessages", () => {
  it("drops empty text, keeps tool_use input as parsed args, and merges a user note after results", () => {
    const messages: Message[] = [
      { role: "user", content: "go" },
      { role: "assistant", content: "", toolCalls: [{ id: "t", name: "bash", args: { command: "ls" }, rawArgs: "" }] },
      { role: "tool", toolCallId: "t", toolName: "bash", content: "a.ts" },
      { role: "user", content: "and now?" },
    ];
    expect(toAnthropicMessages(messages)).toEqual([
      { role: "user", content: [{ type: "text", text: "go" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "t", name: "bash", input: { command: "ls" } }] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t", content: "a.ts" },
          { type: "text", text: "and now?" },
        ],
      },
    ]);
  });

  it("puts tool results before a user note that arrived ahead of them, and drops whitespace-only text", () => {
    const messages: Message[] = [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: " \n",
        toolCalls: [
          { id: "t1", name: "bash", args: { command: "ls" }, rawArgs: "" },
          { id: "t2", name: "bash", args: { command: "pwd" }, rawArgs: "" },
        ],
      },
      { role: "user", content: "also check the tests" },
      { role: "tool", toolCallId: "t1", toolName: "bash", content: "a.ts" },
      { role: "tool", toolCallId: "t2", toolName: "bash", content: "/p" },
      { role: "user", content: "  " },
    ];
    const turns = toAnthropicMessages(messages);
    expect(turns.map((t) => t.role)).toEqual(["user", "assistant", "user"]);
    expect(turns[2].content).toEqual([
      { type: "tool_result", tool_use_id: "t1", content: "a.ts" },
      { type: "tool_result", tool_use_id: "t2", content: "/p" },
      { type: "text", text: "also check the tests" },
    ]);
  });
});
