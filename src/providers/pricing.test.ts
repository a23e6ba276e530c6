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

describe("the price table covers each provider's current models", () => {
  it.each<[string, number, number, number | undefined]>([
    // model id, input, output, cached input ($ per million)
    ["claude-opus-4-6", 5, 25, 0.5],
    ["claude-opus-4-5-20251101", 5, 25, 0.5],
    ["anthropic/claude-opus-4.6", 5, 25, 0.5],
    ["claude-opus-4-1-20250805", 15, 75, 1.5],
    ["claude-sonnet-4-6", 3, 15, 0.3],
    ["anthropic.claude-sonnet-4-5-20250929-v1:0", 3, 15, 0.3],
    ["claude-3-7-sonnet-latest", 3, 15, 0.3],
    ["claude-haiku-4-5", 1, 5, 0.1],
    ["gpt-5", 1.25, 10, 0.125],
    ["gpt-5-2025-08-07", 1.25, 10, 0.125],
    ["gpt-5.1-codex", 1.25, 10, 0.125],
    ["gpt-5-mini", 0.25, 2, 0.025],
    ["gpt-5.1-codex-mini", 0.25, 2, 0.025],
    ["gpt-5-nano", 0.05, 0.4, 0.005],
    ["gpt-5.2", 1.75, 14, 0.175],
    ["gpt-5.4", 2.5, 15, 0.25],
    ["gpt-5.4-mini", 0.75, 4.5, 0.075],
    ["gpt-5.5", 5, 30, 0.5],
    ["gpt-4.1", 2, 8, 0.5],
    ["openai/gpt-4.1-mini", 0.4, 1.6, 0.1],
    ["gpt-4o-2024-08-06", 2.5, 10, 1.25],
    ["o3", 2, 8, 0.5],
    ["o3-mini", 1.1, 4.4, 0.55],
    ["o4-mini", 1.1, 4.4, 0.275],
    ["openai/o1", 15, 60, 7.5],
    ["gemini-2.5-pro", 1.25, 10, 0.125],
    ["google/gemini-2.5-flash", 0.3, 2.5, 0.03],
    ["gemini-2.5-flash-lite", 0.1, 0.4, 0.01],
    ["gemini-3-pro-preview", 2, 12, 0.2],
    ["deepseek/deepseek-chat", 0.28, 0.42, 0.028],
    ["x-ai/grok-4", 3, 15, 0.75],
  ])("%s: $%s in, $%s out, $%s cached", (model, input, output, cacheRead) => {
    expect(lookupPrice(model)).toMatchObject({ input, output, cacheRead });
  });

  it("does not mistake an old or unknown id for a new one", () => {
    // gpt-4-1106-preview is GPT-4 Turbo, not gpt-4.1; a future gpt-5.9 is unknown, not gpt-5.
    expect(lookupPrice("gpt-4-1106-preview")).toBeUndefined();
    expect(lookupPrice("gpt-5.9")).toBeUndefined();
    expect(lookupPrice("meta-llama/llama-3.3-70b-instruct")).toBeUndefined();
  });

  it("prices Gemini and OpenAI cached input from the usage the provider reports", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 600_000 };
    // 400k × $1.25 + 600k × $0.125 + 100k × $10
    expect(costUsd(usage, profile({ provider: "gemini", model: "gemini-2.5-pro" }))).toBeCloseTo(0.5 + 0.075 + 1);
    // 400k × $1.25 + 600k × $0.125 + 100k × $10
    expect(costUsd(usage, profile({ model: "gpt-5" }))).toBeCloseTo(0.5 + 0.075 + 1);
    // Anthropic 4.6: 300k × $5 + 600k × $0.50 + 100k written × $6.25 + 100k out × $25
    const anthropic = { ...usage, cacheWriteTokens: 100_000 };
    expect(costUsd(anthropic, profile({ provider: "anthropic", model: "claude-opus-4-6" }))).toBeCloseTo(
      1.5 + 0.3 + 0.625 + 2.5,
    );
  });
});
