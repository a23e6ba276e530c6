/**
 * Tool calls that small models write as text instead of using the native tool-call
 * channel: `<tool_call>{json}</tool_call>` (Hermes/Qwen), `<function=name>…</function>`
 * (Llama 3.1 JSON body or Qwen3-Coder `<parameter=…>` body), a fenced ```json block or a
 * leading bare JSON object that names a tool of this request. The extractor streams:
 * ordinary text passes straight through, and only markup (or a fragment that could
 * become markup) is held back until it can be decided.
 */
import type { JsonSchema, ToolSchema } from "../core/types.js";
import { isRecord, parseLenientJson } from "./json-repair.js";
import { findFirst, partialTagLength } from "./think-splitter.js";

export interface TextCall {
  name: string;
  /** The argument text as written (JSON), or the JSON we built from `<parameter=…>` tags. */
  rawArgs: string;
  /** False when the stream ended inside the markup: the arguments may be cut off. */
  complete: boolean;
}

export type ExtractPiece = { kind: "text"; text: string } | { kind: "call"; call: TextCall };

export interface TextToolCallOptions {
  tools: readonly ToolSchema[];
  /**
   * Also take ```json blocks and a leading bare JSON object. Both are ambiguous (a model
   * may show JSON to the user), so they count only when they name a tool of this request,
   * and only in the answer: reasoning that sketches a call in JSON is not a call.
   */
  loose: boolean;
}

const TOOL_CALL_OPEN = "<tool_call>";
const TOOL_CALL_CLOSE = "</tool_call>";
const FUNCTION_OPEN = "<function=";
const FUNCTION_CLOSE = "</function>";
const FENCE = "```";
/**
 * A tag right after one of these is quoted: the model is writing about the format
 * (`` `<tool_call>` ``, `"<function="`), not calling anything.
 */
const QUOTES = "`\"'";
/** Fence info strings under which a block may hold a call. */
const CALL_FENCE_INFO = new Set(["", "json", "tool_call", "tool_code"]);

type State = "text" | "tool_call" | "function" | "fence" | "fence_held" | "fence_pass" | "bare_json";

export class TextToolCallExtractor {
  private readonly schemas: Map<string, JsonSchema>;
  private readonly loose: boolean;
  private readonly markers: string[];
  private buffer = "";
  private state: State = "text";
  private atStart: boolean;
  /** The character just before the buffer, to tell a quoted tag at the buffer's start. */
  private before = "";

  constructor(options: TextToolCallOptions) {
    this.schemas = new Map(options.tools.map((tool) => [tool.name, tool.parameters]));
    this.loose = options.loose;
    this.atStart = options.loose;
    this.markers = options.loose ? [TOOL_CALL_OPEN, FUNCTION_OPEN, FENCE] : [TOOL_CALL_OPEN, FUNCTION_OPEN];
  }

  push(delta: string): ExtractPiece[] {
    // Without tools there is nothing to call: the text is left exactly as written.
    if (this.schemas.size === 0) return delta === "" ? [] : [{ kind: "text", text: delta }];
    this.buffer += delta;
    return this.drain(false);
  }

  flush(): ExtractPiece[] {
    if (this.schemas.size === 0) return [];
    return this.drain(true);
  }

  private drain(final: boolean): ExtractPiece[] {
    const out: ExtractPiece[] = [];
    while (this.step(out, final)) {
      // each step consumes part of the buffer or changes state; false means "need more text"
    }
    return out;
  }

  /** One transition. Returns false when nothing more can be decided without more text. */
  private step(out: ExtractPiece[], final: boolean): boolean {
    switch (this.state) {
      case "text":
        return this.stepText(out, final);
      case "tool_call":
        return this.stepEnclosed(out, final, TOOL_CALL_CLOSE, TOOL_CALL_OPEN.length, (body) =>
          this.callsFromTagBody(body),
        );
      case "function":
        return this.stepEnclosed(out, final, FUNCTION_CLOSE, 0, (body) => this.callsFromFunction(body));
      case "fence":
        return this.stepFenceStart(out, final);
      case "fence_held":
        return this.stepFenceHeld(out, final);
      case "fence_pass":
        return this.stepFencePass(out, final);
      case "bare_json":
        return this.stepBareJson(out, final);
    }
  }

