/**
 * Turn carry-over within a session: what the model is told about earlier tasks before a
 * new one, and how a bare "yes" is tied to the question it answers. Deterministic and
 * capped: the summary is a fixed share of the window however long the session runs, and
 * newer turns keep more detail because the next task most likely builds on them.
 */
import type { TaskStatus } from "../core/types.js";

export interface CompletedTurn {
  task: string;
  answer: string;
  filesChanged: string[];
  toolCalls: number;
  status: TaskStatus;
}

export interface CarryOverOptions {
  /** The model's context window in tokens. */
  contextTokens: number;
  count: (text: string) => number;
  /** Largest share of the window the summary may take; default 0.25. */
  maxShare?: number;
}

export const DEFAULT_CARRY_OVER_SHARE = 0.25;

/** Detail levels, richest first; a turn is demoted one level at a time, oldest first, until the summary fits. */
const LEVELS = [
  { task: 600, answer: 1200, files: 10 },
  { task: 200, answer: 300, files: 5 },
  { task: 100, answer: 0, files: 3 },
] as const;
type Level = 0 | 1 | 2;
/** How many of the newest turns start at each richer level; everything older starts as one line. */
const START_FULL = 2;
const START_MEDIUM = 3;
const HEADER = "Earlier in this session (oldest first):";

export function summariseEarlierTurns(turns: CompletedTurn[], options: CarryOverOptions): string {
  const share = Math.min(Math.max(options.maxShare ?? DEFAULT_CARRY_OVER_SHARE, 0), 1);
  const budget = Math.floor(options.contextTokens * share);
  if (turns.length === 0 || budget <= 0) return "";
  const { count } = options;

  // Index 0 is the newest turn: priority runs newest → oldest, output runs oldest → newest.
  const newestFirst = turns.map((turn, i) => ({ turn, number: i + 1 })).reverse();
  const levels: Level[] = newestFirst.map((_, i) => (i < START_FULL ? 0 : i < START_FULL + START_MEDIUM ? 1 : 2));
  const cache = new Map<string, { text: string; tokens: number }>();
  const part = (i: number) => {
    const key = `${i}:${levels[i]}`;
    let hit = cache.get(key);
    if (!hit) {
      const text = renderTurn(newestFirst[i].turn, newestFirst[i].number, levels[i]);
      hit = { text, tokens: count(text) };
      cache.set(key, hit);
    }
    return hit;
  };
  let kept = newestFirst.length;
  const render = () => {
    const omitted = newestFirst.length - kept;
    const lines = [HEADER];
    if (omitted > 0) lines.push(`(${omitted} earlier turn${omitted === 1 ? "" : "s"} not shown)`);
    for (let i = kept - 1; i >= 0; i--) lines.push(part(i).text);
    return lines.join("\n");
  };
  /**
   * One step smaller: demote the oldest turn that can shrink (the newest keeps at least
   * the medium level), then drop the oldest one-liners, then flatten the newest turn.
   * False when nothing is left to show.
   */
  const shrink = (): boolean => {
    for (let i = kept - 1; i >= 0; i--) {
      if (levels[i] < (i === 0 ? 1 : 2)) {
        levels[i] = (levels[i] + 1) as Level;
        return true;
      }
    }
    if (kept > 1) {
      kept--;
      return true;
    }
    if (kept === 1 && levels[0] < 2) {
      levels[0] = 2;
      return true;
    }
    kept = 0;
    return false;
  };

  // Per-part sums make the common case cheap (no re-tokenising the whole summary per step);
  // the final loop checks the joined text, because token counts are not exactly additive.
  const estimate = () =>
    count(HEADER) + 12 + Array.from({ length: kept }, (_, i) => part(i).tokens + 1).reduce((a, b) => a + b, 0);
  while (estimate() > budget) if (!shrink()) break;
  while (kept > 0) {
    const text = render();
    if (count(text) <= budget) return text;
    if (!shrink()) break;
  }
  return "";
}

