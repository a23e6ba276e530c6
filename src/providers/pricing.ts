/**
 * What a call cost, in USD. Profile prices win; otherwise the table of the providers'
 * current models (list prices per million tokens). Local models cost nothing; anything
 * else is unknown (null) rather than guessed.
 */
import type { Profile } from "../config/types.js";
import type { Usage } from "../core/types.js";
import { isLocalEndpoint } from "./quirks.js";

export interface ModelPrice {
  /** USD per million uncached input tokens. */
  input: number;
  output: number;
  /** USD per million input tokens read from the prompt cache. */
  cacheRead?: number;
  /** USD per million input tokens written to the prompt cache (Anthropic charges extra). */
  cacheWrite?: number;
}

interface PriceRow {
  model: RegExp;
  price: ModelPrice;
}

/**
 * List prices in USD per million tokens, standard tier, prompts under the long-context
 * threshold; as the vendors' pricing pages listed them in mid-2026 (last reviewed
 * 2026-11). Prices change: a profile's cost_per_mtok_input / cost_per_mtok_output win
 * over this table.
 *
 * Cached input: Anthropic reads 0.1× input and 5-minute cache writes 1.25× input; OpenAI
 * cached input 0.5× (gpt-4o, o1), 0.25× (gpt-4.1, o3, o4-mini) or 0.1× (gpt-5 family);
 * Gemini and DeepSeek cache hits 0.1×; xAI as listed. Others charge no cache writes.
 *
 * Names are matched lower-cased anywhere in the model id, so vendor prefixes and
 * suffixes work: OpenRouter's "anthropic/claude-sonnet-4.5", Bedrock's
 * "anthropic.claude-sonnet-4-5-20250929-v1:0", "gpt-4o-2024-08-06". Version separators
 * may be "-" or "." ("claude-opus-4.6"). The first matching row wins, so more specific
 * rows come first. An id the table does not know is unpriced (null), never guessed.
 */
const row = (model: RegExp, price: ModelPrice): PriceRow => ({ model, price });

