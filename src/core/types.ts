/**
 * The shared vocabulary of parecode. Every layer speaks these types; wire formats
 * (OpenAI, Anthropic, Ollama) are converted to and from them only inside providers/.
 */

import type { ApprovalRequest, ApprovalScope, Denial } from "./approval.js";

/** A tool call as the agent sees it, whatever the wire format it arrived in. */
export interface ToolCall {
  /** Provider-assigned id, or one we minted when the model wrote the call as text. */
  id: string;
  name: string;
  /** Parsed arguments. Empty when `argsError` is set: a tool is never run on guessed arguments. */
  args: Record<string, unknown>;
  /** The argument text exactly as the model produced it. */
  rawArgs: string;
  /** Why the arguments could not be used (unparseable JSON even after one repair). */
  argsError?: string;
}

export interface UserMessage {
  role: "user";
  content: string;
}

export interface AssistantMessage {
  role: "assistant";
  content: string;
  toolCalls?: ToolCall[];
}

export interface ToolMessage {
  role: "tool";
  toolCallId: string;
  toolName: string;
  content: string;
  isError?: boolean;
  /** The tool's one-line `display`; the budget replaces `content` with it when compressing. */
  summary?: string;
}

export type Message = UserMessage | AssistantMessage | ToolMessage;

/**
 * The lean JSON Schema subset we allow in tool definitions. Strict open-model servers
 * (vLLM, SGLang, llama.cpp, Ollama) reject $ref, anyOf, formats and defaults, so the
 * type itself leaves no room for them.
 */
export interface JsonSchema {
  type: "object" | "string" | "integer" | "number" | "boolean" | "array";
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: string[];
  items?: JsonSchema;
}