function renderTurn(turn: CompletedTurn, number: number, level: Level): string {
  const limits = LEVELS[level];
  const tools = `${turn.toolCalls} tool call${turn.toolCalls === 1 ? "" : "s"}`;
  const files = listFiles(turn.filesChanged, limits.files);
  if (level === 2) {
    const changed = files ? `; changed ${files}` : "";
    return `- Turn ${number} [${turn.status}]: ${clip(oneLine(turn.task), limits.task)}${changed}`;
  }
  const meta = `${turn.status}, ${tools}${files ? `, changed ${files}` : ""}`;
  const answer =
    level === 0 ? headAndTail(tidy(turn.answer), limits.answer) : clip(oneLine(turn.answer), limits.answer);
  return [
    `- Turn ${number} (${meta})`,
    `  User: ${clip(oneLine(turn.task), limits.task)}`,
    ...(answer ? [`  You: ${answer.replace(/\n/g, "\n  ")}`] : []),
  ].join("\n");
}

function listFiles(files: string[], max: number): string {
  if (files.length === 0) return "";
  const shown = files.slice(0, max).join(", ");
  return files.length > max ? `${shown} (+${files.length - max} more)` : shown;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Keeps line breaks (lists, code) but not runs of blank lines or trailing spaces. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "";
  const cut = text.slice(0, max - 1);
  const word = cut.lastIndexOf(" ");
  return `${word > max / 2 ? cut.slice(0, word) : cut}…`;
}

/** Answers open with what was done and close with what is next (often a question); the middle goes first. */
function headAndTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.6);
  const tail = max - head - 3;
  return `${text.slice(0, head).trimEnd()} … ${text.slice(text.length - tail).trimStart()}`;
}

/* ------------------------------------------------------------------ short replies */

/** Words a reply to "shall I…?" or "which option?" is made of; anything else is a new instruction. */
const REPLY_WORDS = new Set(
  (
    "yes yeah yep yup y ya sure ok okay k alright fine right correct exactly agreed absolutely definitely " +
    "no nope nah n not don't dont neither none never " +
    "go ahead do it that this those these please pls proceed continue carry on sounds good great perfect " +
    "lgtm thanks thank you both all one first second third fourth fifth last option options number choice " +
    "the a b c d e i'd id like prefer go with take pick let's lets and also with for now just yes, approve " +
    "approved confirm confirmed cancel stop skip keep it's its is fine, works me"
  ).split(" "),
);
/** A reply starting with one of these answers the question even when it goes on ("yes, but keep the old name"). */
const LEADING_REPLY =
  /^(yes|yeah|yep|sure|ok|okay|no|nope|go ahead|do it|option\s*\d|please do|sounds good|lgtm|correct|right)\b/i;
const MAX_SHORT_REPLY_CHARS = 60;
const MAX_SHORT_REPLY_WORDS = 8;
const MAX_LEADING_REPLY_WORDS = 6;

