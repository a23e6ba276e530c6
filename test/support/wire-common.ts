/**
 * What the three wire formats of the scripted server share: a scripted turn resolved into
 * plain values (ids, usage, stop reason), and the splitting that turns one string into
 * the many small deltas a real server streams.
 */

/** How a scripted turn ended, in the scripted vocabulary (mapped per protocol). */
export type StopReason = "end_turn" | "tool_use" | "max_tokens";

export interface WireToolCall {
  /** The id the turn gave, if any. Each protocol mints its own otherwise (Ollama sends none). */
  id?: string;
  name: string;
  /** The arguments as the model "wrote" them: JSON text, or a scripted string sent verbatim. */
  argsText: string;
  /** The arguments as an object, or undefined when the scripted string is not a JSON object. */
  argsObject?: Record<string, unknown>;
}

export interface WireUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** A text turn with every default applied: what each wire module renders. */
export interface WireTurn {
  /** 0-based index of this model call; makes minted ids deterministic. */
  seq: number;
  model: string;
  text: string;
  reasoning: string;
  toolCalls: WireToolCall[];
  usage: WireUsage;
  stopReason: StopReason;
}

/** One protocol's rendering of turns and errors. */
export interface WireFormat {
  /** Content type of a streamed answer. */
  streamContentType: string;
  /** The whole answer of a non-streaming call. */
  complete(turn: WireTurn, request: Record<string, unknown>): unknown;
  /** The frames of a streaming call, each already serialized (an SSE event or an NDJSON line). */
  frames(turn: WireTurn, request: Record<string, unknown>): string[];
  /** The JSON body of an HTTP error, shaped as the real API shapes it. */
  errorBody(status: number, message: string): unknown;
}

/**
 * Splits text into streaming pieces: ~8 characters each so that short strings arrive in
 * several deltas (exercising assembly), but never more than ~64 pieces so that a large
 * `write_file` argument does not turn into thousands of events. Splits on code points so
 * no surrogate pair is cut in half.
 */
export function splitPieces(text: string): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const size = Math.max(8, Math.ceil(chars.length / 64));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(""));
  return pieces;
}

/** A plausible token count for some text: about four characters a token, at least one. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export interface ScriptedTextTurn {
  text?: string;
  reasoning?: string;
  toolCalls?: Array<{ id?: string; name: string; args: Record<string, unknown> | string }>;
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  stopReason?: StopReason;
}

/** Applies the defaults: usage estimated from the raw request body and the answer's size. */
export function resolveTurn(turn: ScriptedTextTurn, seq: number, rawBody: string, model: string): WireTurn {
  const toolCalls = (turn.toolCalls ?? []).map((call): WireToolCall => {
    if (typeof call.args !== "string") {
      return { id: call.id, name: call.name, argsText: JSON.stringify(call.args), argsObject: call.args };
    }
    return { id: call.id, name: call.name, argsText: call.args, argsObject: parseObject(call.args) };
  });
  const text = turn.text ?? "";
  const reasoning = turn.reasoning ?? "";
  const outputText = text + reasoning + toolCalls.map((call) => call.name + call.argsText).join("");
  return {
    seq,
    model,
    text,
    reasoning,
    toolCalls,
    usage: {
      input: turn.usage?.input ?? estimateTokens(rawBody),
      output: turn.usage?.output ?? estimateTokens(outputText),
      cacheRead: turn.usage?.cacheRead ?? 0,
      cacheWrite: turn.usage?.cacheWrite ?? 0,
    },
    stopReason: turn.stopReason ?? (toolCalls.length > 0 ? "tool_use" : "end_turn"),
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The text a stream shows before a `stall` or `drop` fault cuts it off. */
export const CUT_OFF_TEXT = "This answer is cut off before it ends, so the client never sees a finish.";

/** One server-sent event, with an `event:` line when the protocol names its events. */
export function sseFrame(data: unknown, event?: string): string {
  const json = typeof data === "string" ? data : JSON.stringify(data);
  return `${event === undefined ? "" : `event: ${event}\n`}data: ${json}\n\n`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
