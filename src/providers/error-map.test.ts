import { APIError as AnthropicAPIError } from "@anthropic-ai/sdk";
import { APIError as OpenAIAPIError } from "openai";
import { describe, expect, it } from "vitest";
import type { Profile } from "../config/types.js";
import { ProviderError } from "../core/errors.js";
import {
  displayUrl,
  ERROR_EXCERPT_CHARS,
  type ErrorContext,
  errorFromStatus,
  isContextOverflow,
  parseRetryAfter,
  toProviderError,
} from "./error-map.js";
import { backoffDelay, decideRetry, retryPolicy, sleep } from "./retry.js";

function ctx(over: Partial<Profile> = {}): ErrorContext {
  const profile: Profile = {
    name: "work",
    provider: "anthropic",
    endpoint: "https://api.anthropic.com",
    model: "claude-sonnet-4-5",
    apiKey: "sk-secret-key",
    contextTokens: 200_000,
    source: "config",
    ...over,
  };
  return { profile, baseUrl: "http://127.0.0.1:9" };
}

describe("parseRetryAfter", () => {
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfter({ "retry-after": "2" })).toBe(2000);
    expect(parseRetryAfter({ "Retry-After": "0.5" })).toBe(500);
    expect(parseRetryAfter({ "retry-after-ms": "150", "retry-after": "9" })).toBe(150);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }, now)).toBe(3000);
    expect(parseRetryAfter({ "retry-after": "Tue, 31 Dec 2024 00:00:00 GMT" }, now)).toBe(0);
    expect(parseRetryAfter(new Headers({ "retry-after": "4" }))).toBe(4000);
  });

  it("ignores missing and unreadable values", () => {
    expect(parseRetryAfter({})).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "soon" })).toBeUndefined();
  });
});

describe("errorFromStatus", () => {
  it("maps 401/403 to auth, naming the profile and env var, never the key", () => {
    for (const status of [401, 403]) {
      const err = errorFromStatus(status, "invalid x-api-key", {}, ctx());
      expect(err.kind).toBe("auth");
      expect(err.message).toContain('check api_key for profile "work" or the ANTHROPIC_API_KEY env var');
      expect(err.message).not.toContain("sk-secret-key");
      expect(err.retryable).toBe(false);
    }
    expect(errorFromStatus(401, "", {}, ctx({ provider: "openrouter" })).message).toContain("OPENROUTER_API_KEY");
  });

  it("maps 404 to not_found naming model and endpoint (ollama pull for Ollama)", () => {
    const err = errorFromStatus(404, "model not found", {}, ctx());
    expect(err.kind).toBe("not_found");
    expect(err.message).toContain('"claude-sonnet-4-5"');
    expect(err.message).toContain("http://127.0.0.1:9");
    expect(errorFromStatus(404, "", {}, ctx({ provider: "ollama", model: "qwen3:14b" })).message).toContain(
      "ollama pull qwen3:14b",
    );
  });

  it.each([
    "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.",
    "context_length_exceeded",
    "prompt is too long: 210000 tokens > 200000 maximum",
    "the request exceeds the available context size, try increasing it",
    "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
  ])("maps a 400 saying %j to context_overflow", (message) => {
    const err = errorFromStatus(400, message, {}, ctx());
    expect(err.kind).toBe("context_overflow");
    expect(err.message).toContain("context_tokens");
    expect(isContextOverflow(message)).toBe(true);
  });

  it("maps Anthropic's 'input length and max_tokens exceed context limit' to context_overflow", () => {
    const message =
      "input length and `max_tokens` exceed context limit: 197202 + 21333 > 200000, decrease input length or `max_tokens` and try again";
    expect(errorFromStatus(400, message, {}, ctx()).kind).toBe("context_overflow");
  });

  it("keeps a 429 that mentions tokens a retryable rate limit, not a context overflow", () => {
    const err = errorFromStatus(429, "Too many tokens, please wait before trying again.", {}, ctx());
    expect(err.kind).toBe("rate_limit");
    expect(err.retryable).toBe(true);
  });

  it("maps other 400s to bad_request", () => {
    expect(errorFromStatus(400, "tools[0].strict: unknown field", {}, ctx()).kind).toBe("bad_request");
  });

  it("maps 429 to rate_limit with retry-after, but an empty quota to auth", () => {
    const err = errorFromStatus(429, "slow down", { "retry-after": "3" }, ctx());
    expect(err).toMatchObject({ kind: "rate_limit", retryAfterMs: 3000, status: 429 });
    expect(err.retryable).toBe(true);
    expect(errorFromStatus(429, "You exceeded your current quota", {}, ctx()).kind).toBe("auth");
  });

  it("maps 5xx, 408 and 529 to retryable server errors", () => {
    for (const status of [500, 502, 503, 529, 408]) expect(errorFromStatus(status, "", {}, ctx()).retryable).toBe(true);
  });
});