export interface ToolSchema {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (Anthropic cache_read, OpenAI cached_tokens). */
  cacheReadTokens?: number;
  /** Prompt tokens written to the provider's cache (Anthropic cache_creation). */
  cacheWriteTokens?: number;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

export function addUsage(into: Usage, add: Usage): Usage {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  into.cacheReadTokens = (into.cacheReadTokens ?? 0) + (add.cacheReadTokens ?? 0);
  into.cacheWriteTokens = (into.cacheWriteTokens ?? 0) + (add.cacheWriteTokens ?? 0);
  return into;
}

/** What the agent asks of a model for one call. */
export interface ModelRequest {
  model: string;
  system: string;
  messages: Message[];
  tools: ToolSchema[];
  /** Upper bound on the reply; adapters map it to the field their server understands. */
  maxOutputTokens?: number;
}

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "other";

/**
 * The normalised stream every provider produces. Exactly one terminal event ends it:
 * `done` or `error`. A `retry` means everything streamed since the last `retry` (or
 * the start) is void and the call is being made again.
 */
export type ProviderEvent =
  | { type: "text"; delta: string }
  | { type: "reasoning"; delta: string }
  | { type: "tool_call"; call: ToolCall }
  | { type: "retry"; attempt: number; delayMs: number; reason: string }
  | { type: "done"; stopReason: StopReason; usage?: Usage }
  | { type: "error"; error: import("./errors.js").ProviderError };

/** One client per wire protocol; vendors are data (endpoint, headers, quirks). */
export interface ModelClient {
  /** Short label for logs and errors, e.g. "openai-compatible http://127.0.0.1:9999/v1". */
  readonly label: string;
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ProviderEvent>;
}

/** What a tool returns. `content` is for the model; `display` is one line for people. */
export interface ToolResult {
  content: string;
  display: string;
  isError: boolean;
  /** Project-relative paths this call created or modified. */
  filesChanged?: string[];
  /**
   * The uncut output when `content` was shortened (bash output, long search results),
   * kept so the `recall` tool can return it later. Absent when content is complete.
   */
  fullOutput?: string;
}

export interface ToolContext {
  signal: AbortSignal;
  callId: string;
  /** 1-based agent turn in which the call was made (read cache notes cite it). */
  turn: number;
  /**
   * Set when a file change needs a person's approval first. File tools call it with the
   * exact change right before writing (so the approval shows the real diff, and a call
   * that fails to match never asks); a refusal means nothing is written.
   */
  approveWrite?: WriteApprover;
}

/** A file change a tool is about to make; `before` is null for a new file. */
export interface ProposedWrite {
  /** Project-relative path. */
  path: string;
  before: string | null;
  after: string;
}

export type WriteApproval = { approved: true } | { approved: false; message: string };
export type WriteApprover = (change: ProposedWrite) => Promise<WriteApproval>;

export interface Tool {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** True when the tool can change files or run commands (permissions, hooks, cache invalidation). */
  mutates: boolean;
  execute(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

export type TaskStatus = "done" | "failed" | "interrupted";

/**
 * Why a task ended, for scripts: `done` (a final answer), `max_turns` (the model-call
 * limit), `loop` (the same call repeated), `budget` (the next call would pass the cost
 * cap), `timeout` (the task's time limit), `auth` (the provider refused the key),
 * `provider_error` (any other failed model call), `output_schema` (the answer never
 * matched the required JSON Schema), `empty_reply` (the model kept answering nothing),
 * `tool_error` (quick mode's one tool call failed), `denied` (finished, but an action was refused), `interrupted` (cancelled).
 */
export const RESULT_REASONS = [
  "done",
  "max_turns",
  "loop",
  "budget",
  "timeout",
  "auth",
  "provider_error",
  "output_schema",
  "empty_reply",
  "tool_error",
  "denied",
  "interrupted",
] as const;

export type ResultReason = (typeof RESULT_REASONS)[number];

/** The moments a hook command can run at (config keys of a `hooks` table). */
export type HookEventName = "on_edit" | "on_task_done" | "on_plan_step_done" | "on_session_start" | "on_session_end";

/**
 * Proof of completion for one changed file: whether a check (a hook, or a test, build,
 * typecheck or lint command the agent ran) passed after the file's last edit.
 */
export interface FileVerification {
  /** Project-relative path. */
  file: string;
  status: "verified" | "failed" | "unverified";
  /** The check that decided it, e.g. "on_edit: tsc --noEmit" or "npm test". Absent when unverified. */
  check?: string;
}

/**
 * The task's proof in one word: "failed" when any changed file's last check failed,
 * "verified" when every changed file passed one, "unverified" when some were never
 * checked, "none" when no file changed.
 */
export type ProofVerdict = "verified" | "failed" | "unverified" | "none";

/**
 * Every step of a task, in order. The plain printer, the `--json` printer and the TUI
 * all consume this one stream; none of them reaches into the loop.
 */
export type AgentEvent =
  | { type: "task_start"; task: string; profile: string; model: string; provider: string }
  | { type: "turn_start"; turn: number }
  | {
      type: "request";
      turn: number;
      /** Local o200k estimate of the request (system + tools + messages). */
      estimatedInputTokens: number;
      systemTokens: number;
      toolSchemaTokens: number;
      messageCount: number;
    }
  | {
      type: "budget";
      turn: number;
      /** History tokens before and after the budget passes (system prompt and tools excluded). */
      tokensBefore: number;
      tokensAfter: number;
      budget: number;
      compressed: number;
      dropped: number;
      /** The window budgeted against (smaller than configured once an overflow taught us). */
      window: number;
    }
  | { type: "text_delta"; turn: number; delta: string }
  | { type: "reasoning_delta"; turn: number; delta: string }
  | { type: "retry"; turn: number; attempt: number; delayMs: number; reason: string }
  | { type: "assistant_message"; turn: number; text: string; toolCalls: ToolCall[] }
  | { type: "tool_start"; turn: number; callId: string; name: string; args: Record<string, unknown>; summary: string }
  | {
      type: "tool_end";
      turn: number;
      callId: string;
      name: string;
      display: string;
      isError: boolean;
      durationMs: number;
      /** The result exactly as the model received it, for front ends that show it on request. */
      output?: string;
    }
  | { type: "usage"; turn: number; usage: Usage; estimated: boolean; costUsd: number | null }
  /** A gated call is waiting for a person (or a controlling program) to answer. */
  | { type: "approval_request"; turn: number; request: ApprovalRequest }
  /** How the permission policy (or the person asked) decided a gated call. */
  | {
      type: "permission";
      turn: number;
      callId: string;
      tool: string;
      action: "allow" | "deny";
      /** "policy": rules, mode or guard decided alone; "user": a person answered. */
      by: "policy" | "user";
      /** The rule that decided, named for people. */
      rule: string;
      /** For a "yes" from a person: how long it lasts. */
      scope?: ApprovalScope;
      /** For a denial: the line the model receives. */
      reason?: string;
    }
  /**
   * A hook command finished. Front ends show it dimmed, amber or red when it failed; the
   * model sees on_edit output inside the tool result it followed.
   */
  | {
      type: "hook";
      /** The turn it followed; 0 outside a task (session start and end). */
      turn: number;
      hook: HookEventName;
      command: string;
      ok: boolean;
      /** Null when the command was killed (timeout, cancel) or could not start. */
      exitCode: number | null;
      timedOut: boolean;
      /** At most 50 lines, error lines kept: exactly what the model saw for on_edit. */
      output: string;
      durationMs: number;
    }
  /** "debug" notices are diagnostics shown only with -v (which sandbox runs commands, and why not). */
  | { type: "notice"; level: "info" | "warn" | "debug"; message: string }
  | {
      type: "result";
      status: TaskStatus;
      /**
       * The machine-readable cause. The loop always sets it; absent only in results
       * recorded by older versions (derive it from `status` then: see resultReasonOf).
       */
      reason?: ResultReason;
      /** The model's final answer, or why the task failed. */
      message: string;
      turns: number;
      toolCalls: number;
      usage: Usage;
      costUsd: number | null;
      filesChanged: string[];
      durationMs: number;
      /** Every call the policy or the user refused; a run with any exits non-zero. */
      denials: Denial[];
      /** One entry per changed file, in filesChanged order. */
      verification: FileVerification[];
      /** "failed" makes a finished task exit 4 instead of 0 (see cli/exit-codes.ts). */
      proof: ProofVerdict;
    };

/** A result's reason, also for results recorded before reasons existed. */
export function resultReasonOf(result: {
  status: TaskStatus;
  reason?: ResultReason;
  denials: readonly unknown[];
}): ResultReason {
  if (result.reason !== undefined) return result.reason;
  if (result.status === "interrupted") return "interrupted";
  if (result.status === "failed") return "provider_error";
  return result.denials.length > 0 ? "denied" : "done";
}
