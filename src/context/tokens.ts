/**
 * Token counting with o200k (gpt-tokenizer). Importing the tokenizer costs ~150 ms, so
 * it is loaded lazily and never on the `--version` path; until it has loaded, callers
 * get a character-based estimate and are told it is approximate.
 */

type CountFn = (text: string) => number;

let counter: CountFn | undefined;
let loading: Promise<CountFn> | undefined;

/** Starts loading the tokenizer in the background; safe to call many times. */
export function preloadTokenizer(): Promise<CountFn> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((mod) => {
    counter = (text: string) => mod.countTokens(text);
    return counter;
  });
  return loading;
}

/** Exact o200k count; loads the tokenizer if needed. */
export async function countTokens(text: string): Promise<number> {
  const count = counter ?? (await preloadTokenizer());
  return count(text);
}

/**
 * Exact count when the tokenizer is ready, else an estimate (~4 characters a token,
 * counted in code points so multi-byte text is not over-counted).
 */
export function countTokensNow(text: string): { tokens: number; exact: boolean } {
  if (counter) return { tokens: counter(text), exact: true };
  return { tokens: estimateTokens(text), exact: false };
}

export function estimateTokens(text: string): number {
  let codePoints = 0;
  for (const _ of text) codePoints++;
  return Math.ceil(codePoints / 4);
}
