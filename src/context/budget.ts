/**
 * The proactive token budget, run before every model call. It keeps the history the
 * model sees under a fixed share of the window from the start, instead of letting it
 * balloon and compacting at 90%. Three deterministic passes, cheapest loss first:
 *
 * 1. compress old tool results to one line (recallable: the output store keeps them);
 * 2. drop the oldest whole turns, leaving a note after the task;
 * 3. only if the history would not fit the real window at all, compress even the newest
 *    results (a request that overflows fails outright, which is worse than a summary).
 *
 * Contract with the agent: it replaces its history with `result.messages`. Compression
 * is therefore persistent and monotone (prompt caches stay valid between compressions),
 * and applying the budget to its own output changes nothing.
 */
import type { Message, ToolCall, ToolMessage } from "../core/types.js";
import { compressedContent, isCompressed, isProtectedFailure } from "./compress.js";

export interface BudgetInput {
  messages: Message[];
  /** System prompt + tool schemas + preamble, already counted. */
  fixedTokens: number;
  /** The model's context window (the served one, when an overflow error taught us it). */
  contextTokens: number;
  /** Share of the window the whole request aims to stay under (default 0.5). */
  targetShare?: number;
  count: (text: string) => number;
  /** True once an earlier call returned a `notice`; the agent keeps this flag. */
  noticeAlreadyGiven?: boolean;
  /** Texts that must outlive dropped turns (plan step, conventions digest); repeated in the note. */
  pinned?: string[];
  /** Project-relative paths changed so far; listed in the note when turns are dropped. */
  filesTouched?: string[];
}

export interface BudgetResult {
  /** A new array; the input messages are never mutated. */
  messages: Message[];
  /** Tokens of the messages alone (not `fixedTokens`), before and after. */
  tokensBefore: number;
  tokensAfter: number;
  /** Tokens the messages may use. */
  budget: number;
  /** Results compressed by this call. */
  compressed: number;
  /** Messages dropped by this call. */
  dropped: number;
  /**
   * Set the first time anything is compressed. It is already appended (on its own line)
   * to the oldest result compressed in this call, so no message is added; the agent only
   * records that it was given (pass `noticeAlreadyGiven: true` from then on) and may show it.
   */
  notice?: string;
  /** Still over `budget` after every pass. */
  overBudget: boolean;
}

export const DEFAULT_TARGET_SHARE = 0.5;
/** Share of the window kept free for the reply (see replyReserve). */
export const REPLY_RESERVE_SHARE = 0.15;
export const REPLY_RESERVE_MIN = 512;
/** Role and framing tokens every message costs on the wire, whatever its text. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export const COMPRESSION_NOTICE =
  "[note: older tool outputs are compressed to one line to save context; call recall with the tool_call_id shown to see one in full.]";

const NOTE_PREFIX = "[context: ";

/**
 * Tokens kept free for the reply: 15% of the window, at least 512, never more than half
 * the window. A share, not a fixed count, so an 8k local model keeps ~1.2k for its answer
 * and still has room for history, while a 200k model keeps 30k.
 */
export function replyReserve(contextTokens: number): number {
  const reserve = Math.max(REPLY_RESERVE_MIN, Math.ceil(contextTokens * REPLY_RESERVE_SHARE));
  return Math.min(reserve, Math.floor(contextTokens / 2));
}

/**
 * Tokens the messages may use: min(floor(window × share), window − reply reserve) − fixed,
 * never negative. The reserve only bites when `targetShare` is set above 0.85.
 */
export function messageBudget(contextTokens: number, fixedTokens: number, targetShare = DEFAULT_TARGET_SHARE): number {
  const target = Math.min(Math.floor(contextTokens * targetShare), contextTokens - replyReserve(contextTokens));
  return Math.max(0, target - fixedTokens);
}

/** What one message costs: its text, its tool calls' names and arguments, and framing. */
export function messageTokens(message: Message, count: (text: string) => number): number {
  let tokens = MESSAGE_OVERHEAD_TOKENS + count(message.content);
  if (message.role === "assistant") {
    for (const call of message.toolCalls ?? []) tokens += MESSAGE_OVERHEAD_TOKENS + count(call.name + callArgs(call));
  }
  return tokens;
}