describe("secrets in messages", () => {
  it("never repeats the API key a server echoes back", () => {
    const err = errorFromStatus(401, "Invalid API key: sk-secret-key (Bearer sk-secret-key)", {}, ctx());
    expect(err.message).not.toContain("sk-secret-key");
    expect(err.message).toContain("Invalid API key: [REDACTED]");
  });

  it("hides credential shapes it was not told about, in every kind of failure", () => {
    const github = `ghp_${"a1".repeat(18)}`;
    const status = errorFromStatus(400, `bad header x-api-key: other-key-123456 and ${github}`, {}, ctx());
    expect(status.message).not.toContain("other-key-123456");
    expect(status.message).not.toContain(github);
    const cause = Object.assign(new Error(`socket hang up, Authorization: Bearer abc123def456ghi789`), {
      code: "ECONNRESET",
    });
    const network = toProviderError(new TypeError("fetch failed", { cause }), ctx());
    expect(network.kind).toBe("network");
    expect(network.message).not.toContain("abc123def456ghi789");
    const odd = toProviderError(new Error(`weird failure quoting sk-secret-key`), ctx());
    expect(odd.message).not.toContain("sk-secret-key");
  });

  it("reports unparseable data as the server's fault without V8's quote of it, which may start a key", () => {
    const [v8] = (() => {
      try {
        JSON.parse("sk-secret-key and more");
        return [new SyntaxError("unreachable")];
      } catch (err) {
        return [err as SyntaxError];
      }
    })();
    expect(v8.message).toContain('"sk-secret');
    const err = toProviderError(v8, ctx());
    expect(err.kind).toBe("server");
    expect(err.message).toBe(
      "http://127.0.0.1:9 sent data that is not valid JSON: Unexpected token 's' is not valid JSON",
    );
    const unterminated = toProviderError(new SyntaxError("Unterminated string in JSON at position 374"), ctx());
    expect(unterminated.kind).toBe("server");
    expect(unterminated.message).toContain("not valid JSON: Unterminated string in JSON at position 374");
  });

  it("quotes at most an excerpt of a long body or raw stream data", () => {
    const html = `<html>${"<p>upstream exploded</p>".repeat(400)} Bearer sk-secret-key</html>`;
    const err = errorFromStatus(502, html, {}, ctx());
    expect(err.kind).toBe("server");
    expect(err.message).toContain("<html><p>upstream exploded</p>");
    expect(err.message).toMatch(/… \(\d+ characters in all\)/);
    expect(err.message.length).toBeLessThan(ERROR_EXCERPT_CHARS + 120);
    const raw = new SyntaxError(`Could not parse message into JSON: data: {"x": ${"z".repeat(5000)}`);
    const parsed = toProviderError(raw, ctx());
    expect(parsed.message.split("z").length - 1).toBeLessThanOrEqual(ERROR_EXCERPT_CHARS);
  });

  it("drops credentials and key query values written into the endpoint from any failure", () => {
    const c = ctx({ endpoint: "https://bob:hunter2hunter2@proxy.example/v1?key=AIzaSecretValue" });
    const fetchError = new TypeError(
      "Request cannot be constructed from a URL that includes credentials: https://bob:hunter2hunter2@proxy.example/v1?key=AIzaSecretValue",
    );
    const message = toProviderError(fetchError, c).message;
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("AIzaSecretValue");
    expect(message).toContain("https://bob:[REDACTED]@proxy.example");
    expect(displayUrl("https://bob:hunter2@proxy.example/v1?key=abc&x=1")).toBe(
      "https://proxy.example/v1?key=***&x=***",
    );
    expect(displayUrl("http://127.0.0.1:9/v1")).toBe("http://127.0.0.1:9/v1");
  });
});

