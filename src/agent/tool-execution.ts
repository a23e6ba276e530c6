import type { LoopDetector } from "../context/loop-detector.js";
import type { FileChange } from "../context/stale-reads.js";
import type { AgentEvent, ToolCall, ToolMessage, ToolResult } from "../core/types.js";
import type { ToolRunner } from "./agent.js";
import type { PermissionGate } from "./permission-gate.js";
import { summariseToolCall } from "./tool-summary.js";

export interface ToolBatchContext {
  tools: ToolRunner;
  loops: LoopDetector;
  signal: AbortSignal;
  turn: number;
  emit: (event: AgentEvent) => void;
  /** Absent: every call runs (tests and `parecode tool`); present: each call is authorized first. */
  gate?: PermissionGate;
  /** Applied to every result's content and display before anything else sees them. */
  redact?: (text: string) => string;
}

export interface ToolBatchOutcome {
  /** One result per call that ran or was answered from the loop cache, in the order asked. */
  messages: ToolMessage[];
  filesChanged: string[];
  /** Each executed call that reported changed files, in order. */
  changes: FileChange[];
  /** Calls actually executed (not answered from the loop cache). */
  executed: number;
  /**
   * The executed calls with their results, in order, for what follows a batch (on_edit
   * hooks, proof of completion). `message` is the object in `messages`: text appended to
   * its content reaches the model as part of that tool result.
   */
  ran: Array<{ call: ToolCall; result: ToolResult; message: ToolMessage }>;
  /** Set when the loop detector ended the task. */
  stop?: string;
}

/**
 * Runs the model's tool calls in the order it asked. Each goes through loop detection
 * first: a repeat is answered from cache with a note, a third repeat stops the task.
 */
export async function runToolCalls(calls: ToolCall[], ctx: ToolBatchContext): Promise<ToolBatchOutcome> {
  const outcome: ToolBatchOutcome = { messages: [], filesChanged: [], changes: [], executed: 0, ran: [] };
  for (const call of calls) {
    if (ctx.signal.aborted) break;
    const summary = summariseToolCall(call.name, call.args);
    ctx.emit({ type: "tool_start", turn: ctx.turn, callId: call.id, name: call.name, args: call.args, summary });
    const began = Date.now();

    const verdict = ctx.loops.check(call);
    if (verdict.action === "stop") {
      ctx.emit({
        type: "tool_end",
        turn: ctx.turn,
        callId: call.id,
        name: call.name,
        display: `${summary}: not run, repeated a third time`,
        isError: true,
        durationMs: 0,
      });
      outcome.stop = verdict.message;
      return outcome;
    }
    if (verdict.action === "cached") {
      ctx.emit({
        type: "tool_end",
        turn: ctx.turn,
        callId: call.id,
        name: call.name,
        display: `${summary}: repeated call, answered from the earlier result`,
        isError: false,
        durationMs: 0,
      });
      outcome.messages.push({ role: "tool", toolCallId: call.id, toolName: call.name, content: verdict.content });
      continue;
    }

    const authorized = ctx.gate ? await ctx.gate.authorize(call, ctx.turn, ctx.signal) : { allowed: true as const };
    if (!authorized.allowed) {
      // Recorded like a result, so asking for the same refused call again counts as a loop.
      ctx.loops.record(call, authorized.content, false, ctx.turn);
      ctx.emit({
        type: "tool_end",
        turn: ctx.turn,
        callId: call.id,
        name: call.name,
        display: authorized.display,
        isError: true,
        durationMs: Date.now() - began,
        output: authorized.content,
      });
      outcome.messages.push({
        role: "tool",
        toolCallId: call.id,
        toolName: call.name,
        content: authorized.content,
        isError: true,
        summary: authorized.display,
      });
      continue;
    }

    const raw = await ctx.tools.execute(call, {
      signal: ctx.signal,
      callId: call.id,
      turn: ctx.turn,
      approveWrite: authorized.approveWrite,
    });
    // Redacted before the loop detector caches it, so a repeat answered from cache is clean too.
    const result = ctx.redact ? { ...raw, content: ctx.redact(raw.content), display: ctx.redact(raw.display) } : raw;
    outcome.executed++;
    // One answer to "did this change files?" for both uses: a call that reports an error
    // but names changed files did change them, so its earlier reads must not be replayed.
    const changed = result.filesChanged ?? [];
    ctx.loops.record(call, result.content, changed.length > 0, ctx.turn);
    outcome.filesChanged.push(...changed);
    if (changed.length > 0) outcome.changes.push({ callId: call.id, toolName: call.name, files: changed });
    ctx.emit({
      type: "tool_end",
      turn: ctx.turn,
      callId: call.id,
      name: call.name,
      display: result.display,
      isError: result.isError,
      durationMs: Date.now() - began,
      output: result.content,
    });
    const message: ToolMessage = {
      role: "tool",
      toolCallId: call.id,
      toolName: call.name,
      content: result.content,
      isError: result.isError || undefined,
      summary: result.display,
    };
    outcome.messages.push(message);
    outcome.ran.push({ call, result, message });
  }
  return outcome;
}