export const PRICE_TABLE: readonly PriceRow[] = [
  // Anthropic
  row(/claude-opus-4[.-][5-9]|claude-opus-[5-9]/, { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }),
  row(/claude-opus-4|claude-4-opus|claude-3-opus/, {
    input: 15,
    output: 75,
    cacheRead: 1.5,
    cacheWrite: 18.75,
  }),
  row(/claude-haiku-4|claude-4-haiku/, { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }),
  row(/claude-3[.-]5-haiku/, { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 }),
  row(/claude-3-haiku/, { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 }),
  row(/claude-sonnet-[4-9]|claude-[4-9]-sonnet|claude-3[.-][57]-sonnet/, {
    input: 3,
    output: 15,
    cacheRead: 0.3,
    cacheWrite: 3.75,
  }),
  // OpenAI: the gpt-5 family by version, then mini and nano, then the o-series.
  row(/gpt-5([.-][245])?-pro/, { input: 30, output: 180 }),
  row(/gpt-5[.-]5(?!\d)/, { input: 5, output: 30, cacheRead: 0.5 }),
  row(/gpt-5[.-]4-nano/, { input: 0.2, output: 1.25, cacheRead: 0.02 }),
  row(/gpt-5[.-]4-mini/, { input: 0.75, output: 4.5, cacheRead: 0.075 }),
  row(/gpt-5[.-]4(?!\d)/, { input: 2.5, output: 15, cacheRead: 0.25 }),
  row(/gpt-5[.-][23](?!\d)/, { input: 1.75, output: 14, cacheRead: 0.175 }),
  row(/gpt-5([.-]1)?(-codex)?-nano/, { input: 0.05, output: 0.4, cacheRead: 0.005 }),
  row(/gpt-5([.-]1)?(-codex)?-mini/, { input: 0.25, output: 2, cacheRead: 0.025 }),
  row(/gpt-5([.-]1)?(?![.\d])/, { input: 1.25, output: 10, cacheRead: 0.125 }),
  row(/gpt-4[.-]1-nano/, { input: 0.1, output: 0.4, cacheRead: 0.025 }),
  row(/gpt-4[.-]1-mini/, { input: 0.4, output: 1.6, cacheRead: 0.1 }),
  row(/gpt-4[.-]1(?!\d)/, { input: 2, output: 8, cacheRead: 0.5 }),
  row(/gpt-4o-mini/, { input: 0.15, output: 0.6, cacheRead: 0.075 }),
  row(/gpt-4o/, { input: 2.5, output: 10, cacheRead: 1.25 }),
  row(/(^|\/)o3-pro/, { input: 20, output: 80 }),
  row(/(^|\/)o3-mini/, { input: 1.1, output: 4.4, cacheRead: 0.55 }),
  row(/(^|\/)o4-mini/, { input: 1.1, output: 4.4, cacheRead: 0.275 }),
  row(/(^|\/)o3(?![\w.-]*mini)/, { input: 2, output: 8, cacheRead: 0.5 }),
  row(/(^|\/)o1-mini/, { input: 1.1, output: 4.4, cacheRead: 0.55 }),
  row(/(^|\/)o1(?!-)/, { input: 15, output: 60, cacheRead: 7.5 }),
  // Google Gemini (prompts up to 200k tokens)
  row(/gemini-3([.-]\d)?-pro/, { input: 2, output: 12, cacheRead: 0.2 }),
  row(/gemini-3([.-]\d)?-flash/, { input: 0.5, output: 3, cacheRead: 0.05 }),
  row(/gemini-2[.-]5-pro/, { input: 1.25, output: 10, cacheRead: 0.125 }),
  row(/gemini-2[.-]5-flash-lite/, { input: 0.1, output: 0.4, cacheRead: 0.01 }),
  row(/gemini-2[.-]5-flash/, { input: 0.3, output: 2.5, cacheRead: 0.03 }),
  row(/gemini-2[.-]0-flash-lite/, { input: 0.075, output: 0.3 }),
  row(/gemini-2[.-]0-flash/, { input: 0.1, output: 0.4, cacheRead: 0.025 }),
  // DeepSeek's own API (V3.2: chat and reasoner at one price) and xAI
  row(/deepseek-(chat|reasoner|v3[.-]2)/, { input: 0.28, output: 0.42, cacheRead: 0.028 }),
  row(/grok-code-fast/, { input: 0.2, output: 1.5, cacheRead: 0.02 }),
  row(/grok-4-fast|grok-4[.-]1-fast/, { input: 0.2, output: 0.5, cacheRead: 0.05 }),
  row(/grok-4/, { input: 3, output: 15, cacheRead: 0.75 }),
  row(/grok-3-mini/, { input: 0.3, output: 0.5, cacheRead: 0.075 }),
  row(/grok-3/, { input: 3, output: 15, cacheRead: 0.75 }),
];

/** The table's price for a model name (vendor prefixes like "anthropic/" are fine). */
export function lookupPrice(model: string): ModelPrice | undefined {
  const name = model.toLowerCase();
  return PRICE_TABLE.find((row) => row.model.test(name))?.price;
}

/** The price that applies to a profile, or undefined when nobody knows it. */
export function priceFor(profile: Profile): ModelPrice | undefined {
  const table = lookupPrice(profile.model);
  if (profile.costPerMtokInput !== undefined || profile.costPerMtokOutput !== undefined) {
    const input = profile.costPerMtokInput ?? table?.input ?? 0;
    const output = profile.costPerMtokOutput ?? table?.output ?? 0;
    // Configured prices keep the vendor's cache discount when the model is one we know.
    const ratio = (rate: number | undefined) =>
      table && rate !== undefined ? (rate / table.input) * input : undefined;
    return { input, output, cacheRead: ratio(table?.cacheRead), cacheWrite: ratio(table?.cacheWrite) };
  }
  if (profile.provider === "ollama" || isLocalEndpoint(profile.endpoint)) return { input: 0, output: 0 };
  return table;
}

/**
 * Cost of one call's usage. `inputTokens` counts the whole prompt, cached parts included;
 * cached parts are priced at their own rate (input rate when the rate is unknown).
 */
export function costUsd(usage: Usage, profile: Profile): number | null {
  const price = priceFor(profile);
  if (!price) return null;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const micro =
    uncached * price.input +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  return micro / 1_000_000;
}
