import Anthropic, { APIConnectionError, APIError } from "@anthropic-ai/sdk";
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, type ScriptedServerOptions, startScriptedServer } from "./scripted-server.js";

let server: ScriptedServer | undefined;

async function start(options: ScriptedServerOptions): Promise<{ server: ScriptedServer; client: Anthropic }> {
  server = await startScriptedServer(options);
  const client = new Anthropic({ baseURL: server.anthropicBaseUrl, apiKey: "test-key", maxRetries: 0 });
  return { server, client };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BASE = { model: "claude-test", max_tokens: 1024, messages: [{ role: "user" as const, content: "hi" }] };
const TOOLS: Anthropic.Tool[] = [
  {
    name: "read_file",
    description: "Read a file",
    input_schema: { type: "object", properties: { path: { type: "string" } } },
  },
];

async function rawEvents(client: Anthropic): Promise<RawMessageStreamEvent[]> {
  const events: RawMessageStreamEvent[] = [];
  for await (const event of await client.messages.create({ ...BASE, stream: true })) events.push(event);
  return events;
}

describe("scripted server: Anthropic Messages", () => {
  it("answers a non-streaming call with thinking, text and tool_use blocks", async () => {
    const { server, client } = await start({
      script: [
        {
          reasoning: "plan",
          text: "Reading it.",
          toolCalls: [{ name: "read_file", args: { path: "a.ts" } }],
          usage: { input: 100, output: 20, cacheRead: 80 },
        },
      ],
    });
    const message = await client.messages.create({ ...BASE, tools: TOOLS });
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(message.content[2]).toMatchObject({ type: "tool_use", id: "toolu_scripted0_0", input: { path: "a.ts" } });
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 20,
      cache_read_input_tokens: 80,
      cache_creation_input_tokens: 0,
    });
    const [request] = server.requests;
    expect(request).toMatchObject({ protocol: "anthropic", path: "/v1/messages", stream: false });
    // SDK v1 sends apiKey as a bearer token; the raw-fetch test below covers x-api-key.
    expect(request.headers.authorization).toBe("Bearer test-key");
    expect(request.headers["anthropic-version"]).toBeDefined();
    expect(request.body.tools).toEqual(TOOLS);
  });

  it("streams text through the SDK's message stream", async () => {
    const text = "A fairly long answer that arrives in many small text deltas.";
    const { client } = await start({ script: [{ text }] });
    const deltas: string[] = [];
    const stream = client.messages.stream(BASE).on("text", (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(3);
    expect(message.content).toEqual([{ type: "text", text }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it("streams the real event sequence, ping included", async () => {
    const { server } = await start({ script: [{ reasoning: "hmm", text: "yes" }] });
    const response = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "tok", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ ...BASE, stream: true }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const body = await response.text();
    const names = [...body.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(names[0]).toBe("message_start");
    expect(names).toContain("ping");
    expect(names.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(body).toContain('"type":"thinking_delta"');
    expect(body).toContain('"type":"signature_delta"');
    expect(server.requests[0].headers["x-api-key"]).toBe("tok");
  });

  it("splits tool input into input_json_delta fragments that finalMessage assembles", async () => {
    const input = { path: "src/deep/nested/file.ts", offset: 1, limit: 400 };
    const { client } = await start({
      script: [
        { toolCalls: [{ id: "toolu_x", name: "read_file", args: input }] },
        { toolCalls: [{ name: "read_file", args: input }] },
      ],
    });
    const message = await client.messages.stream({ ...BASE, tools: TOOLS }).finalMessage();
    expect(message.content).toEqual([{ type: "tool_use", id: "toolu_x", name: "read_file", input }]);
    expect(message.stop_reason).toBe("tool_use");

    const events = await rawEvents(client);
    const fragments = events.flatMap((event) =>
      event.type === "content_block_delta" && event.delta.type === "input_json_delta" ? [event.delta.partial_json] : [],
    );
    expect(fragments.length).toBeGreaterThan(3);
    expect(fragments.join("")).toBe(JSON.stringify(input));
  });

  it("sends a malformed input string verbatim when streaming, {} when not", async () => {
    const bad = '{"path": "a.ts", "limit":';
    const turn = { toolCalls: [{ name: "read_file", args: bad }] };
    const { client } = await start({ script: [turn, turn] });
    const events = await rawEvents(client);
    const joined = events
      .flatMap((event) =>
        event.type === "content_block_delta" && event.delta.type === "input_json_delta"
          ? [event.delta.partial_json]
          : [],
      )
      .join("");
    expect(joined).toBe(bad);
    const message = await client.messages.create(BASE);
    expect(message.content[0]).toMatchObject({ type: "tool_use", input: {} });
  });

  it("answers 429 with retry-after as an APIError with the rate_limit_error body", async () => {
    const { client } = await start({ script: [{ fault: "status", status: 429, retryAfterSeconds: 3 }] });
    const error = await client.messages.create(BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get("retry-after")).toBe("3");
    expect(apiError.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("accepts an auth token as Authorization: Bearer", async () => {
    server = await startScriptedServer({ script: [{ text: "ok" }] });
    const client = new Anthropic({ baseURL: server.anthropicBaseUrl, authToken: "bearer-key", maxRetries: 0 });
    const message = await client.messages.create(BASE);
    expect(message.content).toEqual([{ type: "text", text: "ok" }]);
    expect(server.requests[0].headers.authorization).toBe("Bearer bearer-key");
  });

  it("stalls a stream until the client aborts, and drops a connection", async () => {
    const { server, client } = await start({ script: [{ fault: "stall" }, { fault: "drop", afterChunks: 2 }] });
    const events: RawMessageStreamEvent[] = [];
    const started = Date.now();
    const stalled = (async () => {
      const stream = await client.messages.create({ ...BASE, stream: true }, { signal: AbortSignal.timeout(300) });
      for await (const event of stream) events.push(event);
    })();
    await stalled.catch(() => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(events.map((event) => event.type)).toEqual(["message_start"]);

    const dropped = client.messages.stream(BASE).finalMessage();
    await expect(dropped).rejects.toThrow();
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it("drops a non-streaming call as a connection error", async () => {
    const { client } = await start({ script: [{ fault: "drop" }] });
    await expect(client.messages.create(BASE)).rejects.toBeInstanceOf(APIConnectionError);
  });
});
