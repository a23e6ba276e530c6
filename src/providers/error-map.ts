/**
 * Every failure of a model call becomes a ProviderError whose kind decides retrying and
 * whose message names the fix. SDK errors (openai, @anthropic-ai/sdk), our own HTTP
 * errors (Ollama) and network errors from fetch all pass through here.
 */
import { collectSecrets } from "../config/collect-secrets.js";
import type { Profile, ProviderKind } from "../config/types.js";
import { errorMessage, ProviderError, type ProviderErrorKind } from "../core/errors.js";
import { createRedactor } from "../core/redact.js";
import { isRecord } from "./json-repair.js";

export interface ErrorContext {
  profile: Profile;
  /** The base URL actually called, for messages ("is the server at URL running?"). */
  baseUrl: string;
}

interface HeaderGetter {
  get(name: string): string | null;
}
type HeaderSource = HeaderGetter | Record<string, string | undefined> | undefined | null;

/** An HTTP error response from a hand-written client (the SDKs throw their own). */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly headers: Headers;
  constructor(status: number, message: string, headers: Headers) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

const ENV_KEY: Record<ProviderKind, string | undefined> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  openrouter: "OPENROUTER_API_KEY",
  gemini: "GEMINI_API_KEY",
  ollama: undefined,
};

/** Wording servers use when the prompt does not fit (OpenAI, vLLM, Anthropic, llama.cpp, Gemini, Mistral…). */
const CONTEXT_OVERFLOW = [
  /maximum context length/i,
  /context_length_exceeded/i,
  /prompt is too long/i,
  /exceeds? the available context size/i,
  /context (window|size|length).*(exceed|too (long|large|small))/i,
  /(exceed|too long for).*context (window|size|length)/i,
  /input token count.*exceeds/i,
  /too many (input )?tokens/i,
  /reduce the length of the (messages|prompt|input)/i,
  /input is too long/i,
  // Anthropic, when the prompt plus max_tokens do not fit: "input length and `max_tokens` exceed context limit".
  /exceeds? (the )?context limit/i,
];

/**
 * How much of a server's own text or of raw stream data a message quotes. SDK errors
 * carry whole bodies (an HTML error page, a malformed chunk of the stream); a person needs
 * the first words, and the rest may hold anything, the credentials sent included.
 */
export const ERROR_EXCERPT_CHARS = 200;

