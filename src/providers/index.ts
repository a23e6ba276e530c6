/**
 * The providers module: one ModelClient per profile, with the adapter chosen by wire
 * protocol. Nothing happens at import time; the CLI loads this module lazily.
 */
import type { ModelQuirks, Profile, Settings, WireProtocol } from "../config/types.js";
import type { ModelClient, ModelRequest, ProviderEvent } from "../core/types.js";
import { createAnthropicAdapter } from "./anthropic.js";
import { knownMaxOutputTokens } from "./model-limits.js";
import { type ContextWindowInfo, createOllamaAdapter } from "./ollama.js";
import { createOpenAIAdapter } from "./openai-compatible.js";
import { detectQuirks } from "./quirks.js";
import { type RetryTuning, retryPolicy } from "./retry.js";
import { runStream, type WireAdapter } from "./stream-driver.js";
import { protocolOf } from "./vendors.js";

export { knownMaxOutputTokens } from "./model-limits.js";
export type { ContextWindowInfo } from "./ollama.js";
export { costUsd, lookupPrice, type ModelPrice, priceFor } from "./pricing.js";
export { DEFAULT_QUIRKS, detectQuirks, isLocalEndpoint } from "./quirks.js";
export { baseUrlFor, protocolOf, VENDORS, type VendorPreset } from "./vendors.js";

/** A ModelClient plus what the agent and `doctor` want to know about the model. */
export interface ProviderClient extends ModelClient {
  readonly protocol: WireProtocol;
  readonly quirks: ModelQuirks;
  /** The model's real context window when the server can tell (Ollama's /api/show); cached per client. */
  contextWindow(signal?: AbortSignal): Promise<number | undefined>;
  /** Configured vs detected window, with a warning when the configured one is too large. */
  contextInfo(signal?: AbortSignal): Promise<ContextWindowInfo>;
}

export interface ModelClientOptions extends RetryTuning {
  /** Replaces global fetch for every HTTP call (tests, proxies). */
  fetch?: typeof fetch;
}

export function createModelClient(
  profile: Profile,
  settings: Partial<Settings>,
  options: ModelClientOptions = {},
): ProviderClient {
  const quirks = detectQuirks(profile);
  const protocol = protocolOf(profile.provider);
  const policy = retryPolicy(settings, options);
  const adapterOptions = { fetch: options.fetch };
  const counters = new Map<string, number>();
  // Ids for calls that arrived without one; unique for the client's life, so a resumed
  // conversation never pairs a result with the wrong call.
  const mintId = (prefix: string) => {
    const next = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, next);
    return `${prefix}${next}`;
  };

  let adapter: WireAdapter;
  let contextInfo: (signal?: AbortSignal) => Promise<ContextWindowInfo>;
  if (protocol === "ollama") {
    const ollama = createOllamaAdapter(profile, quirks, adapterOptions);
    adapter = ollama;
    contextInfo = (signal) => ollama.contextInfo(signal);
  } else {
    adapter =
      protocol === "anthropic"
        ? createAnthropicAdapter(profile, quirks, adapterOptions)
        : createOpenAIAdapter(profile, quirks, adapterOptions);
    const info: ContextWindowInfo = { configured: profile.contextTokens, effective: profile.contextTokens };
    contextInfo = async () => info;
  }

  // The reply cap: the caller's, else the profile's max_output_tokens, else (OpenAI-compatible
  // servers only; the other adapters have their own defaults) the model's published limit.
  const capped = (request: ModelRequest): ModelRequest => {
    if (request.maxOutputTokens !== undefined) return request;
    const cap = profile.maxOutputTokens ?? (protocol === "openai" ? knownMaxOutputTokens(request.model) : undefined);
    return cap === undefined ? request : { ...request, maxOutputTokens: cap };
  };

  return {
    label: adapter.label,
    protocol,
    quirks,
    stream: (request: ModelRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> =>
      runStream(adapter, capped(request), signal, policy, mintId),
    contextWindow: async (signal) => (await contextInfo(signal)).detected,
    contextInfo,
  };
}
