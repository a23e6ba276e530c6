/**
 * Which provider a profile talks to when it does not say. Vendors are data: the endpoint
 * host decides, and anything unrecognised is assumed to speak the OpenAI-compatible API
 * (vLLM, llama.cpp, LM Studio, Together, Groq, ... all do).
 */

import type { ProviderKind, WireProtocol } from "./types.js";

export const PROVIDER_KINDS: readonly ProviderKind[] = ["openai", "anthropic", "ollama", "openrouter", "gemini"];

export const OLLAMA_DEFAULT_PORT = "11434";

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === "string" && (PROVIDER_KINDS as readonly string[]).includes(value);
}

/** `explicit` (the profile's `provider` key) wins; otherwise the endpoint decides. */
export function inferProvider(endpoint: string, explicit?: ProviderKind): ProviderKind {
  if (explicit) return explicit;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "openai";
  }
  const host = url.hostname.toLowerCase();
  if (isHost(host, "anthropic.com")) return "anthropic";
  if (isHost(host, "openrouter.ai")) return "openrouter";
  if (host === "generativelanguage.googleapis.com") return "gemini";
  if (looksLikeOllama(url)) return "ollama";
  return "openai";
}

/** openai, openrouter and gemini (through its OpenAI-compatible endpoint) share one adapter. */
export function wireProtocol(kind: ProviderKind): WireProtocol {
  switch (kind) {
    case "anthropic":
      return "anthropic";
    case "ollama":
      return "ollama";
    case "openai":
    case "openrouter":
    case "gemini":
      return "openai";
  }
}

function isHost(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * An Ollama server gets Ollama's native API, except when the user pointed at its
 * OpenAI-compatible path (`http://localhost:11434/v1`): they asked for that protocol, and
 * the native adapter would append /api/chat to /v1 and hit a 404.
 */
function looksLikeOllama(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const ollamaish = url.port === OLLAMA_DEFAULT_PORT || host === "ollama" || host.startsWith("ollama.");
  if (!ollamaish) return false;
  return !/\/v1\/?$/.test(url.pathname);
}
