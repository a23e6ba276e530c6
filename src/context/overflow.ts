/**
 * Learning the served context window from a provider's overflow error. Local servers are
 * often started with a smaller window than the model supports (llama.cpp `-c 4096`, an
 * LM Studio load setting), so the configured size can be wrong. The agent re-budgets
 * against min(configured, served) and retries once.
 */

/**
 * Wordings that state the window, most specific first: where a message names two numbers
 * (the request and the limit), the pattern captures the limit.
 */
const WINDOW_PATTERNS: readonly RegExp[] = [
  // Anthropic: "prompt is too long: 210000 tokens > 200000 maximum"
  /\d[\d,]*\s*tokens?\s*>\s*(\d[\d,]*)\s*maximum/i,
  // llama-cpp-python: "Prompt exceeds n_ctx: 2892 > 2048"
  /n_ctx:?\s*\d+\s*>\s*(\d+)/i,
  // OpenAI, vLLM, OpenRouter, DeepSeek: "maximum context length is 8192 tokens"
  /maximum context length is (\d[\d,]*)/i,
  // Mistral: "too large for model with 32768 maximum context length"
  /model with (\d[\d,]*) maximum context length/i,
  // llama.cpp (older): "exceeds the available context size (4096 tokens)"
  /available context size \((\d[\d,]*)\s*tokens?\)/i,
  // llama.cpp (exceed_context_size_error JSON), LM Studio: `"n_ctx":8192`, "n_ctx: 4096"
  /"?n_ctx"?\s*[:=]\s*(\d+)/i,
  // LM Studio: "the model is loaded with context length of only 4096 tokens"
  /context length of only (\d[\d,]*)/i,
  // LM Studio (older), Ollama: "Input length 6491 exceeds context length 1500"
  /exceeds? (?:the |maximum )?context length (?:of )?(\d[\d,]*)/i,
  // llama-cpp-python: "Requested tokens (2285) exceed context window of 2048"
  /context window of (\d[\d,]*)/i,
  // Gemini: "exceeds the maximum number of tokens allowed (1048576)"
  /maximum number of tokens allowed \((\d[\d,]*)\)/i,
  // Hugging Face TGI: "`inputs` tokens + `max_new_tokens` must be <= 8193"
  /must be <= (\d[\d,]*)/i,
];

const OVERFLOW_PATTERNS: readonly RegExp[] = [
  /context[_ ]length[_ ]exceeded/i,
  /exceed_context_size_error/i,
  /maximum context length/i,
  /exceeds? (?:the )?(?:available |maximum )?context (?:size|length|window)/i,
  /context (?:size|window) (?:exceeded|overflow)/i,
  /context (?:the )?overflows/i, // LM Studio's own wording
  /greater than the context length/i,
  /prompt is too long/i,
  /input (?:length |token count )?(?:is too long|exceeds)/i,
  /too many (?:input )?tokens/i,
  /reduce the length of the messages/i,
  /n_ctx/i,
  /exceeds the maximum number of tokens/i, // Gemini
  /tokens \+ `?max_new_tokens`? must be <=/i, // Hugging Face TGI
];

/** The served window stated by an overflow error, or undefined when it names none. */
export function parseServedWindow(errorMessage: string): number | undefined {
  for (const pattern of WINDOW_PATTERNS) {
    const match = pattern.exec(errorMessage);
    if (!match) continue;
    const tokens = Number(match[1].replaceAll(",", ""));
    // A number this small is not a chat window (e.g. a "must be <= 1" about another field).
    if (Number.isInteger(tokens) && tokens >= 128) return tokens;
  }
  return undefined;
}

/** True when the error says the request did not fit the model's context window. */
export function isOverflowError(errorMessage: string): boolean {
  return OVERFLOW_PATTERNS.some((pattern) => pattern.test(errorMessage));
}
