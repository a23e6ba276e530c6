/**
 * Hiding secrets in text before anyone sees it: the printers, `--json`, and tool results
 * on their way to the model. What counts as a secret is core/secrets; this module only
 * finds and replaces.
 *
 * Guarantee per call: `text(s)` replaces every known secret (at least MIN_SECRET_LENGTH
 * long) and every credential-shaped match that lies wholly inside `s`. It knows nothing
 * of the text before or after `s`, so a secret split across two calls (two streamed
 * deltas) is not recognised in either half: streams go through `createRedactingStream`,
 * which holds back the tail that could be the start of one.
 */

import { MIN_SECRET_LENGTH, SECRET_VALUE_PATTERNS } from "./secrets.js";

export const REDACTED = "[REDACTED]";

export interface Redactor {
  /** `s` with every known secret and credential-shaped match replaced by [REDACTED]. */
  text(s: string): string;
  /** A copy of `v` with `text` applied to every string inside plain objects and arrays. */
  value<T>(v: T): T;
  /** Hides `secret` from now on (ignored when shorter than MIN_SECRET_LENGTH). */
  add(secret: string): void;
}

/**
 * A token that follows a credential label. It must contain a digit and be at least 12
 * characters: `x-api-key: apiKey` or `Bearer ${token}` in source code is not a secret and
 * must reach the model unchanged, or its edits to that line would never match.
 */
const TOKEN = String.raw`(?![$<{%\[])(?=[^\s"',;]*\d)[^\s"',;]{12,}`;

/** A URL password that is a placeholder (`${PASS}`, `<password>`, `***`), not a secret. */
const PLACEHOLDER = /^(?:[$<{%[]|\*+$|x+$)/i;

interface Rule {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const RULES: readonly Rule[] = [
  ...SECRET_VALUE_PATTERNS.map((pattern) => ({ pattern, replace: () => REDACTED })),
  // `scheme://user:PASS@`: the user name stays, so the URL is still recognisable.
  {
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s/@]+)@/gi,
    replace: (match, head: string, pass: string) => (PLACEHOLDER.test(pass) ? match : `${head}${REDACTED}@`),
  },
  // Header echoes in SDK errors and curl -v output: `Authorization: Bearer …`, `x-api-key: …`.
  {
    pattern: new RegExp(String.raw`\b((?:bearer|basic)\s+)${TOKEN}`, "gi"),
    replace: (_m, head: string) => head + REDACTED,
  },
  {
    pattern: new RegExp(
      String.raw`\b((?:x-)?api[-_]?key|x-goog-api-key|x-auth-token)(["']?\s*[:=]\s*["']?)${TOKEN}`,
      "gi",
    ),
    replace: (_m, name: string, sep: string) => name + sep + REDACTED,
  },
  // Query parameters that carry credentials (`?key=…`, `&access_token=…`).
  {
    pattern: /([?&](?:api[-_]?key|key|token|access[-_]?token|auth|password|secret)=)(?![$<{%[])[^&#\s"']{8,}/gi,
    replace: (_m, head: string) => head + REDACTED,
  },
];

export function createRedactor(secrets: Iterable<string>): Redactor {
  /** Longest first, so a secret that contains another is replaced whole. */
  let known: string[] = [];
  const add = (secret: string) => {
    for (const candidate of new Set([secret, secret.trim()])) {
      if (candidate.length < MIN_SECRET_LENGTH || known.includes(candidate)) continue;
      known = [...known, candidate].sort((a, b) => b.length - a.length);
    }
  };
  for (const secret of secrets) add(secret);

  const text = (s: string): string => {
    let out = s;
    // indexOf per secret is far faster than one alternation regex over a large text.
    for (const secret of known) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return redactPatterns(out);
  };
  const value = <T>(v: T): T => deepMap(v, text) as T;
  return { text, value, add };
}

/** Only the credential shapes, for text where no known secrets are at hand. */
export function redactPatterns(s: string): string {
  let out = s;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    if (!rule.pattern.test(out)) continue;
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
}

function deepMap(v: unknown, map: (s: string) => string): unknown {
  if (typeof v === "string") return map(v);
  if (Array.isArray(v)) return v.map((item) => deepMap(item, map));
  if (typeof v === "object" && v !== null) {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) out[key] = deepMap(item, map);
    return out;
  }
  return v;
}

export interface RedactingStream {
  /** Takes the next delta; returns the text now safe to show (often all but the last word or two). */
  push(delta: string): string;
  /** Everything still held back, redacted: call at the end of the stream or before other output. */
  flush(): string;
}

/** Most characters a stream holds back; longer secrets (PEM blocks aside) may be cut. */
const MAX_HOLD = 512;
/** An unfinished PEM private key is held until its END line, up to this size. */
const MAX_PEM_HOLD = 16_384;
const PEM_BEGIN = /-----BEGIN [A-Z ]*PRIVATE KEY-----/g;
const PEM_END = /-----END [A-Z ]*PRIVATE KEY-----/;

/**
 * Redaction for text that arrives in pieces. A credential has no whitespace inside, and a
 * label such as `Bearer` or `x-api-key:` is one word before it, so the last two words are
 * held back until more text (or the end) arrives; the cut also moves back past any match
 * it would split (checked by redacting both sides against the whole). No secret of up to
 * MAX_HOLD characters, and no PEM private key, is ever shown in part. The lag is a word or
 * two of prose.
 */
export function createRedactingStream(redact: (s: string) => string): RedactingStream {
  let held = "";
  return {
    push(delta) {
      held += delta;
      const cut = safeCut(held, redact);
      if (cut === 0) return "";
      const ready = held.slice(0, cut);
      held = held.slice(cut);
      return redact(ready);
    },
    flush() {
      const rest = held;
      held = "";
      return rest === "" ? "" : redact(rest);
    },
  };
}

/** Where text can be cut so that what comes before can be shown now. */
function safeCut(text: string, redact: (s: string) => string): number {
  let cut = wordStart(text, wordStart(text, text.length));
  const pem = pemAcross(text, cut);
  if (pem !== undefined && text.length - pem <= MAX_PEM_HOLD) return pem;
  const floor = Math.max(0, text.length - MAX_HOLD);
  cut = Math.max(cut, floor);
  if (cut > 0) {
    const whole = redact(text);
    while (cut > floor && redact(text.slice(0, cut)) + redact(text.slice(cut)) !== whole) {
      cut = Math.max(floor, wordStart(text, cut));
    }
  }
  // Never split a surrogate pair.
  if (cut > 0 && cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return cut;
}

/** Start of the word before `end` (trailing whitespace belongs to the word before it). */
function wordStart(text: string, end: number): number {
  let i = end;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Start of the last PEM private key that is unfinished or whose END lies after `cut`. */
function pemAcross(text: string, cut: number): number | undefined {
  PEM_BEGIN.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) last = m;
  if (!last || last.index >= cut) return undefined;
  const end = PEM_END.exec(text.slice(last.index));
  if (end && last.index + end.index + end[0].length <= cut) return undefined;
  return last.index;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
