/**
 * Vendors are data: which wire protocol a provider kind speaks, its default endpoint and
 * any headers it wants. Endpoints are normalised here so each SDK gets the base URL it
 * expects whatever form the user wrote.
 */
import type { Profile, ProviderKind, WireProtocol } from "../config/types.js";

export interface VendorPreset {
  protocol: WireProtocol;
  /** Used when the profile has no endpoint. */
  defaultEndpoint: string;
  headers?: Record<string, string>;
}

export const VENDORS: Record<ProviderKind, VendorPreset> = {
  openai: { protocol: "openai", defaultEndpoint: "https://api.openai.com/v1" },
  openrouter: {
    protocol: "openai",
    defaultEndpoint: "https://openrouter.ai/api/v1",
    // OpenRouter's app attribution headers (optional, shown on their dashboard).
    headers: { "HTTP-Referer": "https://github.com/parecode/parecode", "X-Title": "parecode" },
  },
  gemini: { protocol: "openai", defaultEndpoint: "https://generativelanguage.googleapis.com/v1beta/openai/" },
  anthropic: { protocol: "anthropic", defaultEndpoint: "https://api.anthropic.com" },
  ollama: { protocol: "ollama", defaultEndpoint: "http://localhost:11434" },
};

export function protocolOf(provider: ProviderKind): WireProtocol {
  return VENDORS[provider].protocol;
}

/**
 * The base URL handed to the protocol's client:
 * - OpenAI-compatible: exactly as given (minus trailing slashes). The SDK appends
 *   `/chat/completions`, so the endpoint must already include the server's prefix
 *   (`/v1` for most servers, `/v1beta/openai` for Gemini). We do not add `/v1`
 *   ourselves: some servers serve the API under another prefix, and a 404 message
 *   names the endpoint to fix.
 * - Anthropic: without a trailing `/v1`; the SDK adds `/v1/messages` itself, so
 *   "https://api.anthropic.com/v1" and "https://api.anthropic.com" both work.
 * - Ollama: the server root; a trailing `/v1` or `/api` is dropped because we call the
 *   native `/api/chat` and `/api/show`.
 */
export function baseUrlFor(profile: Profile): string {
  const preset = VENDORS[profile.provider];
  const given = profile.endpoint.trim() === "" ? preset.defaultEndpoint : profile.endpoint.trim();
  const bare = given.replace(/\/+$/, "");
  if (preset.protocol === "anthropic") return bare.replace(/\/v1$/, "");
  if (preset.protocol === "ollama") return bare.replace(/\/(v1|api)$/, "");
  return bare;
}

export function vendorHeaders(profile: Profile): Record<string, string> {
  return { ...(VENDORS[profile.provider].headers ?? {}) };
}
