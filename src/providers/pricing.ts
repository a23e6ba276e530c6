/**
 * What a call cost, in USD. Profile prices win; otherwise a small table of well-known
 * models (list prices per million tokens). Local models cost nothing; anything else is
 * unknown (null) rather than guessed.
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

// Anthropic: cache reads 0.1× input, 5-minute cache writes 1.25× input.
// OpenAI: cached input is discounted (0.5× for gpt-4o, 0.25× for gpt-4.1, 0.1× for gpt-5); no write charge.
// More specific patterns come first: the first match wins.
export const PRICE_TABLE: readonly PriceRow[] = [
  { model: /claude-opus-4-[5-9]|claude-opus-[5-9]/, price: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 } },
  { model: /claude-(3-)?opus|claude-opus/, price: { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 } },
  { model: /claude-haiku-4|claude-4-haiku/, price: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 } },
  { model: /claude-3-5-haiku|claude-3\.5-haiku/, price: { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 } },
  { model: /claude-3-haiku/, price: { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 } },
  { model: /claude-.*sonnet|claude-sonnet/, price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } },
  { model: /gpt-5[.\d]*-nano/, price: { input: 0.05, output: 0.4, cacheRead: 0.005 } },
  { model: /gpt-5[.\d]*-mini/, price: { input: 0.25, output: 2, cacheRead: 0.025 } },
  { model: /gpt-5/, price: { input: 1.25, output: 10, cacheRead: 0.125 } },
  { model: /gpt-4\.1-nano/, price: { input: 0.1, output: 0.4, cacheRead: 0.025 } },
  { model: /gpt-4\.1-mini/, price: { input: 0.4, output: 1.6, cacheRead: 0.1 } },
  { model: /gpt-4\.1/, price: { input: 2, output: 8, cacheRead: 0.5 } },
  { model: /gpt-4o-mini/, price: { input: 0.15, output: 0.6, cacheRead: 0.075 } },
  { model: /gpt-4o/, price: { input: 2.5, output: 10, cacheRead: 1.25 } },
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