  private stepText(out: ExtractPiece[], final: boolean): boolean {
    if (this.atStart) {
      const trimmed = this.buffer.trimStart();
      if (trimmed === "") return false;
      this.atStart = false;
      if (trimmed.startsWith("{")) {
        this.state = "bare_json";
        return true;
      }
    }
    const found = findFirst(this.buffer, this.markers, (index, tag) => tag === FENCE || !this.isQuoted(index));
    if (found) {
      emitText(out, this.buffer.slice(0, found.index));
      this.drop(found.index);
      this.state = found.tag === TOOL_CALL_OPEN ? "tool_call" : found.tag === FENCE ? "fence" : "function";
      return true;
    }
    const hold = final ? 0 : partialTagLength(this.buffer, this.markers);
    emitText(out, this.buffer.slice(0, this.buffer.length - hold));
    this.drop(this.buffer.length - hold);
    return false;
  }

  /**
   * Markup that runs until a close tag. An unclosed block at the end of the stream is
   * still tried: many servers stop generation on the close tag and never send it.
   */
  private stepEnclosed(
    out: ExtractPiece[],
    final: boolean,
    close: string,
    bodyStart: number,
    parse: (body: string) => ParsedCall[] | undefined,
  ): boolean {
    const end = this.buffer.indexOf(close, bodyStart);
    if (end === -1 && !final) return false;
    const whole = end === -1 ? this.buffer : this.buffer.slice(0, end + close.length);
    const body = end === -1 ? this.buffer.slice(bodyStart) : this.buffer.slice(bodyStart, end);
    emitCalls(out, parse(body), whole, end !== -1);
    this.drop(whole.length);
    this.state = "text";
    return true;
  }

  /** Decides from the info string and the first character whether a fenced block could be a call. */
  private stepFenceStart(out: ExtractPiece[], final: boolean): boolean {
    const newline = this.buffer.indexOf("\n", FENCE.length);
    const info = newline === -1 ? "" : this.buffer.slice(FENCE.length, newline).trim().toLowerCase();
    const first = newline === -1 ? undefined : /\S/.exec(this.buffer.slice(newline + 1))?.[0];
    if (!final && (newline === -1 || (CALL_FENCE_INFO.has(info) && first === undefined))) return false;
    if (newline !== -1 && CALL_FENCE_INFO.has(info) && (first === "{" || first === "[")) {
      this.state = "fence_held";
      return true;
    }
    const opening = newline === -1 ? this.buffer : this.buffer.slice(0, newline + 1);
    emitText(out, opening);
    this.drop(opening.length);
    this.state = "fence_pass";
    return true;
  }

  private stepFenceHeld(out: ExtractPiece[], final: boolean): boolean {
    const bodyStart = this.buffer.indexOf("\n") + 1;
    const end = this.buffer.indexOf(FENCE, bodyStart);
    if (end === -1 && !final) return false;
    const whole = end === -1 ? this.buffer : this.buffer.slice(0, end + FENCE.length);
    const calls = this.callsFromJson(this.buffer.slice(bodyStart, end === -1 ? undefined : end), true);
    emitCalls(out, calls, whole, end !== -1);
    this.drop(whole.length);
    this.state = "text";
    return true;
  }

  /** Inside an ordinary code block: stream it, and do not mistake its closing fence for an opening. */
  private stepFencePass(out: ExtractPiece[], final: boolean): boolean {
    const end = this.buffer.indexOf(FENCE);
    if (end !== -1) {
      emitText(out, this.buffer.slice(0, end + FENCE.length));
      this.drop(end + FENCE.length);
      this.state = "text";
      return true;
    }
    const hold = final ? 0 : partialTagLength(this.buffer, [FENCE]);
    emitText(out, this.buffer.slice(0, this.buffer.length - hold));
    this.drop(this.buffer.length - hold);
    return false;
  }

  private stepBareJson(out: ExtractPiece[], final: boolean): boolean {
    const start = this.buffer.indexOf("{");
    const end = balancedEnd(this.buffer, start);
    if (end === undefined && !final) return false;
    const whole = end === undefined ? this.buffer : this.buffer.slice(0, end);
    emitCalls(out, this.callsFromJson(whole.slice(start), true), whole, end !== undefined);
    this.drop(whole.length);
    this.state = "text";
    return true;
  }

  private isQuoted(index: number): boolean {
    const prev = index > 0 ? this.buffer[index - 1] : this.before;
    return prev !== "" && QUOTES.includes(prev);
  }

  /** Drops the first `count` characters of the buffer (already emitted or consumed). */
  private drop(count: number): void {
    if (count > 0) this.before = this.buffer[count - 1];
    this.buffer = this.buffer.slice(count);
  }

  /** `<tool_call>` bodies: JSON, or a `<function=…>` block inside (Qwen3-Coder). */
  private callsFromTagBody(body: string): ParsedCall[] | undefined {
    const trimmed = body.trim();
    if (trimmed.startsWith(FUNCTION_OPEN)) {
      const close = trimmed.lastIndexOf(FUNCTION_CLOSE);
      return this.callsFromFunction(close === -1 ? trimmed : trimmed.slice(0, close));
    }
    return this.callsFromJson(trimmed, false) ?? salvageCall(trimmed);
  }

