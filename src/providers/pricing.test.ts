import { describe, expect, it } from "vitest";
import type { Profile } from "../config/types.js";
import { costUsd, lookupPrice } from "./pricing.js";

function profile(over: Partial<Profile>): Profile {
  return { name: "t", provider: "openai", endpoint: "", model: "m", contextTokens: 32_000, source: "config", ...over };
}

const MILLION = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe("costUsd", () => {
  it("uses the profile's prices first", () => {
    expect(costUsd(MILLION, profile({ costPerMtokInput: 1, costPerMtokOutput: 2 }))).toBeCloseTo(3);
  });

  it("prices well-known models from the table", () => {
    expect(costUsd(MILLION, profile({ provider: "anthropic", model: "claude-sonnet-4-5" }))).toBeCloseTo(18);
    expect(costUsd(MILLION, profile({ provider: "anthropic", model: "claude-3-5-haiku-latest" }))).toBeCloseTo(4.8);
    expect(costUsd(MILLION, profile({ provider: "anthropic", model: "claude-opus-4-1" }))).toBeCloseTo(90);
    expect(costUsd(MILLION, profile({ model: "gpt-4o-mini" }))).toBeCloseTo(0.75);
    expect(costUsd(MILLION, profile({ model: "gpt-4.1" }))).toBeCloseTo(10);
    expect(costUsd(MILLION, profile({ model: "gpt-5-mini" }))).toBeCloseTo(2.25);
    expect(costUsd(MILLION, profile({ provider: "openrouter", model: "anthropic/claude-sonnet-4" }))).toBeCloseTo(18);
  });

  it("prices Anthropic cache reads at 0.1× and writes at 1.25× of input", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 800_000, cacheWriteTokens: 100_000 };
    // 100k uncached × $3 + 800k × $0.30 + 100k × $3.75
    expect(costUsd(usage, profile({ provider: "anthropic", model: "claude-sonnet-4-5" }))).toBeCloseTo(
      0.3 + 0.24 + 0.375,
    );
  });

  it("prices OpenAI cached input at the vendor discount", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 };
    expect(costUsd(usage, profile({ model: "gpt-4o" }))).toBeCloseTo(1.25);
  });

  it("keeps the vendor's cache discount with configured prices for a known model", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 };
    expect(
      costUsd(usage, profile({ provider: "anthropic", model: "claude-sonnet-4", costPerMtokInput: 2 })),
    ).toBeCloseTo(0.2);
  });

  it("charges nothing for Ollama and local servers", () => {
    expect(costUsd(MILLION, profile({ provider: "ollama", model: "qwen3:14b" }))).toBe(0);
    expect(costUsd(MILLION, profile({ endpoint: "http://127.0.0.1:8000/v1", model: "Qwen/Qwen3-32B" }))).toBe(0);
  });

  it("returns null when the price is unknown", () => {
    expect(costUsd(MILLION, profile({ endpoint: "https://api.together.xyz/v1", model: "mystery-7b" }))).toBeNull();
  });

  it("finds the most specific row first", () => {
    expect(lookupPrice("gpt-4o-mini-2024-07-18")?.input).toBe(0.15);
    expect(lookupPrice("gpt-4.1-nano")?.input).toBe(0.1);
    expect(lookupPrice("claude-haiku-4-5")?.input).toBe(1);
    expect(lookupPrice("claude-opus-4-5")?.input).toBe(5);
  });
});