/** Milliseconds from `retry-after-ms`, `retry-after` (seconds or an HTTP date); undefined when absent. */
export function parseRetryAfter(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = header(headers, "retry-after-ms");
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = header(headers, "retry-after");
  if (after === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (isHeaderGetter(headers)) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function isHeaderGetter(value: unknown): value is HeaderGetter {
  return isRecord(value) && typeof value.get === "function";
}

export function isContextOverflow(message: string): boolean {
  return CONTEXT_OVERFLOW.some((pattern) => pattern.test(message));
}

/** An HTTP status with the server's own message turned into a kind and a fix. */
export function errorFromStatus(
  status: number,
  serverMessage: string,
  headers: HeaderSource,
  ctx: ErrorContext,
): ProviderError {
  const { profile } = ctx;
  const message = quoted(serverMessage, profile);
  const said = message === "" ? "" : `: ${message}`;
  const opts = { status, retryAfterMs: parseRetryAfter(headers) };
  const error = (kind: ProviderErrorKind, text: string) => safeError(kind, text, profile, opts);
  if (status === 401 || status === 403) {
    const env = ENV_KEY[profile.provider];
    const fix = env
      ? `check api_key for profile "${profile.name}" or the ${env} env var`
      : `check api_key for profile "${profile.name}"`;
    return error("auth", `${status} authentication failed at ${ctx.baseUrl}${said}. Fix: ${fix}.`);
  }
  if (status === 404) {
    const fix =
      profile.provider === "ollama"
        ? `check the model name "${profile.model}" (run \`ollama pull ${profile.model}\`) and endpoint ${ctx.baseUrl} of profile "${profile.name}"`
        : `check the model name "${profile.model}" and the endpoint ${ctx.baseUrl} of profile "${profile.name}"`;
    return error("not_found", `404 not found${said}. Fix: ${fix}.`);
  }
  // 429 is never about the window: "Too many tokens, please wait" (Bedrock, proxies) is a rate limit.
  if (isContextOverflow(serverMessage) && status >= 400 && status < 500 && status !== 429) {
    return error(
      "context_overflow",
      `${status} the request does not fit the model's context window${said}. Fix: lower context_tokens for profile "${profile.name}" (now ${profile.contextTokens}) or start a fresh task.`,
    );
  }
  if (status === 429) {
    // OpenAI answers 429 for an empty account too; waiting will not help that.
    if (/insufficient_quota|exceeded your current quota|billing/i.test(serverMessage)) {
      return error(
        "auth",
        `429 quota exhausted${said}. Fix: check billing for the account of profile "${profile.name}".`,
      );
    }
    return error("rate_limit", `429 rate limited by ${ctx.baseUrl}${said}`);
  }
  if (status === 408 || status === 409 || status >= 500) {
    return error("server", `${status} server error at ${ctx.baseUrl}${said}`);
  }
  return error(
    "bad_request",
    `${status} request rejected by ${ctx.baseUrl}${said}. Fix: check the model "${profile.model}" and the quirks of profile "${profile.name}".`,
  );
}

/** Network-level failures (no HTTP status): the error code found anywhere in the cause chain. */
export function errorFromNetwork(err: unknown, ctx: ErrorContext): ProviderError {
  const code = networkCode(err);
  const detail = quoted(deepestMessage(err), ctx.profile);
  if (code === "ECONNREFUSED") {
    return safeError(
      "network",
      `cannot connect to ${ctx.baseUrl} (connection refused). Is the server at ${ctx.baseUrl} running?`,
      ctx.profile,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return safeError(
      "network",
      `cannot resolve the host of ${ctx.baseUrl} (${code}). Fix: check the endpoint of profile "${ctx.profile.name}" and your network.`,
      ctx.profile,
    );
  }
  return safeError("network", `connection to ${ctx.baseUrl} failed: ${detail}${code ? ` (${code})` : ""}`, ctx.profile);
}

/**
 * Any thrown value from one attempt, as a ProviderError. `errorFromStatus` handles
 * anything carrying an HTTP status (SDK APIError subclasses, HttpStatusError).
 */
export function toProviderError(err: unknown, ctx: ErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  if (isRecord(err) || err instanceof Error) {
    const record = err as Record<string, unknown>;
    // An error event inside a 200 stream has no HTTP status; its body still says what it is.
    const status = typeof record.status === "number" ? record.status : statusOfBody(record.error);
    if (status !== undefined) {
      const headers = isHeaderGetter(record.headers) ? record.headers : undefined;
      return errorFromStatus(status, serverMessageOf(err), headers, ctx);
    }
  }
  // A stream chunk or body that is not JSON: the SDKs rethrow JSON.parse's error, whose
  // message quotes the raw data (and its words could pass for a network failure).
  if (err instanceof SyntaxError) {
    return safeError(
      "server",
      `${ctx.baseUrl} sent data that is not valid JSON: ${quoted(withoutSourceExcerpt(err.message), ctx.profile)}`,
      ctx.profile,
    );
  }
  if (looksLikeNetwork(err)) return errorFromNetwork(err, ctx);
  return safeError(
    "server",
    `unexpected failure talking to ${ctx.baseUrl}: ${quoted(errorMessage(err), ctx.profile)}`,
    ctx.profile,
  );
}

/**
 * A server's words or raw stream data as a message may quote them: the profile's secrets
 * and anything credential-shaped hidden first (servers and proxies echo what they were
 * sent), then cut to ERROR_EXCERPT_CHARS, so no partial secret survives the cut.
 */
function quoted(text: string, profile: Profile): string {
  const clean = redactorFor(profile).text(text).trim();
  if (clean.length <= ERROR_EXCERPT_CHARS) return clean;
  const chars = Array.from(clean);
  if (chars.length <= ERROR_EXCERPT_CHARS) return clean;
  return `${chars.slice(0, ERROR_EXCERPT_CHARS).join("")}… (${chars.length} characters in all)`;
}

/**
 * V8 quotes up to ten characters of the unparseable text (`Unexpected token 'p', "plainprofi"...
 * is not valid JSON`): too short for the redactor to know it as a key, long enough to give
 * part of one away. The position-only messages stay as they are.
 */
function withoutSourceExcerpt(message: string): string {
  return message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, " is not valid JSON");
}

/** Every ProviderError made here: the whole message goes through the redactor once more. */
function safeError(
  kind: ProviderErrorKind,
  message: string,
  profile: Profile,
  opts: { status?: number; retryAfterMs?: number } = {},
): ProviderError {
  return new ProviderError(kind, redactorFor(profile).text(message), opts);
}

function redactorFor(profile: Profile) {
  return createRedactor(collectSecrets({}, [profile]));
}

/** A URL fit for labels and messages: no userinfo, query values masked. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1").replace(/([?&][^=&#]*=)[^&#]*/g, "$1***");
}

/** Anthropic's error types (also sent mid-stream) as the statuses they come with. */
const ANTHROPIC_ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** The status an SDK error body implies: OpenRouter's numeric `code`, or Anthropic's error type. */
function statusOfBody(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.code === "number" && body.code >= 400 && body.code < 600) return body.code;
  const inner = isRecord(body.error) ? body.error : body;
  return typeof inner.type === "string" ? ANTHROPIC_ERROR_STATUS[inner.type] : undefined;
}

/** The server's own words: SDK errors carry the parsed body; the SDK message prefixes the status. */
function serverMessageOf(err: unknown): string {
  if (!isRecord(err) && !(err instanceof Error)) return String(err);
  const record = err as Record<string, unknown>;
  const body = record.error;
  if (typeof body === "string") return body;
  if (isRecord(body)) {
    if (typeof body.message === "string") return body.message;
    if (isRecord(body.error) && typeof body.error.message === "string") return body.error.message;
    if (typeof body.error === "string") return body.error;
  }
  const message = errorMessage(err);
  return message.replace(/^\d{3}\s+/, "");
}

const NETWORK_CODES = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;
const NETWORK_WORDS =
  /fetch failed|\bterminated|socket|network|connection|ECONN|EPIPE|premature close|aborted|other side closed/i;

function looksLikeNetwork(err: unknown): boolean {
  return networkCode(err) !== undefined || NETWORK_WORDS.test(chainMessages(err));
}

function networkCode(err: unknown): string | undefined {
  for (let cur: unknown = err, depth = 0; cur && depth < 6; depth++) {
    if (isRecord(cur) || cur instanceof Error) {
      const record = cur as Record<string, unknown>;
      if (typeof record.code === "string" && NETWORK_CODES.test(record.code)) return record.code;
      cur = record.cause;
    } else break;
  }
  return undefined;
}

function chainMessages(err: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = err, depth = 0; cur && depth < 6; depth++) {
    parts.push(errorMessage(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return parts.join(" / ");
}

function deepestMessage(err: unknown): string {
  let cur: unknown = err;
  for (let depth = 0; depth < 6 && cur instanceof Error && cur.cause instanceof Error; depth++) cur = cur.cause;
  return errorMessage(cur);
}
