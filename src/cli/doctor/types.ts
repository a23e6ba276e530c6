/**
 * The vocabulary of `parecode doctor`: a check result, the context every check reads,
 * and the shape of a check group. The JSON output is `{ ok, checks: CheckResult[] }`;
 * scripts rely on the ids and statuses, so both are part of the CLI contract.
 */

import type { ResolvedConfig } from "../../config/types.js";
import type { ConfigError } from "../../core/errors.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  /** Stable and unique in one report: `config`, `profile:NAME`, `data-dir`, … */
  id: string;
  status: CheckStatus;
  /** One line saying what was found. Never holds a key. */
  message: string;
  /** One line saying what to do; present for warn and fail. */
  fix?: string;
  /** Structured facts for scripts (paths, latency, model names). Never holds a key. */
  details?: Record<string, unknown>;
}

/** The user's config as doctor saw it: loaded once, shared by every check. */
export interface ConfigState {
  /** Absolute path of config.toml, whether or not it exists. */
  path: string;
  exists: boolean;
  /** Set when the file is absent or valid. */
  config?: ResolvedConfig;
  /** Set when the file exists and cannot be used. */
  error?: ConfigError;
  /** The parsed TOML, even when validation failed (undefined when it does not parse). */
  raw?: Record<string, unknown>;
}

export interface DoctorContext {
  /** The project folder doctor runs in (hooks and the project permission file are read here). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** False with --no-network: no request leaves the machine (nor reaches a local server). */
  network: boolean;
  /** --profile NAME: check only this profile. */
  profileName?: string;
  config: ConfigState;
  /** Aborted when the check's time is up; long work must stop promptly. */
  signal: AbortSignal;
}

/**
 * One group of checks. `run` may return several results (one per profile, per folder);
 * it should not throw, but a throw or running past `timeoutMs` becomes one failed result
 * with the group's `id`, so a single broken or hanging check never hangs doctor.
 */
export interface DoctorCheck {
  id: string;
  timeoutMs: number;
  run(ctx: DoctorContext): Promise<CheckResult[]>;
}

export function ok(id: string, message: string, details?: Record<string, unknown>): CheckResult {
  return details ? { id, status: "ok", message, details } : { id, status: "ok", message };
}

export function warn(id: string, message: string, fix: string, details?: Record<string, unknown>): CheckResult {
  return details ? { id, status: "warn", message, fix, details } : { id, status: "warn", message, fix };
}

export function fail(id: string, message: string, fix: string, details?: Record<string, unknown>): CheckResult {
  return details ? { id, status: "fail", message, fix, details } : { id, status: "fail", message, fix };
}

/**
 * A ConfigError's message split into what is wrong (with file:line) and what to write
 * instead. Multi-line messages (TOML syntax errors) end with their fix; one-line ones
 * carry it after the last "; ".
 */
export function splitConfigError(message: string): { problem: string; fix: string } {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const first = lines[0] ?? message;
  if (lines.length > 1) return { problem: first, fix: lines[lines.length - 1] };
  const cut = first.lastIndexOf("; ");
  if (cut > 0) return { problem: first.slice(0, cut), fix: sentence(first.slice(cut + 2)) };
  return { problem: first, fix: "Edit the file at that line as the message says." };
}

/** `text` as a sentence: capital first letter, final full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
