/**
 * The one truncation module. Every tool that can produce more text than a model turn
 * should carry uses these limits and notices, so a cut always names the exact call that
 * gets the rest (`recall {"tool_call_id":"call_7"}`).
 *
 * Command output is summarised error-first: the first few lines (what ran), the lines
 * that look like errors or warnings (what broke, often buried mid-output), and most of
 * the budget on the tail (the final status). The collector streams, so a command that
 * prints gigabytes keeps only bounded state.
 */

export const OUTPUT_LIMITS = {
  /** Lines the model sees for one call, markers and notices included. */
  maxLines: 200,
  /** Characters the model sees for one call, so one enormous line cannot blow the budget. */
  maxChars: 16_000,
  /** Leading lines always kept. */
  headLines: 5,
  /** Error/warning lines from the cut middle that are kept (errors first). */
  maxNotableLines: 40,
  /** One output line longer than this is clipped. */
  maxLineChars: 2_000,
  /** Full text kept for `recall`; past this the stored copy is cut too (and says so). */
  maxStoredChars: 8_000_000,
} as const;

const ERROR_LINE = /\berror\b|Error|ERROR|FAIL|panic|Traceback|[Ee]xception/;
const WARNING_LINE = /\bwarning\b|WARN/i;
// Colour and cursor sequences: noise for a model and for token counts.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