describe("toProviderError: error events inside a streamed reply (no HTTP status)", () => {
  it("reads OpenRouter's numeric code, so a mid-stream context overflow is not retried as a server error", () => {
    const midStream = new OpenAIAPIError(
      undefined,
      { code: 400, message: "This endpoint's maximum context length is 8192 tokens." },
      undefined,
      new Headers(),
    );
    expect(toProviderError(midStream, ctx()).kind).toBe("context_overflow");
  });

  it("reads Anthropic's error type: overloaded is retryable, invalid_request is not", () => {
    const event = (type: string, message: string) =>
      new AnthropicAPIError(undefined, { type: "error", error: { type, message } }, undefined, new Headers());
    const overloaded = toProviderError(event("overloaded_error", "Overloaded"), ctx());
    expect(overloaded).toMatchObject({ kind: "server", status: 529 });
    expect(overloaded.message).toContain("Overloaded");
    expect(overloaded.message).not.toContain('{"type"');
    expect(toProviderError(event("invalid_request_error", "messages: bad"), ctx()).retryable).toBe(false);
  });
});

describe("toProviderError", () => {
  it("passes ProviderErrors through", () => {
    const err = new ProviderError("stall", "x");
    expect(toProviderError(err, ctx())).toBe(err);
  });

  it("reads status, headers and the server message from SDK-shaped errors", () => {
    const sdkError = Object.assign(new Error('429 {"type":"error"}'), {
      status: 429,
      headers: new Headers({ "retry-after": "1" }),
      error: { type: "error", error: { type: "rate_limit_error", message: "Number of requests exceeded" } },
    });
    const err = toProviderError(sdkError, ctx());
    expect(err).toMatchObject({ kind: "rate_limit", retryAfterMs: 1000 });
    expect(err.message).toContain("Number of requests exceeded");
  });

  it("maps ECONNREFUSED anywhere in the cause chain to network, asking if the server runs", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const err = toProviderError(new TypeError("fetch failed", { cause }), ctx());
    expect(err.kind).toBe("network");
    expect(err.message).toContain("Is the server at http://127.0.0.1:9 running?");
  });

  it("maps a dropped connection to network", () => {
    const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    expect(toProviderError(new TypeError("terminated", { cause }), ctx()).kind).toBe("network");
  });
});

describe("retry policy", () => {
  const policy = retryPolicy({ providerMaxRetries: 3 }, { retryBaseDelayMs: 500, random: () => 1 });

  it("backs off exponentially up to the cap, with jitter between half and all of the step", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(10, policy)).toBe(20_000);
    expect(backoffDelay(1, { ...policy, random: () => 0 })).toBe(250);
  });

  it("retries retryable errors up to the limit, honouring retry-after", () => {
    const rate = new ProviderError("rate_limit", "x", { retryAfterMs: 1200 });
    expect(decideRetry(rate, 1, policy)).toEqual({ retry: true, delayMs: 1200 });
    expect(decideRetry(rate, 4, policy).retry).toBe(false);
    expect(decideRetry(new ProviderError("auth", "x"), 1, policy).retry).toBe(false);
    expect(decideRetry(new ProviderError("aborted", "x"), 1, policy).retry).toBe(false);
  });

  it("gives up when the server asks for a longer wait than we accept", () => {
    const decision = decideRetry(new ProviderError("rate_limit", "429", { retryAfterMs: 3_600_000 }), 1, policy);
    expect(decision.retry).toBe(false);
    if (!decision.retry) expect(decision.error.message).toContain("3600s");
  });

  it("reads defaults from settings", () => {
    expect(retryPolicy({})).toMatchObject({
      maxRetries: 3,
      stallTimeoutMs: 60_000,
      baseDelayMs: 500,
      maxDelayMs: 20_000,
    });
  });

  it("sleeps until the signal aborts", async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    expect(await pending).toBe(false);
    expect(await sleep(1, new AbortController().signal)).toBe(true);
  });
});
