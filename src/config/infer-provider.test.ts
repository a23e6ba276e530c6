import { describe, expect, it } from "vitest";
import { inferProvider, wireProtocol } from "./infer-provider.js";

describe("inferProvider", () => {
  it.each([
    ["https://api.anthropic.com/v1", "anthropic"],
    ["https://openrouter.ai/api/v1", "openrouter"],
    ["https://generativelanguage.googleapis.com/v1beta/openai", "gemini"],
    ["http://localhost:11434", "ollama"],
    ["http://192.168.1.5:11434/", "ollama"],
    ["http://ollama:8080", "ollama"],
    ["http://localhost:11434/v1", "openai"],
    ["https://api.openai.com/v1", "openai"],
    ["http://localhost:8000/v1", "openai"],
    ["not a url", "openai"],
  ] as const)("%s → %s", (endpoint, kind) => {
    expect(inferProvider(endpoint)).toBe(kind);
  });

  it("lets an explicit provider win", () => {
    expect(inferProvider("http://localhost:11434", "openai")).toBe("openai");
    expect(inferProvider("https://proxy.example.com", "anthropic")).toBe("anthropic");
  });

  it("maps kinds to wire protocols", () => {
    expect(wireProtocol("openrouter")).toBe("openai");
    expect(wireProtocol("gemini")).toBe("openai");
    expect(wireProtocol("openai")).toBe("openai");
    expect(wireProtocol("anthropic")).toBe("anthropic");
    expect(wireProtocol("ollama")).toBe("ollama");
  });
});