// Other control characters (NUL and friends from binary output): invisible or harmful in
// a model's context and rejected by some providers, so they are shown as U+FFFD.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** The call that returns a stored output in full. One spelling everywhere. */
export function recallCall(callId: string): string {
  return `recall {"tool_call_id":${JSON.stringify(callId)}}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Clips one line to `max` characters, never splitting a surrogate pair. */
export function clipLine(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * What a terminal would show for one raw line: escapes removed, `\r` progress overwrites
 * collapsed, other control characters replaced.
 */
export function normaliseLine(raw: string): string {
  let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (line.includes("\u001b")) line = line.replace(ANSI, "");
  const cr = line.lastIndexOf("\r");
  if (cr >= 0) {
    const parts = line.split("\r").filter((p) => p !== "");
    line = parts[parts.length - 1] ?? "";
  }
  return line.replace(CONTROL, "\ufffd");
}

export interface OutputLine {
  /** 0-based line index in the whole output. */
  n: number;
  text: string;
}

export interface CollectedOutput {
  lineCount: number;
  totalChars: number;
  head: OutputLine[];
  errors: OutputLine[];
  warnings: OutputLine[];
  /** The last `maxLines` lines. */
  tail: OutputLine[];
  /** Every line up to `maxStoredChars`; `fullComplete` says whether that is all of it. */
  full: string;
  fullComplete: boolean;
  /** True when some line was longer than `maxLineChars`. */
  longLines: boolean;
}

export interface OutputCollector {
  /** Feeds decoded text; `stream` keeps partial lines of stdout and stderr apart. */
  write(text: string, stream?: number): void;
  end(): CollectedOutput;
}

/** Streams output into bounded state: head, notable lines, a rolling tail, and the stored full text. */
export function createOutputCollector(): OutputCollector {
  const L = OUTPUT_LIMITS;
  const pending = new Map<number, string>();
  const head: OutputLine[] = [];
  const errors: OutputLine[] = [];
  const warnings: OutputLine[] = [];
  const tail: OutputLine[] = [];
  const fullParts: string[] = [];
  let storedChars = 0;
  let fullComplete = true;
  let lineCount = 0;
  let totalChars = 0;
  let longLines = false;

  const addLine = (raw: string) => {
    const normalised = normaliseLine(raw);
    if (normalised.length > L.maxLineChars) longLines = true;
    const line: OutputLine = { n: lineCount, text: clipLine(normalised, L.maxLineChars) };
    lineCount += 1;
    totalChars += normalised.length + 1;
    if (fullComplete) {
      if (storedChars + normalised.length + 1 <= L.maxStoredChars) {
        fullParts.push(normalised);
        storedChars += normalised.length + 1;
      } else {
        fullComplete = false;
      }
    }
    if (head.length < L.headLines) {
      head.push(line);
      return;
    }
    if (ERROR_LINE.test(line.text)) {
      if (errors.length < L.maxNotableLines) errors.push(line);
    } else if (WARNING_LINE.test(line.text) && warnings.length < L.maxNotableLines) {
      warnings.push(line);
    }
    tail.push(line);
    if (tail.length > L.maxLines) tail.shift();
  };

  return {
    write(text, stream = 0) {
      const joined = (pending.get(stream) ?? "") + text;
      const parts = joined.split("\n");
      let rest = parts.pop() ?? "";
      for (const part of parts) addLine(part);
      // A line with no newline in sight is still bounded: keep its start, drop the rest.
      if (rest.length > L.maxLineChars * 4) {
        addLine(rest);
        rest = "";
      }
      pending.set(stream, rest);
    },
    end() {
      for (const rest of pending.values()) if (rest !== "") addLine(rest);
      pending.clear();
      return {
        lineCount,
        totalChars,
        head,
        errors,
        warnings,
        tail,
        full: fullParts.join("\n"),
        fullComplete,
        longLines,
      };
    },
  };
}

export interface Summary {
  text: string;
  /** False when `text` is the whole output unchanged. */
  cut: boolean;
}

/**
 * Tighter limits for one summary (hook output gets 50 lines), and what the cut notice
 * offers instead of a recall call when the full text is not stored.
 */
export interface SummaryLimits {
  maxLines?: number;
  maxChars?: number;
  /** Replaces `recall {...} for all of it` in the notice, e.g. "run `tsc` with bash for all of it". */
  more?: string;
}

/**
 * Renders collected output for the model within the limits. `reservedLines` are lines
 * the caller adds around it (a status line); the recall notice is included here.
 */
export function summariseOutput(
  out: CollectedOutput,
  callId: string,
  reservedLines = 1,
  limits: SummaryLimits = {},
): Summary {
  const L = OUTPUT_LIMITS;
  const maxLines = Math.min(limits.maxLines ?? L.maxLines, L.maxLines);
  const maxChars = Math.min(limits.maxChars ?? L.maxChars, L.maxChars);
  const fits =
    out.fullComplete && !out.longLines && out.lineCount + reservedLines <= maxLines && out.totalChars <= maxChars;
  if (fits) return { text: out.full, cut: false };

  // Budget: head + up to two markers + notable + tail + the notice line.
  const bodyBudget = maxLines - reservedLines - 3;
  const head = out.head.slice(0, Math.min(L.headLines, bodyBudget));
  const afterHead = head.length;
  // Notable lines never take more than half the lines: the tail holds the final status.
  let notable = pickNotable(out, afterHead).slice(0, Math.max(1, Math.floor(bodyBudget / 2)));
  let tailCount = Math.max(0, bodyBudget - head.length - notable.length);
  let tailStart = Math.max(afterHead, out.lineCount - tailCount);
  notable = notable.filter((l) => l.n < tailStart);
  tailCount = Math.max(0, bodyBudget - head.length - notable.length);
  tailStart = Math.max(afterHead, out.lineCount - tailCount);
  let tail = out.tail.filter((l) => l.n >= tailStart);

  // Characters: give up the oldest tail lines first, then notable lines, then head.
  const size = (lines: OutputLine[]) => lines.reduce((sum, l) => sum + l.text.length + 1, 0);
  let chars = size(head) + size(notable) + size(tail);
  const budget = maxChars - Math.min(400, Math.floor(maxChars / 10));
  while (chars > budget && tail.length > 1) chars -= (tail.shift() as OutputLine).text.length + 1;
  while (chars > budget && notable.length > 0) chars -= (notable.pop() as OutputLine).text.length + 1;
  if (chars > budget && tail.length === 1) {
    const only = tail[0];
    tail = [{ n: only.n, text: clipLine(only.text, Math.max(200, budget - size(head) - size(notable))) }];
  }

  const lines: string[] = head.map((l) => l.text);
  const firstTail = tail.length > 0 ? tail[0].n : out.lineCount;
  const cutCount = firstTail - afterHead;
  if (cutCount > 0) {
    const kept = notable.length > 0 ? `; ${notable.length} error/warning lines from them follow` : "";
    lines.push(`[… ${formatCount(cutCount)} lines cut${kept}]`);
    for (const l of notable) lines.push(`${l.n + 1}: ${l.text}`);
    if (notable.length > 0) lines.push(`[… last ${formatCount(tail.length)} lines:]`);
  }
  for (const l of tail) lines.push(l.text);

  const shownLines = head.length + notable.length + tail.length;
  const what =
    shownLines < out.lineCount
      ? `${formatCount(shownLines)} of ${formatCount(out.lineCount)} lines shown`
      : `long lines clipped, ${formatCount(out.totalChars)} chars in all`;
  if (limits.more !== undefined) {
    lines.push(`[output cut: ${what}; ${limits.more}]`);
    return { text: lines.join("\n"), cut: true };
  }
  const scope = out.fullComplete ? "for all of it" : `for the first ${formatCount(L.maxStoredChars)} chars`;
  lines.push(`[output cut: ${what}; ${recallCall(callId)} ${scope}]`);
  return { text: lines.join("\n"), cut: true };
}

/** Error lines first, then warnings, in output order, from after the head. */
function pickNotable(out: CollectedOutput, afterHead: number): OutputLine[] {
  const L = OUTPUT_LIMITS;
  const errors = out.errors.filter((l) => l.n >= afterHead).slice(0, L.maxNotableLines);
  const room = L.maxNotableLines - errors.length;
  const warnings = out.warnings.filter((l) => l.n >= afterHead).slice(0, room);
  return [...errors, ...warnings].sort((a, b) => a.n - b.n);
}

/** Summarises a complete text (hook output, tests) through the same path as streamed output. */
export function summariseText(text: string, callId: string, reservedLines = 0, limits: SummaryLimits = {}): Summary {
  const collector = createOutputCollector();
  collector.write(text);
  return summariseOutput(collector.end(), callId, reservedLines, limits);
}
