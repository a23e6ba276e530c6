import { describe, expect, it } from "vitest";
import { envProfiles } from "./env.js";

describe("envProfiles", () => {
  it("makes nothing from an empty environment or empty keys", () => {
    expect(envProfiles({})).toEqual([]);
    expect(envProfiles({ ANTHROPIC_API_KEY: "", OPENAI_API_KEY: "  " })).toEqual([]);
  });

  it("makes one profile per key, in preference order anthropic, openai, openrouter, gemini", () => {
    const profiles = envProfiles({
      GEMINI_API_KEY: "g",
      OPENROUTER_API_KEY: "r",
      OPENAI_API_KEY: "o",
      ANTHROPIC_API_KEY: "a",
    });
    expect(profiles.map((p) => p.name)).toEqual(["anthropic", "openai", "openrouter", "gemini"]);
    expect(profiles.every((p) => p.source === "env")).toBe(true);
    expect(profiles[0]).toMatchObject({
      provider: "anthropic",
      endpoint: "https://api.anthropic.com/v1",
      apiKey: "a",
      apiKeyEnv: "ANTHROPIC_API_KEY",
      contextTokens: 200_000,
    });
    expect(profiles[0].model).toMatch(/^claude-sonnet-/);
    expect(profiles[1]).toMatchObject({ provider: "openai", endpoint: "https://api.openai.com/v1", apiKey: "o" });
    expect(profiles[2]).toMatchObject({ provider: "openrouter", endpoint: "https://openrouter.ai/api/v1" });
    expect(profiles[3]).toMatchObject({
      provider: "gemini",
      endpoint: "https://generativelanguage.googleapis.com/v1beta/openai",
      model: "gemini-2.5-flash",
      contextTokens: 1_000_000,
    });
  });

  it("honours OPENAI_BASE_URL and keeps the OpenAI protocol whatever the host", () => {
    const [openai] = envProfiles({ OPENAI_API_KEY: "o", OPENAI_BASE_URL: "http://localhost:11434/v1" });
    expect(openai).toMatchObject({ provider: "openai", endpoint: "http://localhost:11434/v1" });
  });
});
