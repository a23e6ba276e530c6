/**
 * The models a profile's server offers, for a front end's model picker and `parecode
 * models`: Ollama's installed models (/api/tags), an OpenAI-compatible or Anthropic
 * server's /models list. A short timeout; a server that cannot tell is an error the
 * caller may show (fetchModelList) or ignore (listModels).
 */
import { detectOllama } from "../config/ollama-detect.js";
import type { Profile } from "../config/types.js";
import { baseUrlFor, protocolOf } from "../providers/vendors.js";

const TIMEOUT_MS = 2_000;

export interface ModelList {
  /** Sorted ids; empty when the server listed none or could not be asked. */
  models: string[];
  /** The URL asked, for messages. */
  url: string;
  /** Why there is no list, when the request failed. */
  error?: string;
}

export async function fetchModelList(
  profile: Profile,
  signal?: AbortSignal,
  timeoutMs = TIMEOUT_MS,
): Promise<ModelList> {
  const protocol = protocolOf(profile.provider);
  const base = baseUrlFor(profile);
  if (protocol === "ollama") {
    const url = `${base}/api/tags`;
    const found = await detectOllama({ baseUrl: base, timeoutMs });
    return found ? { models: found.models, url } : { models: [], url, error: "no answer from Ollama there" };
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
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!response.ok) return { models: [], url, error: `HTTP ${response.status}` };
    const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
    if (!Array.isArray(body.data)) return { models: [], url, error: "the answer has no data list" };
    const models = body.data
      .map((entry) => entry.id)
      .filter((id): id is string => typeof id === "string" && id !== "")
      .sort();
    return { models, url };
  } catch (err) {
    const reason =
      (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000}s` : (err as Error).message;
    return { models: [], url, error: reason };
  }
}

/** Best effort: the list, or empty when the server cannot tell. */
export async function listModels(profile: Profile, signal?: AbortSignal): Promise<string[]> {
  return (await fetchModelList(profile, signal)).models;
}