export function isShortReply(reply: string): boolean {
  const text = reply.trim();
  if (text === "" || text.length > MAX_SHORT_REPLY_CHARS || text.includes("\n")) return false;
  const words = text.toLowerCase().match(/[\p{L}\p{N}'#]+/gu) ?? [];
  if (words.length === 0) return false;
  if (LEADING_REPLY.test(text) && words.length <= MAX_LEADING_REPLY_WORDS) return true;
  if (words.length > MAX_SHORT_REPLY_WORDS) return false;
  return words.every((w) => REPLY_WORDS.has(w) || /^#?\d+$/.test(w) || /^\d+(st|nd|rd|th)$/.test(w));
}

/** A numbered, lettered or "Option N" line: one of the choices the last answer offered. */
const OPTION_LINE = /^\s*(?:\*\*)?(?:option\s+)?(?:\(?(\d+|[a-e])[.):]|(\d+)\s*[-–—])\s*(?:\*\*)?\s*(.+)$/i;
const ORDINALS = ["first", "second", "third", "fourth", "fifth"];
/** Closing lines that invite a choice without a question mark: "Let me know which you prefer." */
const CHOICE_PROMPT =
  /\b(let me know|which (one|option|approach)|would you (like|prefer)|do you want|prefer|choose|pick)\b/i;

export function interpretShortReply(reply: string, lastAnswer: string | undefined): string {
  if (!lastAnswer || !isShortReply(reply)) return reply;
  const question = findQuestion(lastAnswer);
  if (!question) return reply;
  const quotedReply = reply.trim();
  let text = `The user answered "${quotedReply}" to your question: "${question.text}"`;
  const chosen = question.options.length > 0 ? pickOption(quotedReply, question.options) : undefined;
  if (chosen) text += ` (that is option ${chosen.label}: "${chosen.text}")`;
  return `${text}. Proceed accordingly.`;
}

export interface Question {
  text: string;
  options: { label: string; text: string }[];
}

/** The question the answer ends on: a final sentence with "?", or a list of options with a prompt to choose. */
export function findQuestion(answer: string): Question | undefined {
  const lines = answer
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim());
  // Options are the last run of list lines, optionally followed by a short closing line.
  let end = lines.length;
  while (end > 0 && lines[end - 1] === "") end--;
  let closing = end;
  if (closing > 0 && !OPTION_LINE.test(lines[closing - 1])) closing--;
  let first = closing;
  while (first > 0 && (OPTION_LINE.test(lines[first - 1]) || (lines[first - 1] === "" && first < closing))) first--;
  while (first < closing && lines[first] === "") first++;
  const options = lines
    .slice(first, closing)
    .map((l) => l.match(OPTION_LINE))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ label: (m[1] ?? m[2]).toLowerCase(), text: clip(m[3].replace(/\*\*/g, "").trim(), 120) }));

  const hasOptions = options.length >= 2;
  const before = hasOptions ? lines.slice(0, first) : [];
  const after = hasOptions ? lines.slice(closing, end) : lines.slice(0, end);
  // With options the question may sit before them ("Which do you prefer?\n1. …") or after ("…\nWhich one?").
  const candidates = hasOptions ? [after.join(" "), before.join(" ")] : [after.join(" ")];
  for (const candidate of candidates) {
    const q = lastQuestion(candidate);
    if (q) return { text: q, options: hasOptions ? options : [] };
  }
  if (!hasOptions) return undefined;
  const intro = [...before].reverse().find((l) => l !== "");
  const prompt = [after.join(" "), intro ?? ""].find((l) => CHOICE_PROMPT.test(l) || l.endsWith(":"));
  return prompt ? { text: clip(oneLine(prompt), 300), options } : undefined;
}

/** A closing remark after the question ("Just say the word.") still leaves the question open. */
const MAX_AFTER_QUESTION = 80;

/** The sentence ending in the text's last "?", when at most a short remark follows it. */
function lastQuestion(text: string): string | undefined {
  const flat = oneLine(text);
  // A "?" in code (`a?.b`, `x ? y : z`) asks nothing: only marks outside inline code that end a word count.
  const code = [...flat.matchAll(/`[^`]*`/g)].map((m) => [m.index, m.index + m[0].length]);
  const marks = [...flat.matchAll(/\?(?=[*_`"')\]]*(\s|$))/g)].filter(
    (m) => !code.some(([from, to]) => m.index > from && m.index < to),
  );
  const last = marks[marks.length - 1];
  if (last?.index === undefined || flat.length - last.index - 1 > MAX_AFTER_QUESTION) return undefined;
  const body = flat.slice(0, last.index);
  const start = Math.max(
    body.lastIndexOf(". "),
    body.lastIndexOf("! "),
    body.lastIndexOf("? "),
    body.lastIndexOf(": "),
  );
  const sentence = `${flat.slice(start < 0 ? 0 : start + 2, last.index)}?`.replace(/^[*_`"'(\s]+/, "");
  return clip(sentence, 300);
}

function pickOption(reply: string, options: Question["options"]): Question["options"][number] | undefined {
  const text = reply.toLowerCase();
  const digit = text.match(/\b(\d+)\b/)?.[1];
  if (digit) return options.find((o) => o.label === digit);
  const ordinal = ORDINALS.findIndex((o) => new RegExp(`\\b${o}\\b`).test(text));
  if (ordinal >= 0) return options[ordinal];
  if (/\blast\b/.test(text)) return options[options.length - 1];
  const letter = text.match(/(?:^|option\s+|\()([a-e])(?:\)|\b)/)?.[1];
  return letter ? options.find((o) => o.label === letter) : undefined;
}
