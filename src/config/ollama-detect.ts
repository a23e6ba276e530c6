/**
 * Finds a running Ollama server, the last fallback when there is no config and no API
 * key. It runs on the startup path, so it is bounded by a short timeout and never throws:
 * any failure simply means "no Ollama".
 */

import { OLLAMA_DEFAULT_PORT } from "./infer-provider.js";
import type { Profile } from "./types.js";

export interface DetectOllamaOptions {
  /** Server to probe. Default: $OLLAMA_HOST (from `env`), else http://127.0.0.1:11434 (what Ollama binds; "localhost" may resolve to ::1 first). */
  baseUrl?: string;
  /** Whole request, headers and body. Default 300 ms: a local server answers in a few. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
}

export interface DetectOllamaResult {
  /** Normalised, no trailing slash; usable as a profile endpoint. */
  baseUrl: string;
  /** Installed model names as `ollama list` shows them (e.g. "qwen3:14b"); may be empty. */
  models: string[];
}

export const OLLAMA_PROFILE_NAME = "local";
export const OLLAMA_CONTEXT_TOKENS = 32_768;

export async function detectOllama(options: DetectOllamaOptions = {}): Promise<DetectOllamaResult | null> {
  const env = options.env ?? process.env;
  const baseUrl = options.baseUrl ? stripSlash(options.baseUrl) : ollamaBaseUrl(env.OLLAMA_HOST);
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(`${baseUrl}/api/tags`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 300),
      headers: { accept: "application/json" },
    });
    if (!response.ok) return null;
    const models = modelNames(await response.json());
    return models ? { baseUrl, models } : null;
  } catch {
    return null;
  }
}

/**
 * OLLAMA_HOST the way the ollama CLI reads it: "host", "host:port" or a full URL. Without
 * a scheme the port defaults to 11434; with http:// or https:// it is the scheme's own.
 * A bind-all address (0.0.0.0, ::) means "this machine" for a client.
 */
export function ollamaBaseUrl(host: string | undefined): string {
  const value = host?.trim() ?? "";
  if (value === "") return `http://127.0.0.1:${OLLAMA_DEFAULT_PORT}`;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `http://${value}`);
  } catch {
    return `http://127.0.0.1:${OLLAMA_DEFAULT_PORT}`;
  }
  if (!hasScheme && !/:\d+$/.test(value.split("/")[0])) url.port = OLLAMA_DEFAULT_PORT;
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]") url.hostname = "127.0.0.1";
  return stripSlash(url.toString());
}

/** Coding-tuned models first: they follow tool-calling instructions best. */
export function preferredOllamaModel(models: readonly string[]): string | undefined {
  return models.find((name) => /coder|qwen3/i.test(name)) ?? models[0];
}

/** The profile a detected Ollama yields, or undefined when it has no models to run. */
export function ollamaProfile(detected: DetectOllamaResult): Profile | undefined {
  const model = preferredOllamaModel(detected.models);
  if (model === undefined) return undefined;
  return {
    name: OLLAMA_PROFILE_NAME,
    provider: "ollama",
    endpoint: detected.baseUrl,
    model,
    contextTokens: OLLAMA_CONTEXT_TOKENS,
    source: "ollama",
  };
}

/** `{ models: [{ name: "qwen3:14b", ... }] }` → names; undefined when it is not that shape. */
function modelNames(body: unknown): string[] | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const models = (body as { models?: unknown }).models;
  if (!Array.isArray(models)) return undefined;
  const names: string[] = [];
  for (const entry of models) {
    const name = typeof entry === "object" && entry !== null ? (entry as { name?: unknown }).name : undefined;
    if (typeof name === "string" && name !== "") names.push(name);
  }
  return names;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
