/**
 * Text from the model or the project (paths, commands, answers) made safe to print:
 * control characters become visible escapes, so an escape sequence in a file name cannot
 * clear the screen and a carriage return cannot hide the real command behind a harmless one.
 */
export interface EscapeOptions {
  keepNewlines?: boolean;
  keepTabs?: boolean;
}

// C0 controls, DEL, C1 controls, and the bidi overrides that can reorder what is shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string, options: EscapeOptions = {}): string {
  return text.replace(UNSAFE, (ch) => {
    if (ch === "\n" && options.keepNewlines) return ch;
    if (ch === "\t" && options.keepTabs) return ch;
    if (ch === "\r") return "\\r";
    if (ch === "\n") return "\\n";
    if (ch === "\t") return "\\t";
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
