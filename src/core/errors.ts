/**
 * Errors a user can act on. Every one carries a message that names the fix; the CLI
 * prints `message` and never a stack trace for these.
 */

export class ParecodeError extends Error {
  /** Process exit code the CLI uses when this error ends a run. */
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad flags or arguments. Exit 2. */
export class UsageError extends ParecodeError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A config file that cannot be used, or no usable provider at all. Exit 2. */
export class ConfigError extends ParecodeError {
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  constructor(message: string, where: { file?: string; line?: number; key?: string } = {}) {
    super(message, 2);
    this.file = where.file;
    this.line = where.line;
    this.key = where.key;
  }
}

export type ProviderErrorKind =
  | "rate_limit"
  | "server"
  | "network"
  | "stall"
  | "auth"
  | "bad_request"
  | "context_overflow"
  | "not_found"
  /** The whole call took longer than provider_call_timeout (trickling, never finishing). Not retried. */
  | "timeout"
  | "aborted";

/** A model call that failed. `retryable` kinds are retried with backoff before surfacing. */
export class ProviderError extends ParecodeError {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** Milliseconds the server asked us to wait (retry-after), when it said. */
  readonly retryAfterMs?: number;
  constructor(kind: ProviderErrorKind, message: string, opts: { status?: number; retryAfterMs?: number } = {}) {
    super(message, kind === "aborted" ? 130 : 1);
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
  get retryable(): boolean {
    return this.kind === "rate_limit" || this.kind === "server" || this.kind === "network" || this.kind === "stall";
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
