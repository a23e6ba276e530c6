/**
 * The most output tokens a model may be asked for, for the models whose limit the vendor
 * publishes. OpenAI-compatible servers otherwise pick their own default, which for some
 * hosted models is far below what the model can write (long edits end cut off), and for
 * others is the whole window. Matched like the price table: lower-cased, anywhere in the
 * id, first row wins, unknown ids get nothing (the server's default stands).
 */

interface LimitRow {
  model: RegExp;
  maxOutputTokens: number;
}

const row = (model: RegExp, maxOutputTokens: number): LimitRow => ({ model, maxOutputTokens });

/** As the vendors' model pages listed them in 2026; a profile's max_output_tokens wins. */
export const OUTPUT_LIMITS: readonly LimitRow[] = [
  // OpenAI
  row(/gpt-5/, 128_000),
  row(/gpt-4\.1/, 32_768),
  row(/gpt-4o/, 16_384),
  row(/gpt-4-turbo|gpt-4-\d{4}-preview/, 4_096),
  row(/gpt-3\.5-turbo/, 4_096),
  row(/o1-mini/, 65_536),
  row(/(^|\/)o[134](-mini|-pro)?($|-)/, 100_000),
  // Anthropic through OpenAI-compatible gateways (OpenRouter)
  row(/claude-(opus|sonnet|haiku)-4[.-][5-9]|claude-sonnet-4|claude-3[.-]7-sonnet/, 64_000),
  row(/claude-opus-4/, 32_000),
  row(/claude-3[.-]5/, 8_192),
  // Google
  row(/gemini-2\.5|gemini-3/, 65_536),
  row(/gemini-2\.0|gemini-1\.5/, 8_192),
  // DeepSeek
  row(/deepseek-reasoner/, 65_536),
  row(/deepseek-chat/, 8_192),
];

/** The model's published output limit, or undefined when the table does not know it. */
export function knownMaxOutputTokens(model: string): number | undefined {
  const id = model.toLowerCase();
  return OUTPUT_LIMITS.find((entry) => entry.model.test(id))?.maxOutputTokens;
}
