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
 * Exact count when the tokenizer is ready, else an estimate that errs high rather than
 * low (see estimateTokens).
 */
export function countTokensNow(text: string): { tokens: number; exact: boolean } {
  if (counter) return { tokens: counter(text), exact: true };
  return { tokens: estimateTokens(text), exact: false };
}

/**
 * Budgets are set with this before the tokenizer loads (the preamble caps, the first
 * request), so an under-count lets text through that breaks them. ASCII runs about four
 * characters a token in o200k; Chinese, Japanese and Korean about 0.55-0.8 tokens a
 * character; emoji, dingbats and other symbols one or two; other scripts (Cyrillic,
 * Arabic, accented Latin) about a third of a token. Each class is rounded up.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let wide = 0;
  let astral = 0;
  let symbol = 0;
  let other = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) ascii++;
    else if (code > 0xffff) astral++;
    else if ((code >= 0x2000 && code <= 0x2bff) || (code >= 0xfe00 && code <= 0xfe0f)) symbol++;
    else if (isWide(code)) wide++;
    else other++;
  }
  return Math.ceil(ascii / 4 + wide * 0.8 + astral * 2 + symbol * 1.5 + other * 0.4);
}

/** CJK ideographs and punctuation, kana, Hangul, and full-width forms. */
function isWide(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}
