/**
 * Turns one attempt's raw output into ProviderEvents. Every adapter feeds the same
 * pipeline, so every protocol gets the same treatment: reasoning is split from the
 * answer first (`<think>` blocks and reasoning fields), then tool calls written as text
 * are taken out of the answer. Calls found only inside reasoning (Qwen3 on Ollama puts
 * them there) are used when the reply has no other call.
 */
import type { ProviderEvent, StopReason, ToolCall, ToolSchema, Usage } from "../core/types.js";
import { parseToolArgs } from "./json-repair.js";
import { type ExtractPiece, TextToolCallExtractor } from "./text-tool-calls.js";
import { ThinkSplitter } from "./think-splitter.js";

/** Mints ids for calls that arrived without one; unique per client. */
export type MintId = (prefix: string) => string;

export interface RawToolCall {
  /** The server's id; absent for text-written calls and older Ollama. */
  id?: string;
  name: string;
  rawArgs: string;
}

interface PendingCall extends RawToolCall {
  fromText: boolean;
  /** False when the stream ended inside the call's markup. */
  complete: boolean;
}

export class ResponseNormaliser {
  private readonly splitter = new ThinkSplitter();
  private readonly answer: TextToolCallExtractor;
  private readonly thoughts: TextToolCallExtractor;
  private readonly calls: PendingCall[] = [];
  private readonly thoughtCalls: PendingCall[] = [];

  constructor(
    tools: readonly ToolSchema[],
    private readonly mintId: MintId,
  ) {
    this.answer = new TextToolCallExtractor({ tools, loose: true });
    this.thoughts = new TextToolCallExtractor({ tools, loose: false });
  }

  /** Answer text as the server sent it (may contain `<think>` blocks and text-written calls). */
  text(delta: string): ProviderEvent[] {
    const out: ProviderEvent[] = [];
    for (const piece of this.splitter.push(delta)) {
      if (piece.channel === "answer") this.route(out, this.answer.push(piece.text), "text");
      else this.route(out, this.thoughts.push(piece.text), "reasoning");
    }
    return out;
  }

  /** Text from a reasoning field (reasoning_content, Ollama `thinking`, Anthropic thinking blocks). */
  reasoning(delta: string): ProviderEvent[] {
    const out: ProviderEvent[] = [];
    this.route(out, this.thoughts.push(delta), "reasoning");
    return out;
  }

  /** A complete native tool call. Held until the end: the stop reason decides how its arguments are read. */
  toolCall(call: RawToolCall): void {
    this.calls.push({ ...call, fromText: false, complete: true });
  }

  /** Releases held text, then the tool calls, then the one `done`. */
  finish(stopReason: StopReason, usage: Usage | undefined): ProviderEvent[] {
    const out: ProviderEvent[] = [];
    for (const piece of this.splitter.flush()) {
      if (piece.channel === "answer") this.route(out, this.answer.push(piece.text), "text");
      else this.route(out, this.thoughts.push(piece.text), "reasoning");
    }
    this.route(out, this.answer.flush(), "text");
    this.route(out, this.thoughts.flush(), "reasoning");
    const chosen = this.calls.length > 0 ? this.calls : this.thoughtCalls;
    for (const call of chosen) out.push({ type: "tool_call", call: this.finishCall(call, stopReason) });
    const stop = chosen.length > 0 && (stopReason === "end_turn" || stopReason === "other") ? "tool_use" : stopReason;
    out.push(usage ? { type: "done", stopReason: stop, usage } : { type: "done", stopReason: stop });
    return out;
  }

  private route(out: ProviderEvent[], pieces: ExtractPiece[], channel: "text" | "reasoning"): void {
    for (const piece of pieces) {
      if (piece.kind === "call") {
        const pending = { ...piece.call, fromText: true };
        (channel === "text" ? this.calls : this.thoughtCalls).push(pending);
      } else if (channel === "text") {
        const last = out[out.length - 1];
        if (last?.type === "text") last.delta += piece.text;
        else out.push({ type: "text", delta: piece.text });
      } else {
        const last = out[out.length - 1];
        if (last?.type === "reasoning") last.delta += piece.text;
        else out.push({ type: "reasoning", delta: piece.text });
      }
    }
  }

  private finishCall(call: PendingCall, stopReason: StopReason): ToolCall {
    const id = call.id ?? this.mintId(call.fromText ? "call_text_" : "call_");
    const base = { id, name: call.name, rawArgs: call.rawArgs };
    // A reply cut off by the output limit may end inside the arguments. Repairing those
    // (closing the braces) would run a tool on half of what the model meant, e.g. write
    // half a file, so only arguments that are complete as sent are accepted.
    if (stopReason === "max_tokens" && (!call.complete || !isCompleteJson(call.rawArgs))) {
      return {
        ...base,
        args: {},
        argsError: `The reply hit the output token limit inside the arguments of ${call.name}, so they are cut off. Call ${call.name} again with less content per call (split large writes into several edits).`,
      };
    }
    const parsed = parseToolArgs(call.rawArgs, call.name);
    return parsed.ok ? { ...base, args: parsed.args } : { ...base, args: {}, argsError: parsed.error };
  }
}

function isCompleteJson(text: string): boolean {
  if (text.trim() === "") return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
