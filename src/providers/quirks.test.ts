import { describe, expect, it } from "vitest";
import type { Profile } from "../config/types.js";
import { DEFAULT_QUIRKS, detectQuirks, isLocalEndpoint } from "./quirks.js";
import { baseUrlFor, protocolOf } from "./vendors.js";

function profile(over: Partial<Profile>): Profile {
  return { name: "t", provider: "openai", endpoint: "", model: "m", contextTokens: 32_000, source: "config", ...over };
}

describe("detectQuirks", () => {
  it("gives unknown servers the defaults", () => {
    expect(detectQuirks(profile({ endpoint: "https://llm.example.com/v1" }))).toEqual(DEFAULT_QUIRKS);
  });

  it("sends strict and max_completion_tokens to api.openai.com", () => {
    const q = detectQuirks(profile({ endpoint: "https://api.openai.com/v1", model: "gpt-4.1" }));
    expect(q).toMatchObject({ sendStrict: true, maxTokensField: "max_completion_tokens", developerRole: false });
  });

  it.each(["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1", "openai/gpt-5"])(
    "treats %s as a reasoning model (developer role, max_completion_tokens)",
    (model) => {
      const q = detectQuirks(profile({ endpoint: "https://api.openai.com/v1", model }));
      expect(q).toMatchObject({ developerRole: true, maxTokensField: "max_completion_tokens" });
    },
  );

  it("does not treat gpt-4o as a reasoning model", () => {
    expect(detectQuirks(profile({ endpoint: "https://api.openai.com/v1", model: "gpt-4o" })).developerRole).toBe(false);
  });

  it.each(["http://localhost:8000/v1", "http://127.0.0.1:8080/v1", "http://localhost:1234/v1"])(
    "sends no strict and max_tokens to local server %s",
    (endpoint) => {
      expect(detectQuirks(profile({ endpoint, model: "gpt-5" }))).toMatchObject({
        sendStrict: false,
        maxTokensField: "max_tokens",
        developerRole: false,
      });
    },
  );

  it("does not stream tool calls through Ollama's /v1 endpoint", () => {
    expect(detectQuirks(profile({ endpoint: "http://localhost:11434/v1" })).streamToolCalls).toBe(false);
  });

  it("streams Ollama's native API, whose streamed replies keep their tool calls", () => {
    const native = profile({ provider: "ollama", endpoint: "http://localhost:11434", model: "qwen3:14b" });
    expect(detectQuirks(native).streamToolCalls).toBe(true);
  });

  it("sends no strict to Gemini (by provider or by host)", () => {
    expect(detectQuirks(profile({ provider: "gemini", model: "gemini-2.5-flash" })).sendStrict).toBe(false);
    const byHost = profile({ endpoint: "https://generativelanguage.googleapis.com/v1beta/openai/" });
    expect(detectQuirks(byHost).sendStrict).toBe(false);
  });

  it("lets the profile override what was detected", () => {
    const q = detectQuirks(
      profile({ endpoint: "https://api.openai.com/v1", quirks: { sendStrict: false, streamToolCalls: false } }),
    );
    expect(q).toMatchObject({ sendStrict: false, streamToolCalls: false, maxTokensField: "max_completion_tokens" });
  });
});

describe("endpoints", () => {
  it("recognises local endpoints", () => {
    expect(isLocalEndpoint("http://localhost:11434")).toBe(true);
    expect(isLocalEndpoint("http://127.0.0.1:9999/v1")).toBe(true);
    expect(isLocalEndpoint("https://api.openai.com/v1")).toBe(false);
    expect(isLocalEndpoint("not a url")).toBe(false);
  });

  it("maps provider kinds to wire protocols", () => {
    expect(["openai", "openrouter", "gemini"].map((p) => protocolOf(p as Profile["provider"]))).toEqual([
      "openai",
      "openai",
      "openai",
    ]);
    expect(protocolOf("anthropic")).toBe("anthropic");
    expect(protocolOf("ollama")).toBe("ollama");
  });

  it("normalises base URLs per protocol", () => {
    expect(baseUrlFor(profile({ provider: "anthropic", endpoint: "https://api.anthropic.com/v1/" }))).toBe(
      "https://api.anthropic.com",
    );
    expect(baseUrlFor(profile({ provider: "anthropic", endpoint: "" }))).toBe("https://api.anthropic.com");
    expect(baseUrlFor(profile({ provider: "ollama", endpoint: "http://localhost:11434/v1" }))).toBe(
      "http://localhost:11434",
    );
    expect(baseUrlFor(profile({ provider: "ollama", endpoint: "http://box:11434/api/" }))).toBe("http://box:11434");
    // OpenAI-compatible endpoints are used as given: no /v1 is added.
    expect(baseUrlFor(profile({ endpoint: "http://localhost:8080" }))).toBe("http://localhost:8080");
    expect(baseUrlFor(profile({ provider: "openrouter", endpoint: "" }))).toBe("https://openrouter.ai/api/v1");
    expect(baseUrlFor(profile({ provider: "gemini", endpoint: "" }))).toBe(
      "https://generativelanguage.googleapis.com/v1beta/openai",
    );
  });
});