export function applyBudget(input: BudgetInput): BudgetResult {
  const { count } = input;
  const budget = messageBudget(input.contextTokens, input.fixedTokens, input.targetShare);
  const hardLimit = Math.max(0, input.contextTokens - replyReserve(input.contextTokens) - input.fixedTokens);
  if (input.messages.length === 0) {
    return { messages: [], tokensBefore: 0, tokensAfter: 0, budget, compressed: 0, dropped: 0, overBudget: false };
  }
  const work: Message[] = [...input.messages];
  const sizes = work.map((m) => messageTokens(m, count));
  const tokensBefore = sum(sizes);
  let total = tokensBefore;

  const calls = indexCalls(work);
  const lastAssistant = findLastIndex(work, (m) => m.role === "assistant");
  const superseded = supersededFailures(work, calls);
  const compressedNow: number[] = [];
  const noticeGiven = input.noticeAlreadyGiven === true || work.some((m) => m.content.includes(COMPRESSION_NOTICE));
  // The notice rides on the first compressed result; its cost counts from that moment
  // (+1 for a token boundary the join may add).
  const noticeCost = noticeGiven ? 0 : count(`\n${COMPRESSION_NOTICE}`) + 1;

  const compressAt = (i: number): void => {
    const message = work[i];
    if (message.role !== "tool" || isCompressed(message.content)) return;
    const next: ToolMessage = { ...message, content: compressedContent(message, calls.get(message.toolCallId)) };
    const size = messageTokens(next, count);
    // A result already shorter than its stand-in stays as it is (and stays so: idempotent).
    if (size >= sizes[i]) return;
    work[i] = next;
    total += size - sizes[i] + (compressedNow.length === 0 ? noticeCost : 0);
    sizes[i] = size;
    compressedNow.push(i);
  };

  // Pass 1: oldest first, skipping the task, user messages, the last assistant turn's
  // results and live build/test failures; stop as soon as the budget is met.
  for (let i = 1; i < lastAssistant && total > budget; i++) {
    const message = work[i];
    if (message.role !== "tool") continue;
    if (isProtectedFailure(message) && !superseded.has(i)) continue;
    compressAt(i);
  }

  // Pass 2: drop the oldest whole units (see dropUnits), never the task or the last turn.
  const dropped = new Set<number>();
  const noteIndex = isNote(work[1]) ? 1 : -1;
  let note = noteIndex === 1 ? work[1].content : undefined;
  let noteSize = noteIndex === 1 ? sizes[1] : 0;
  if (total > budget) {
    const earlier = noteIndex === 1 ? parseOmitted(work[1].content) : 0;
    const protectFrom = lastAssistant > 0 ? lastAssistant : work.length - 1;
    const units = dropUnits(work, noteIndex === 1 ? 2 : 1, protectFrom);
    let omitted = 0;
    for (const unit of units) {
      if (total <= budget) break;
      for (let i = unit.start; i < unit.end; i++) {
        dropped.add(i);
        total -= sizes[i];
      }
      omitted += 1;
      const text = contextNote(earlier + omitted, input.filesTouched ?? [], input.pinned ?? []);
      const size = messageTokens({ role: "user", content: text }, count);
      total += size - noteSize;
      note = text;
      noteSize = size;
    }
  }

  // Pass 3: the request must fit the real window, so the protected results go too.
  for (let i = 1; i < work.length && total > hardLimit; i++) {
    if (!dropped.has(i) && i !== noteIndex) compressAt(i);
  }

  const noticeAt = noticeGiven ? undefined : compressedNow.filter((i) => !dropped.has(i)).sort((a, b) => a - b)[0];
  if (noticeAt !== undefined) {
    const message = work[noticeAt];
    work[noticeAt] = { ...message, content: `${message.content}\n${COMPRESSION_NOTICE}` };
  }

  const messages: Message[] = [work[0]];
  if (note !== undefined) messages.push({ role: "user", content: note });
  for (let i = 1; i < work.length; i++) {
    if (i !== noteIndex && !dropped.has(i)) messages.push(work[i]);
  }
  const tokensAfter = sum(messages.map((m) => messageTokens(m, count)));
  const result: BudgetResult = {
    messages,
    tokensBefore,
    tokensAfter,
    budget,
    compressed: compressedNow.length,
    dropped: dropped.size,
    overBudget: tokensAfter > budget,
  };
  if (noticeAt !== undefined) result.notice = COMPRESSION_NOTICE;
  return result;
}

/**
 * `[context: 6 earlier turns omitted to fit the budget; files touched so far: a.ts, b.ts]`
 * followed by the pinned texts, one per line. The count is cumulative over calls.
 */
export function contextNote(omitted: number, filesTouched: string[], pinned: string[]): string {
  const turns = omitted === 1 ? "1 earlier turn" : `${omitted} earlier turns`;
  const files = filesTouched.length > 0 ? `; files touched so far: ${filesTouched.join(", ")}` : "";
  const lines = [`${NOTE_PREFIX}${turns} omitted to fit the budget${files}]`];
  for (const text of pinned) if (text.trim() !== "") lines.push(text.trim());
  return lines.join("\n");
}

function isNote(message: Message | undefined): boolean {
  return message?.role === "user" && message.content.startsWith(NOTE_PREFIX);
}

function parseOmitted(note: string): number {
  const match = /^\[context: (\d+) earlier turns? omitted/.exec(note);
  return match ? Number(match[1]) : 0;
}

interface Unit {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * The units pass 2 drops, oldest first: every user or assistant message from `from` up
 * to `protectFrom`, together with the tool results that follow it. Results always
 * follow their assistant message, so a call and its result are dropped together and no
 * result is ever orphaned.
 */
function dropUnits(messages: Message[], from: number, protectFrom: number): Unit[] {
  const units: Unit[] = [];
  let i = from;
  // A result without its call (never expected) starts a unit of its own.
  while (i < protectFrom) {
    const start = i;
    i++;
    while (i < protectFrom && messages[i].role === "tool") i++;
    units.push({ start, end: i });
  }
  return units;
}

/**
 * Failed bash runs followed by a later run of the same command: the later output is the
 * one that matters, so the stale failure may be compressed like any other result.
 */
function supersededFailures(messages: Message[], calls: Map<string, ToolCall>): Set<number> {
  const lastRun = new Map<string, number>();
  messages.forEach((m, i) => {
    if (m.role !== "tool" || m.toolName !== "bash") return;
    const command = calls.get(m.toolCallId)?.args.command;
    if (typeof command === "string") lastRun.set(command, i);
  });
  const stale = new Set<number>();
  messages.forEach((m, i) => {
    if (m.role !== "tool" || m.toolName !== "bash") return;
    const command = calls.get(m.toolCallId)?.args.command;
    if (typeof command === "string" && (lastRun.get(command) ?? i) > i) stale.add(i);
  });
  return stale;
}

function indexCalls(messages: Message[]): Map<string, ToolCall> {
  const calls = new Map<string, ToolCall>();
  for (const m of messages) {
    if (m.role === "assistant") for (const call of m.toolCalls ?? []) calls.set(call.id, call);
  }
  return calls;
}

function callArgs(call: ToolCall): string {
  return call.rawArgs !== "" ? call.rawArgs : JSON.stringify(call.args);
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
