/**
 * Whether a profile's server answers: the smallest real model call (one word in, at most
 * one token out, no retries, a short deadline) through the same client a task uses, so
 * a pass here means a task's first request gets through. Ollama is asked for its model
 * list instead: a chat call there would load the model into memory, which can take
 * longer than any sensible deadline.
 */
import { detectOllama } from "../../config/ollama-detect.js";
import type { Profile } from "../../config/types.js";
import type { ProviderError } from "../../core/errors.js";
import type { ModelRequest } from "../../core/types.js";
import { displayUrl } from "../../providers/error-map.js";
import { baseUrlFor, createModelClient, protocolOf } from "../../providers/index.js";
import { type CheckResult, fail, ok, sentence, warn } from "./types.js";

/** A hosted API answers a one-token request in a second or two; a local one may be slower to start. */
export const REQUEST_TIMEOUT_MS = 8_000;
const OLLAMA_LIST_TIMEOUT_MS = 3_000;

const PROBE_REQUEST: Omit<ModelRequest, "model"> = {
  system: "",
  messages: [{ role: "user", content: "Hi" }],
  tools: [],
  maxOutputTokens: 1,
};

/** What a report may say about a profile: never its key, never credentials in its URL. */
export function profileDetails(profile: Profile): Record<string, unknown> {
  return {
    profile: profile.name,
    provider: profile.provider,
    model: profile.model,
    endpoint: displayUrl(baseUrlFor(profile)),
    source: profile.source,
  };
}

export async function checkReachability(profile: Profile, signal: AbortSignal): Promise<CheckResult> {
  if (protocolOf(profile.provider) === "ollama") return checkOllama(profile);
  return checkModelCall(profile, signal);
}

async function checkModelCall(profile: Profile, outer: AbortSignal): Promise<CheckResult> {
  const id = `profile:${profile.name}`;
  const url = displayUrl(baseUrlFor(profile));
  const details = profileDetails(profile);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, REQUEST_TIMEOUT_MS);
  const onOuterAbort = () => controller.abort();
  outer.addEventListener("abort", onOuterAbort, { once: true });
  const client = createModelClient(profile, { providerMaxRetries: 0, providerStallTimeoutMs: REQUEST_TIMEOUT_MS });
  const started = performance.now();
  let error: ProviderError | undefined;
  try {
    for await (const event of client.stream({ ...PROBE_REQUEST, model: profile.model }, controller.signal)) {
      if (event.type === "error") error = event.error;
    }
  } finally {
    clearTimeout(timer);
    outer.removeEventListener("abort", onOuterAbort);
  }
  const latencyMs = Math.round(performance.now() - started);
  if (!error) {
    return ok(id, `${profile.provider} ${profile.model} at ${url} answered in ${latencyMs} ms`, {
      ...details,
      latencyMs,
    });
  }
  const failed = { ...details, error: error.kind, ...(error.status === undefined ? {} : { status: error.status }) };
  if (timedOut || error.kind === "stall") {
    return fail(
      id,
      `no answer from ${url} within ${REQUEST_TIMEOUT_MS / 1000} s`,
      `Is the server at ${url} running and responsive? Check endpoint of profile "${profile.name}".`,
      failed,
    );
  }
  const { problem, fix } = splitProviderError(error, profile, url);
  if (error.kind === "rate_limit") {
    return warn(
      id,
      `reachable, but ${problem}`,
      "Wait a minute and run doctor again, or check the account's rate limits.",
      failed,
    );
  }
  return fail(id, problem, fix, failed);
}

/** A provider message carries its fix after ". Fix: " when it has one; otherwise the fix follows from the kind. */
function splitProviderError(error: ProviderError, profile: Profile, url: string): { problem: string; fix: string } {
  const at = error.message.indexOf(". Fix: ");
  if (at >= 0) return { problem: error.message.slice(0, at), fix: sentence(error.message.slice(at + 7)) };
  const problem = error.message.replace(/\s*Is the server at \S+ running\?$/, "").replace(/\.$/, "");
  const where = `profile "${profile.name}"`;
  const fixes: Partial<Record<ProviderError["kind"], string>> = {
    network: `Is the server running at ${url}? Start it, or correct the endpoint of ${where}.`,
    auth: `Check the key of ${where}${profile.apiKeyEnv ? ` ($${profile.apiKeyEnv})` : " (api_key)"}.`,
    not_found: `Check the model name "${profile.model}" and the endpoint of ${where}.`,
    server: `The server at ${url} reported an error; try again later or check its logs.`,
  };
  return { problem, fix: fixes[error.kind] ?? `Check the endpoint and model of ${where}.` };
}

async function checkOllama(profile: Profile): Promise<CheckResult> {
  const id = `profile:${profile.name}`;
  const base = baseUrlFor(profile);
  const url = displayUrl(base);
  const details = profileDetails(profile);
  const started = performance.now();
  const found = await detectOllama({ baseUrl: base, timeoutMs: OLLAMA_LIST_TIMEOUT_MS });
  const latencyMs = Math.round(performance.now() - started);
  if (!found) {
    return fail(
      id,
      `no Ollama server answering at ${url}`,
      `Start it with \`ollama serve\`, or correct the endpoint of profile "${profile.name}".`,
      details,
    );
  }
  const listed = { ...details, latencyMs, installed: found.models };
  if (!hasModel(found.models, profile.model)) {
    return warn(
      id,
      `Ollama at ${url} is running, but ${profile.model} is not installed`,
      `ollama pull ${profile.model}`,
      listed,
    );
  }
  return ok(id, `ollama ${profile.model} installed at ${url} (listed in ${latencyMs} ms)`, listed);
}

/** Ollama treats a name without a tag as `:latest`. */
function hasModel(installed: readonly string[], model: string): boolean {
  const tagged = (name: string) => (name.includes(":") ? name : `${name}:latest`);
  return installed.some((name) => tagged(name) === tagged(model));
}
