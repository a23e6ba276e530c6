/**
 * Model-controlled and project-controlled text made safe to print on a terminal. An
 * escape sequence can recolour, move the cursor, retitle the window or clear the screen;
 * a carriage return can overwrite the start of a line (`echo safe\rrm -rf ~` shows only
 * the second half); a bidi override can reorder what a command appears to say. Every
 * such character becomes a visible escape (`\x1b`, `\r`, `\u202e`), so what is printed is
 * what is there.
 */

export interface EscapeControlOptions {
  /** Keep "\n" (and "\r\n", which overwrites nothing) as line breaks. */
  keepNewlines?: boolean;
  /** Keep "\t". */
  keepTabs?: boolean;
}

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** C0 controls, DEL, C1 controls and the bidi embedding/override/isolate characters. */
const CONTROL_CLASS = "\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069";

const PATTERNS = new Map<string, RegExp>();

function patternFor(keepNewlines: boolean, keepTabs: boolean): RegExp {
  const key = `${keepNewlines}${keepTabs}`;
  let pattern = PATTERNS.get(key);
  if (!pattern) {
    // A kept "\n" is excluded from the class; "\r\n" is matched as a pair and kept whole.
    const crlf = keepNewlines ? "\\r\\n|" : "";
    const except = `${keepNewlines ? "\\n" : ""}${keepTabs ? "\\t" : ""}`;
    const cls = except === "" ? `[${CONTROL_CLASS}]` : `(?![${except}])[${CONTROL_CLASS}]`;
    pattern = new RegExp(`${crlf}${cls}`, "g");
    PATTERNS.set(key, pattern);
  }
  return pattern;
}

export function escapeControl(text: string, options: EscapeControlOptions = {}): string {
  const pattern = patternFor(options.keepNewlines === true, options.keepTabs === true);
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, visible);
}

function visible(ch: string): string {
  if (ch === "\r\n") return ch;
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
