import { parse } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import { profileToml } from "./config-fixture.js";
import { type ScriptedServer, type ScriptedServerOptions, startScriptedServer } from "./scripted-server.js";

let server: ScriptedServer | undefined;

async function start(options: ScriptedServerOptions): Promise<ScriptedServer> {
  server = await startScriptedServer(options);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface OllamaChunk {
  model: string;
  message: {
    role: string;
    content: string;
    thinking?: string;
    tool_calls?: Array<{ id?: string; function: { name: string; arguments: unknown } }>;
  };
  done: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
}

function chat(url: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "qwen3:14b", messages: [{ role: "user", content: "hi" }], ...body }),
  });
}

async function ndjson(response: Response): Promise<OllamaChunk[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as OllamaChunk);
}

describe("scripted server: Ollama native API", () => {
  it("streams NDJSON by default: thinking, text pieces, then a done line with counts", async () => {
    const server = await start({ script: [{ reasoning: "thinking hard now", text: "Hello from a local model!" }] });
    const response = await chat(server.url, {});
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const chunks = await ndjson(response);
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.map((chunk) => chunk.message.thinking ?? "").join("")).toBe("thinking hard now");
    expect(chunks.map((chunk) => chunk.message.content).join("")).toBe("Hello from a local model!");
    const last = chunks.at(-1);
    expect(last).toMatchObject({ done: true, done_reason: "stop", model: "qwen3:14b" });
    expect(last?.prompt_eval_count).toBeGreaterThan(0);
    expect(last?.eval_count).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => !chunk.done)).toBe(true);
    expect(server.requests[0]).toMatchObject({ protocol: "ollama", path: "/api/chat", stream: true });
  });

  it("answers one object with stream: false", async () => {
    const server = await start({ script: [{ text: "whole", usage: { input: 9, output: 2 } }] });
    const response = await chat(server.url, { stream: false });
    const body = (await response.json()) as OllamaChunk;
    expect(body).toMatchObject({
      message: { role: "assistant", content: "whole" },
      done: true,
      done_reason: "stop",
      prompt_eval_count: 9,
      eval_count: 2,
    });
    expect(server.requests[0].stream).toBe(false);
  });

  it("sends tool calls whole, with object arguments, in one chunk", async () => {
    const args = { path: "a.ts", limit: 5 };
    const server = await start({
      script: [
        {
          toolCalls: [
            { name: "read_file", args },
            { id: "call_7", name: "grep", args: { pattern: "x" } },
          ],
        },
      ],
    });
    const chunks = await ndjson(await chat(server.url, {}));
    const withCalls = chunks.filter((chunk) => chunk.message.tool_calls !== undefined);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0].message.tool_calls).toEqual([
      { function: { index: 0, name: "read_file", arguments: args } },
      { id: "call_7", function: { index: 1, name: "grep", arguments: { pattern: "x" } } },
    ]);
  });

  it("answers status faults with an {error} body and can drop a stream", async () => {
    const server = await start({
      script: [
        { fault: "status", status: 503 },
        { fault: "drop", afterChunks: 2 },
      ],
    });
    const failed = await chat(server.url, {});
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ error: expect.any(String) });
    const dropped = await chat(server.url, {});
    await expect(dropped.text()).rejects.toThrow();
  });

  it("serves tags, show and version from ollamaModels", async () => {
    const server = await start({ ollamaModels: [{ name: "qwen3:14b", contextLength: 8192 }, { name: "llama3.1:8b" }] });
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((model) => model.name)).toEqual(["qwen3:14b", "llama3.1:8b"]);
    const show = async (model: string): Promise<Response> =>
      fetch(`${server.url}/api/show`, { method: "POST", body: JSON.stringify({ model }) });
    const qwen = (await (await show("qwen3:14b")).json()) as { model_info: Record<string, unknown> };
    expect(qwen.model_info).toMatchObject({ "general.architecture": "qwen3", "qwen3.context_length": 8192 });
    const llama = (await (await show("llama3.1:8b")).json()) as { model_info: Record<string, unknown> };
    expect(llama.model_info["llama3.context_length"]).toBe(40_960);
    expect((await show("missing:1b")).status).toBe(404);
    const version = (await (await fetch(`${server.url}/api/version`)).json()) as { version: string };
    expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(server.requests).toHaveLength(0);
    expect(server.allRequests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /api/tags",
      "POST /api/show",
      "POST /api/show",
      "POST /api/show",
      "GET /api/version",
    ]);
  });
});

describe("profileToml", () => {
  it("writes a profile block that parses as TOML", () => {
    const text = profileToml("local", { provider: "ollama", endpoint: "http://127.0.0.1:1234", contextTokens: 8192 });
    expect(parse(text)).toEqual({
      profiles: {
        local: {
          provider: "ollama",
          endpoint: "http://127.0.0.1:1234",
          model: "qwen3:14b",
          api_key: "test-key",
          context_tokens: 8192,
        },
      },
    });
    const quoted = parse(profileToml("my.profile", { provider: "openai", endpoint: "http://x/v1", model: "m" }));
    expect(quoted).toMatchObject({ profiles: { "my.profile": { model: "m" } } });
  });
});
