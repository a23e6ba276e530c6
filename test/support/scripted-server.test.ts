import OpenAI, { APIConnectionError, APIError } from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, type ScriptedServerOptions, startScriptedServer } from "./scripted-server.js";

let server: ScriptedServer | undefined;

async function start(options: ScriptedServerOptions): Promise<{ server: ScriptedServer; client: OpenAI }> {
  server = await startScriptedServer(options);
  const client = new OpenAI({ baseURL: server.openaiBaseUrl, apiKey: "test-key", maxRetries: 0 });
  return { server, client };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: { name: "read_file", parameters: { type: "object", properties: { path: { type: "string" } } } },
  },
];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe("scripted server: OpenAI Chat Completions", () => {
  it("answers a non-streaming call and records it", async () => {
    const { server, client } = await start({ script: [{ text: "Hello there", usage: { input: 12, output: 3 } }] });
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0].message.content).toBe("Hello there");
    expect(completion.choices[0].finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    expect(completion.model).toBe("gpt-test");
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ protocol: "openai", method: "POST", path: "/v1/chat/completions", stream: false });
    expect(request.body.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(request.headers.authorization).toBe("Bearer test-key");
    expect(server.remaining()).toBe(0);
  });

  it("streams text in several deltas, then a usage chunk when asked", async () => {
    const text = "The quick brown fox jumps over the lazy dog.";
    const { client } = await start({ script: [{ text }] });
    const chunks = await collect(
      await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "go" }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const pieces = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ""));
    expect(pieces.filter((piece) => piece !== "").length).toBeGreaterThan(3);
    expect(pieces.join("")).toBe(text);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(last?.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it("splits tool-call arguments across deltas and the SDK assembles them", async () => {
    const args = { path: "src/some/long/path/to/a/file.ts", offset: 10, limit: 200 };
    const { client } = await start({ script: [{ toolCalls: [{ name: "read_file", args }] }, { text: "done" }] });
    const raw = await collect(
      await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "read" }], stream: true }),
    );
    const fragments = raw.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(fragments.length).toBeGreaterThan(3);
    expect(fragments[0]).toMatchObject({ index: 0, id: "call_0_0", type: "function", function: { name: "read_file" } });
    expect(fragments[1]).not.toHaveProperty("id");
    expect(raw.at(-1)?.choices[0].finish_reason).toBe("tool_calls");

    const stream = client.chat.completions.stream({
      model: "m",
      messages: [{ role: "user", content: "read" }],
      tools: TOOLS,
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).toBe("done");
  });

  it("assembles a streamed tool call through the SDK's stream helper", async () => {
    const args = { path: "a.ts", note: "x".repeat(40) };
    const { client } = await start({
      script: [{ text: "Reading.", toolCalls: [{ id: "call_abc", name: "read_file", args }] }],
    });
    const final = await client.chat.completions
      .stream({ model: "m", messages: [{ role: "user", content: "read" }], tools: TOOLS })
      .finalChatCompletion();
    const call = final.choices[0].message.tool_calls?.[0];
    expect(call?.type === "function" && call.function).toEqual({ name: "read_file", arguments: JSON.stringify(args) });
    expect(call?.id).toBe("call_abc");
    expect(final.choices[0].message.content).toBe("Reading.");
    expect(final.choices[0].finish_reason).toBe("tool_calls");
  });

  it("sends a malformed arguments string verbatim, streaming and not", async () => {
    const bad = '{"path": "a.ts", "limit": 5';
    const turn = { toolCalls: [{ name: "read_file", args: bad }] };
    const { client } = await start({ script: [turn, turn] });
    const raw = await collect(
      await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }], stream: true }),
    );
    const joined = raw
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .map((fragment) => fragment.function?.arguments ?? "")
      .join("");
    expect(joined).toBe(bad);
    const whole = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    const call = whole.choices[0].message.tool_calls?.[0];
    expect(call?.type === "function" && call.function.arguments).toBe(bad);
  });

  it("streams reasoning as reasoning_content deltas", async () => {
    const { client } = await start({ script: [{ reasoning: "Let me think about this carefully.", text: "42" }] });
    const raw = await collect(
      await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "?" }], stream: true }),
    );
    const reasoning = raw
      .map((chunk) => (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? "")
      .join("");
    expect(reasoning).toBe("Let me think about this carefully.");
  });

  it("answers 429 with retry-after as an APIError, then the next turn", async () => {
    const { server, client } = await start({
      script: [{ fault: "status", status: 429, retryAfterSeconds: 7 }, { text: "ok" }],
    });
    const error = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get("retry-after")).toBe("7");
    expect(apiError.code).toBe("rate_limit_exceeded");
    const retry = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(retry.choices[0].message.content).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("lets a status fault carry a custom body", async () => {
    const { client } = await start({
      script: [{ fault: "status", status: 400, body: { error: { message: "context too long", code: "ctx" } } }],
    });
    const error = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain("context too long");
  });

  it("sends a raw fault verbatim: an HTML error page, or a stream the client cannot parse", async () => {
    const { server } = await start({
      script: [
        { fault: "raw", status: 502, contentType: "text/html", body: "<html>bad gateway</html>" },
        { fault: "raw", body: "data: {not json\n\n" },
      ],
    });
    const post = () =>
      fetch(`${server.openaiBaseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [], stream: true }),
      });
    const page = await post();
    expect(page.status).toBe(502);
    expect(page.headers.get("content-type")).toBe("text/html");
    expect(await page.text()).toBe("<html>bad gateway</html>");
    const stream = await post();
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expect(await stream.text()).toBe("data: {not json\n\n");
  });

  it("stalls a stream until the client gives up, and close() still returns promptly", async () => {
    const { server, client } = await start({ script: [{ fault: "stall", afterChunks: 2 }, { fault: "stall" }] });
    const seen: ChatCompletionChunk[] = [];
    const started = Date.now();
    const streamed = (async () => {
      const stream = await client.chat.completions.create(
        { model: "m", messages: [{ role: "user", content: "x" }], stream: true },
        { signal: AbortSignal.timeout(300) },
      );
      for await (const chunk of stream) seen.push(chunk);
    })();
    // The SDK ends iteration quietly when its own signal aborts; the stall shows as an
    // early end after the timeout, with no finish_reason ever seen.
    await streamed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(seen).toHaveLength(2);
    expect(seen.every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(true);

    // A non-streaming stall never answers; leave it hanging and close the server under it.
    const hanging = client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    await waitFor(() => server.requests.length === 2);
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(await hanging).toBeInstanceOf(APIConnectionError);
  });

  it("drops the connection: a connection error, streaming or not", async () => {
    const { client } = await start({
      script: [{ fault: "drop" }, { fault: "drop", afterChunks: 3 }, { text: "alive" }],
    });
    const error = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);

    const seen: ChatCompletionChunk[] = [];
    const streamed = (async () => {
      const stream = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "x" }],
        stream: true,
      });
      for await (const chunk of stream) seen.push(chunk);
    })();
    await expect(streamed).rejects.toThrow();
    expect(seen).toHaveLength(3);
    const after = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(after.choices[0].message.content).toBe("alive");
  });

  it("survives a client aborting during a delay, leaving no timers for close()", async () => {
    const { server, client } = await start({ script: [{ text: "late", delayMs: 10_000 }, { text: "fast" }] });
    await expect(
      client.chat.completions.create(
        { model: "m", messages: [{ role: "user", content: "x" }] },
        { signal: AbortSignal.timeout(100) },
      ),
    ).rejects.toThrow();
    const next = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(next.choices[0].message.content).toBe("fast");
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it("delays the start of an answer by delayMs", async () => {
    const { client } = await start({ script: [{ text: "slow", delayMs: 200 }] });
    const started = Date.now();
    await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe("scripted server: script, policy and discovery", () => {
  it("gives a policy each request and its index", async () => {
    const seen: Array<{ index: number; content: unknown }> = [];
    const { server, client } = await start({
      script: [{ text: "never used" }],
      policy: async (request, index) => {
        const messages = request.body.messages as Array<{ content: unknown }>;
        seen.push({ index, content: messages[0].content });
        return { text: `answer ${index}` };
      },
    });
    const first = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "one" }] });
    const second = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "two" }] });
    expect(first.choices[0].message.content).toBe("answer 0");
    expect(second.choices[0].message.content).toBe("answer 1");
    expect(seen).toEqual([
      { index: 0, content: "one" },
      { index: 1, content: "two" },
    ]);
    expect(server.remaining()).toBe(1);
  });

  it("turns a throwing policy into a 500", async () => {
    const { client } = await start({
      policy: () => {
        throw new Error("no answer for this");
      },
    });
    const error = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).message).toContain("no answer for this");
  });

  it("answers 500 once the script is exhausted, or the fallback text when given", async () => {
    const { client } = await start({ script: [{ text: "only" }] });
    await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
    const error = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).message).toContain("script exhausted");
    await server?.close();

    const fallback = await start({ fallbackText: "nothing more" });
    const answer = await fallback.client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
    });
    expect(answer.choices[0].message.content).toBe("nothing more");
  });

  it("lists models and records discovery requests apart from model calls", async () => {
    const { server, client } = await start({ ollamaModels: [{ name: "llama3.1:8b" }] });
    const list = await client.models.list();
    expect(list.data.map((model) => model.id)).toEqual(["llama3.1:8b"]);
    expect(server.requests).toHaveLength(0);
    expect(server.allRequests.map((request) => request.path)).toEqual(["/v1/models"]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
