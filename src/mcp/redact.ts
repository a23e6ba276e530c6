/**
 * Hides secrets in text a server wrote (its stderr, an error message) before it reaches
 * a log file, the terminal or the model: the exact values we know to be secret (keys in
 * our environment, the server's configured env and headers) and anything shaped like a
 * well-known credential or a bearer token.
 */

import { MIN_SECRET_LENGTH, SECRET_VALUE_PATTERNS, secretValuesOf } from "../core/secrets.js";

export type Redactor = (text: string) => string;

const BEARER = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const REDACTED = "[redacted]";

export interface RedactorOptions {
  /** The environment parecode runs with: its secret-looking values are hidden. */
  env: NodeJS.ProcessEnv;
  /** The server's configured env: secret-looking entries are hidden. */
  serverEnv?: Readonly<Record<string, string>>;
  /** HTTP headers: every value is hidden (Authorization, X-Api-Key, cookies). */
  headers?: Readonly<Record<string, string>>;
}

export function createRedactor(options: RedactorOptions): Redactor {
  const values = new Set([...secretValuesOf(options.env), ...secretValuesOf(options.serverEnv ?? {})]);
  for (const value of Object.values(options.headers ?? {})) {
    values.add(value);
    const token = value.replace(/^\s*(Bearer|Basic|token)\s+/i, "");
    values.add(token);
  }
  // Longest first, so a value containing another is hidden whole.
  const secrets = [...values].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
    return out.replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  };
}
