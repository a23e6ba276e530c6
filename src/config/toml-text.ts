/** Writing TOML by hand (config edits are surgical, see write.ts): keys and strings escaped per TOML 1.0. */

/** A basic string: quotes, backslashes and control characters escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0").toUpperCase()}`;
    // A lone surrogate cannot be written in TOML (or UTF-8).
    else if (code >= 0xd800 && code <= 0xdfff) out += "\uFFFD";
    else out += ch;
  }
  return `${out}"`;
}

/** A key as it would be written in TOML: bare when possible, quoted otherwise. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}
