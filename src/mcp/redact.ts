/**
 * What of a server's own configuration is secret, for hiding in what it writes (its
 * stderr, an error message) before that reaches a log file, the terminal or the model.
 * The hiding itself is core/redact's.
 */
import { createRedactor as createCoreRedactor } from "../core/redact.js";
import { secretValuesOf } from "../core/secrets.js";

export type Redactor = (text: string) => string;

export interface RedactorOptions {
  /** The environment parecode runs with: its secret-looking values are hidden. */
  env: NodeJS.ProcessEnv;
  /** The server's configured env: secret-looking entries are hidden. */
  serverEnv?: Readonly<Record<string, string>>;
  /** HTTP headers: every value is hidden (Authorization, X-Api-Key, cookies), with and without its scheme. */
  headers?: Readonly<Record<string, string>>;
}

export function createRedactor(options: RedactorOptions): Redactor {
  const values = [...secretValuesOf(options.env), ...secretValuesOf(options.serverEnv ?? {})];
  for (const value of Object.values(options.headers ?? {})) {
    values.push(value, value.replace(/^\s*(Bearer|Basic|token)\s+/i, ""));
  }
  return createCoreRedactor(values).text;
}
