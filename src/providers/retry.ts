/**
 * When to try a failed model call again and how long to wait first. Pure except for
 * `sleep`, so the arithmetic is tested without clocks.
 */
import type { Settings } from "../config/types.js";
import { ProviderError } from "../core/errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt (settings.providerMaxRetries). */
  maxRetries: number;
  /** First backoff step; doubles per retry. Tests pass a few milliseconds. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking for a longer wait than this is not waited for: the error surfaces. */
  maxRetryAfterMs: number;
  /** No data for this long aborts the attempt as a "stall". */
  stallTimeoutMs: number;
  /** One attempt may take this long in all; past it the call fails as a "timeout" (not retried). */
  callTimeoutMs: number;
  /** [0, 1) source for jitter; injectable for deterministic tests. */
  random: () => number;
}

export interface RetryTuning {
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  maxRetryAfterMs?: number;
  random?: () => number;
}

export const DEFAULT_RETRY_BASE_MS = 500;
export const DEFAULT_RETRY_CAP_MS = 20_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export function retryPolicy(settings: Partial<Settings>, tuning: RetryTuning = {}): RetryPolicy {
  return {
    maxRetries: Math.max(0, settings.providerMaxRetries ?? 3),
    baseDelayMs: tuning.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_MS,
    maxDelayMs: tuning.retryMaxDelayMs ?? DEFAULT_RETRY_CAP_MS,
    maxRetryAfterMs: tuning.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    stallTimeoutMs: settings.providerStallTimeoutMs ?? 60_000,
    callTimeoutMs: settings.providerCallTimeoutMs ?? 600_000,
    random: tuning.random ?? Math.random,
  };
}

/** Exponential backoff with "equal jitter": between half and all of min(cap, base·2^(n-1)). */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + policy.random() * (step / 2));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; error: ProviderError };

/** Whether retry number `retry` (1-based) should happen after `error`, and after how long. */
export function decideRetry(error: ProviderError, retry: number, policy: RetryPolicy): RetryDecision {
  if (!error.retryable || retry > policy.maxRetries) return { retry: false, error };
  if (error.retryAfterMs === undefined) return { retry: true, delayMs: backoffDelay(retry, policy) };
  if (error.retryAfterMs <= policy.maxRetryAfterMs) return { retry: true, delayMs: Math.ceil(error.retryAfterMs) };
  const seconds = Math.ceil(error.retryAfterMs / 1000);
  return {
    retry: false,
    error: new ProviderError(error.kind, `${error.message} (the server asks to wait ${seconds}s; try again later)`, {
      status: error.status,
      retryAfterMs: error.retryAfterMs,
    }),
  };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
