import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { detectOllama, ollamaBaseUrl, ollamaProfile, preferredOllamaModel } from "./ollama-detect.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** A real HTTP server on 127.0.0.1; `handler` null means it accepts and never answers. */
async function serve(handler: ((path: string) => { status: number; body: string }) | null): Promise<string> {
  const server = createServer((req, res) => {
    if (!handler) return; // hang
    const { status, body } = handler(req.url ?? "");
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: bind one, note it, close it. */
async function refusedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

const TAGS = JSON.stringify({ models: [{ name: "llama3.2:3b" }, { name: "qwen3:14b" }, { name: "nomic-embed-text" }] });

describe("detectOllama", () => {
  it("lists the models a server reports at /api/tags", async () => {
    const seen: string[] = [];
    const baseUrl = await serve((path) => {
      seen.push(path);
      return path === "/api/tags" ? { status: 200, body: TAGS } : { status: 404, body: "{}" };
    });
    const found = await detectOllama({ baseUrl: `${baseUrl}/`, timeoutMs: 2000 });
    expect(found).toEqual({ baseUrl, models: ["llama3.2:3b", "qwen3:14b", "nomic-embed-text"] });
    expect(seen).toEqual(["/api/tags"]);
  });

  it("finds the server through OLLAMA_HOST given as host:port", async () => {
    const baseUrl = await serve(() => ({ status: 200, body: JSON.stringify({ models: [] }) }));
    const found = await detectOllama({ env: { OLLAMA_HOST: baseUrl.replace("http://", "") }, timeoutMs: 2000 });
    expect(found).toEqual({ baseUrl, models: [] });
  });

  it("returns null quickly for a refused port", async () => {
    const started = Date.now();
    expect(await detectOllama({ baseUrl: await refusedPort(), timeoutMs: 2000 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("returns null within the timeout for a server that never answers", async () => {
    const baseUrl = await serve(null);
    const started = Date.now();
    expect(await detectOllama({ baseUrl, timeoutMs: 200 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("returns null for an error status or a body that is not Ollama's", async () => {
    const failing = await serve(() => ({ status: 500, body: "{}" }));
    expect(await detectOllama({ baseUrl: failing, timeoutMs: 2000 })).toBeNull();
    const other = await serve(() => ({ status: 200, body: "<html>not ollama</html>" }));
    expect(await detectOllama({ baseUrl: other, timeoutMs: 2000 })).toBeNull();
  });

  it("never throws, even when fetch itself does", async () => {
    const fetch = (() => {
      throw new Error("boom");
    }) as unknown as typeof globalThis.fetch;
    expect(await detectOllama({ baseUrl: "http://x", fetch })).toBeNull();
  });
});

describe("ollama helpers", () => {
  it("reads OLLAMA_HOST like the ollama CLI", () => {
    expect(ollamaBaseUrl(undefined)).toBe("http://127.0.0.1:11434");
    expect(ollamaBaseUrl("")).toBe("http://127.0.0.1:11434");
    expect(ollamaBaseUrl("gpu-box")).toBe("http://gpu-box:11434");
    expect(ollamaBaseUrl("gpu-box:9000")).toBe("http://gpu-box:9000");
    expect(ollamaBaseUrl("0.0.0.0")).toBe("http://127.0.0.1:11434");
    expect(ollamaBaseUrl("https://ollama.example.com/")).toBe("https://ollama.example.com");
  });

  it("prefers coding models, else the first", () => {
    expect(preferredOllamaModel(["llama3.2:3b", "qwen2.5-coder:7b", "qwen3:14b"])).toBe("qwen2.5-coder:7b");
    expect(preferredOllamaModel(["llama3.2:3b", "qwen3:14b"])).toBe("qwen3:14b");
    expect(preferredOllamaModel(["llama3.2:3b", "mistral"])).toBe("llama3.2:3b");
    expect(preferredOllamaModel([])).toBeUndefined();
  });

  it("turns a detected server into the profile named local", () => {
    expect(ollamaProfile({ baseUrl: "http://127.0.0.1:11434", models: ["llama3.2:3b", "qwen3:14b"] })).toEqual({
      name: "local",
      provider: "ollama",
      endpoint: "http://127.0.0.1:11434",
      model: "qwen3:14b",
      contextTokens: 32_768,
      source: "ollama",
    });
    expect(ollamaProfile({ baseUrl: "http://x", models: [] })).toBeUndefined();
  });
});
