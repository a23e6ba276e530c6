/**
 * What OpenAI-compatible servers disagree on, as data. Rules match the endpoint host (and
 * port) or the model name; later rules override earlier ones, and the profile's own
 * `[profiles.NAME.quirks]` overrides everything.
 */
import type { ModelQuirks, Profile, ProviderKind } from "../config/types.js";

interface QuirkRule {
  /** Why the rule exists; shown by `parecode doctor` and read by whoever edits this table. */
  why: string;
  provider?: readonly ProviderKind[];
  /** Tested against `host:port` of the endpoint (port omitted when the URL has none). */
  host?: RegExp;
  /** Tested against the model name, lower-cased. */
  model?: RegExp;
  quirks: Partial<ModelQuirks>;
}

/** What an unknown OpenAI-compatible server gets: the fields every server accepts. */
export const DEFAULT_QUIRKS: ModelQuirks = {
  sendStrict: false,
  maxTokensField: "max_tokens",
  developerRole: false,
  streamToolCalls: true,
  streamUsage: true,
};

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|host\.docker\.internal)(:\d+)?$/;

export const QUIRK_RULES: readonly QuirkRule[] = [
  {
    why: "OpenAI accepts `strict` and prefers max_completion_tokens (max_tokens is deprecated there)",
    host: /^api\.openai\.com(:\d+)?$/,
    quirks: { sendStrict: true, maxTokensField: "max_completion_tokens" },
  },
  {
    why: "OpenAI reasoning models (o1, o3, o4-mini, gpt-5) reject max_tokens and want the developer role",
    provider: ["openai", "openrouter"],
    model: /(^|\/)(o\d+(-[a-z0-9-]+)?|gpt-5[a-z0-9.-]*)$/,
    quirks: { maxTokensField: "max_completion_tokens", developerRole: true },
  },
  {
    why: "local servers (vLLM, llama.cpp, LM Studio, SGLang) reject or ignore `strict` and know only max_tokens",
    host: LOCAL_HOST,
    quirks: { sendStrict: false, maxTokensField: "max_tokens", developerRole: false },
  },
  {
    why: "Ollama's /v1 endpoint drops tool calls from streamed replies in older releases (its native /api/chat does not)",
    provider: ["openai"],
    host: /:11434$/,
    quirks: { streamToolCalls: false },
  },
  {
    why: "Gemini's OpenAI-compatible endpoint rejects `strict` in function declarations",
    provider: ["gemini"],
    quirks: { sendStrict: false, developerRole: false },
  },
  {
    why: "Gemini's OpenAI-compatible endpoint is matched by host too, for profiles with provider = openai",
    host: /^generativelanguage\.googleapis\.com(:\d+)?$/,
    quirks: { sendStrict: false, developerRole: false },
  },
  {
    why: "OpenRouter forwards to many upstreams; some reject `strict`",
    provider: ["openrouter"],
    quirks: { sendStrict: false },
  },
];

/** Detected quirks for a profile, with the profile's explicit overrides applied last. */
export function detectQuirks(profile: Profile): ModelQuirks {
  const host = endpointHost(profile.endpoint);
  const model = profile.model.toLowerCase();
  const quirks: ModelQuirks = { ...DEFAULT_QUIRKS };
  for (const rule of QUIRK_RULES) {
    if (rule.provider && !rule.provider.includes(profile.provider)) continue;
    if (rule.host && (host === undefined || !rule.host.test(host))) continue;
    if (rule.model && !rule.model.test(model)) continue;
    Object.assign(quirks, rule.quirks);
  }
  return { ...quirks, ...definedOnly(profile.quirks ?? {}) };
}

/** `host:port` of an endpoint, lower-cased; undefined when the endpoint is not a URL. */
export function endpointHost(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** True for endpoints on this machine (or a container's host): such models cost nothing. */
export function isLocalEndpoint(endpoint: string): boolean {
  const host = endpointHost(endpoint);
  return host !== undefined && LOCAL_HOST.test(host);
}

function definedOnly(overrides: Partial<ModelQuirks>): Partial<ModelQuirks> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}
