/**
 * The models a profile's server offers, for a front end's model picker: Ollama's installed
 * models (/api/tags), an OpenAI-compatible or Anthropic server's /models list. Best effort
 * with a short timeout: a server that cannot tell yields an empty list, never an error.
 */
import { detectOllama } from "../config/ollama-detect.js";
import type { Profile } from "../config/types.js";
import { baseUrlFor, protocolOf } from "../providers/vendors.js";

const TIMEOUT_MS = 2_000;

export async function listModels(profile: Profile, signal?: AbortSignal): Promise<string[]> {
  const protocol = protocolOf(profile.provider);
  const base = baseUrlFor(profile);
  if (protocol === "ollama") {
    const found = await detectOllama({ baseUrl: base, timeoutMs: TIMEOUT_MS });
    return found?.models ?? [];
  }
  const url = protocol === "anthropic" ? `${base}/v1/models` : `${base}/models`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (profile.apiKey) {
    if (protocol === "anthropic") {
      headers["x-api-key"] = profile.apiKey;
      headers["anthropic-version"] = "2023-06-01";
    } else {
      headers.authorization = `Bearer ${profile.apiKey}`;
    }
  }
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const response = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!response.ok) return [];
    const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
    if (!Array.isArray(body.data)) return [];
    return body.data
      .map((entry) => entry.id)
      .filter((id): id is string => typeof id === "string" && id !== "")
      .sort();
  } catch {
    return [];
  }
}