  /** `<function=NAME>` followed by a JSON body or `<parameter=KEY>value</parameter>` pairs. */
  private callsFromFunction(block: string): ParsedCall[] | undefined {
    const head = /^<function=([^>\s]+)>/.exec(block);
    if (!head) return undefined;
    const name = head[1];
    const body = block.slice(head[0].length).trim();
    if (body.startsWith("{")) return [{ name, rawArgs: body }];
    const args: Record<string, unknown> = {};
    const schema = this.schemas.get(name);
    for (const match of body.matchAll(/<parameter=([^>\s]+)>([\s\S]*?)(?:<\/parameter>|(?=<parameter=)|$)/g)) {
      const value = match[2].replace(/^\n/, "").replace(/\n$/, "");
      args[match[1]] = coerce(value, schema?.properties?.[match[1]]);
    }
    return [{ name, rawArgs: JSON.stringify(args) }];
  }

  /** JSON naming a call (or an array of them). `knownOnly` demands tools of this request. */
  private callsFromJson(text: string, knownOnly: boolean): ParsedCall[] | undefined {
    const parsed = parseLenientJson(text.trim());
    if (!parsed.ok) {
      // Cut off inside a string: the call is still a call (its name is whole); its raw
      // arguments go on, so the model hears they were cut off instead of a half-file being written.
      const salvaged = parsed.cutOff ? salvageCall(text.trim()) : undefined;
      if (salvaged && (!knownOnly || this.schemas.has(salvaged[0].name))) return salvaged;
      return undefined;
    }
    const values = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    if (values.length === 0) return undefined;
    const calls: ParsedCall[] = [];
    for (const value of values) {
      const call = callFromValue(value, knownOnly);
      if (!call || (knownOnly && !this.schemas.has(call.name))) return undefined;
      calls.push(call);
    }
    return calls;
  }
}

function callFromValue(value: unknown, requireArgsKey: boolean): ParsedCall | undefined {
  if (!isRecord(value)) return undefined;
  const fn = isRecord(value.function) ? value.function : value;
  if (typeof fn.name !== "string" || fn.name === "") return undefined;
  const key = ["arguments", "parameters", "args", "input"].find((k) => k in fn);
  if (key === undefined) return requireArgsKey ? undefined : { name: fn.name, rawArgs: "{}" };
  const args = fn[key];
  return { name: fn.name, rawArgs: typeof args === "string" ? args : JSON.stringify(args) };
}

/**
 * A `<tool_call>` whose JSON is beyond repair: the name is still clear, so the call goes
 * through with its raw argument text and the agent reports the JSON error to the model.
 */
function salvageCall(body: string): ParsedCall[] | undefined {
  const name = /"name"\s*:\s*"([^"]+)"/.exec(body);
  if (!name) return undefined;
  const args = /"(?:arguments|parameters)"\s*:\s*/.exec(body);
  if (!args) return [{ name: name[1], rawArgs: "{}" }];
  const rest = body.slice(args.index + args[0].length).trim();
  return [{ name: name[1], rawArgs: rest.endsWith("}") ? rest.slice(0, -1).trim() : rest }];
}

/** `<parameter>` values arrive as text; the schema says which ones are numbers or flags. */
function coerce(value: string, schema: JsonSchema | undefined): unknown {
  const type = schema?.type;
  if (type === "integer" || type === "number") {
    const n = Number(value.trim());
    return value.trim() !== "" && Number.isFinite(n) ? n : value;
  }
  if (type === "boolean") {
    const lower = value.trim().toLowerCase();
    return lower === "true" ? true : lower === "false" ? false : value;
  }
  if (type === "array" || type === "object") {
    const parsed = parseLenientJson(value.trim());
    return parsed.ok ? parsed.value : value;
  }
  return value;
}

/** Index just past the JSON object that starts at `start`, or undefined while it is still open. */
export function balancedEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

type ParsedCall = Omit<TextCall, "complete">;

/** Calls replace their markup; markup that holds no call goes out as the text it was. */
function emitCalls(out: ExtractPiece[], calls: ParsedCall[] | undefined, markup: string, complete: boolean): void {
  if (!calls) {
    emitText(out, markup);
    return;
  }
  for (const call of calls) out.push({ kind: "call", call: { ...call, complete } });
}

function emitText(out: ExtractPiece[], text: string): void {
  if (text === "") return;
  const last = out[out.length - 1];
  if (last && last.kind === "text") last.text += text;
  else out.push({ kind: "text", text });
}
