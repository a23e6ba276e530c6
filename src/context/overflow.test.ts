import { describe, expect, it } from "vitest";
import { isOverflowError, parseServedWindow } from "./overflow.js";

const WORDINGS: [string, string, number][] = [
  [
    "OpenAI",
    "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.",
    8192,
  ],
  [
    "vLLM",
    "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).",
    4096,
  ],
  [
    "vLLM (newer)",
    "'max_tokens' or 'max_completion_tokens' is too large: 1000. This model's maximum context length is 4096 tokens and your request has 3500 input tokens (1000 > 4096 - 3500).",
    4096,
  ],
  [
    "OpenRouter",
    "This endpoint's maximum context length is 131,072 tokens. However, you requested about 140000 tokens",
    131072,
  ],
  [
    "llama.cpp (older)",
    "request (5000 tokens) exceeds the available context size (4096 tokens), try increasing it",
    4096,
  ],
  [
    "llama.cpp (JSON)",
    '400 {"error":{"code":400,"message":"the request exceeds the available context size. try increasing the context size or enable context shift","type":"exceed_context_size_error","n_prompt_tokens":14429,"n_ctx":8192}}',
    8192,
  ],
  [
    "LM Studio",
    "Trying to keep the first 10136 tokens when context the overflows. However, the model is loaded with context length of only 7866 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input",
    7866,
  ],
  [
    "LM Studio (n_keep)",
    "The number of tokens to keep from the initial prompt is greater than the context length (n_keep: 13055>= n_ctx: 4096). Try to load the model with a larger context length, or provide a shorter input.",
    4096,
  ],
  ["LM Studio (older) / Ollama", "Error: Input length 6491 exceeds context length 1500", 1500],
  ["llama-cpp-python", "Requested tokens (2285) exceed context window of 2048", 2048],
  ["llama-cpp-python (n_ctx)", "Prompt exceeds n_ctx: 2892 > 2048", 2048],
  ["Anthropic", "prompt is too long: 210000 tokens > 200000 maximum", 200000],
  [
    "Mistral",
    "Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length",
    32768,
  ],
  ["Gemini", "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).", 1048576],
  [
    "TGI",
    "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 8193. Given: 9000 `inputs` tokens and 100 `max_new_tokens`",
    8193,
  ],
];

describe("parseServedWindow", () => {
  for (const [server, message, window] of WORDINGS) {
    it(`reads ${window} from ${server}`, () => {
      expect(parseServedWindow(message)).toBe(window);
      expect(isOverflowError(message)).toBe(true);
    });
  }

  it("returns undefined when the error names no window", () => {
    expect(parseServedWindow("the input length exceeds the context length")).toBeUndefined();
    expect(parseServedWindow("Your input exceeds the context window of this model.")).toBeUndefined();
    expect(parseServedWindow("must be <= 1")).toBeUndefined();
  });
});

describe("isOverflowError", () => {
  it("recognises overflow errors that name no numbers", () => {
    expect(isOverflowError("Your input exceeds the context window of this model.")).toBe(true);
    expect(isOverflowError("the input length exceeds the context length")).toBe(true);
    expect(isOverflowError('{"error":{"code":"context_length_exceeded"}}')).toBe(true);
    expect(isOverflowError("Ollama: input exceeds maximum context length")).toBe(true);
  });

  it("does not mistake rate limits, auth or server errors for overflow", () => {
    expect(isOverflowError("Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Used 29000")).toBe(
      false,
    );
    expect(isOverflowError("Number of request tokens has exceeded your per-minute rate limit")).toBe(false);
    expect(isOverflowError("401 Incorrect API key provided")).toBe(false);
    expect(isOverflowError("500 Internal Server Error")).toBe(false);
    expect(isOverflowError("model 'qwen3:14b' not found")).toBe(false);
  });
});
