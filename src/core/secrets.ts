/**
 * What counts as a secret, in one place: the clean command environment (exec/) removes
 * these variables, and the redactor (core/redact) hides their values wherever text is
 * printed or stored. Names are judged by shape because users' own variables
 * (`STRIPE_SECRET`, `GH_TOKEN`, `PGPASSWORD`) are unknown to us in advance.
 */

/** Variable names whose values are credentials. Matched case-insensitively against the whole name. */
const SECRET_NAME_PATTERNS: readonly RegExp[] = [
  /(^|_)(API_?)?KEYS?$/i, // OPENAI_API_KEY, STRIPE_KEY, AWS_ACCESS_KEYS
  /(^|_)TOKENS?$/i, // GITHUB_TOKEN, NPM_TOKEN
  /SECRET/i, // AWS_SECRET_ACCESS_KEY, CLIENT_SECRET
  /PASSWORD|PASSWD|PASSPHRASE/i, // PGPASSWORD, DB_PASSWORD
  /(^|_)CREDENTIALS?$/i, // GOOGLE_APPLICATION_CREDENTIALS (a path, but a path to a key file)
  /(^|_)(PAT|AUTH|COOKIE|SESSION)$/i, // GITLAB_PAT, NPM_AUTH, …_SESSION
  /PRIVATE_?KEY/i,
];

/** Names that match a pattern above but hold no secret and that tools need. */
const NOT_SECRET_NAMES: ReadonlySet<string> = new Set([
  "SSH_AUTH_SOCK",
  "GPG_TTY",
  "KEYTIMEOUT",
  "TOKENIZERS_PARALLELISM",
]);

export function isSecretName(name: string): boolean {
  if (NOT_SECRET_NAMES.has(name.toUpperCase())) return false;
  return SECRET_NAME_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * Shapes of well-known credentials, wherever they appear in text (an SDK error echoing a
 * header, a command printing a config file). Each is specific enough not to match code.
 */
export const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g, // Anthropic
  /\bsk-(?:proj-|or-v1-|or-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, OpenRouter
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google / Gemini
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bnpm_[A-Za-z0-9]{30,}/g,
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/** Values shorter than this are never treated as secrets to search for: "abc" would mangle every message. */
export const MIN_SECRET_LENGTH = 8;

/** True when the value has the shape of a known credential (used for variables with innocent names). */
export function looksLikeSecretValue(value: string): boolean {
  return SECRET_VALUE_PATTERNS.some((pattern) => {
    pattern.lastIndex = 0;
    return pattern.test(value);
  });
}

/** A URL carrying a password (`postgres://user:pass@host/db`): the whole value is a secret. */
export function hasUrlCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value.trim());
}

/**
 * The values of an environment that must never be shown: every variable with a secret
 * name, a credential-shaped value or a URL with a password, at least MIN_SECRET_LENGTH long.
 */
export function secretValuesOf(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    if (isSecretName(name) || looksLikeSecretValue(value) || hasUrlCredentials(value)) values.add(value);
  }
  return [...values];
}
