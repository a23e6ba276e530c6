/**
 * `--output-format stream-json` and `--output-format json`: the shapes Claude Code's
 * `claude -p` prints, so tools written against it read parecode unchanged.
 *
 * stream-json, one JSON object per line:
 *   {"type":"system","subtype":"init","session_id","cwd","model","tools",…}   each task's start
 *   {"type":"assistant","message":{"role":"assistant","content":[text | tool_use…],…}}
 *   {"type":"user","message":{"role":"user","content":[{"type":"tool_result",…}]}}
 *   {"type":"control_request","request_id","request":{"subtype":"can_use_tool",…}}
 *                                          (only when stdin answers them: --input-format stream-json)
 *   {"type":"system","subtype":"api_retry",…} / {"type":"system","subtype":"notice",…}
 *   {"type":"result","subtype","is_error","num_turns","duration_ms","total_cost_usd","usage","session_id","reason",…}
 * json: only that last `result` object, once per task.
 */
import { type AgentEvent, type ResultReason, resultReasonOf, type Usage } from "../core/types.js";
import { VERSION } from "../core/version.js";

type ResultEvent = Extract<AgentEvent, { type: "result" }>;

export interface StreamJsonContext {
  cwd: string;
  /** The runtime's session id once known (it is by a task's first event). */
  sessionId(): string | undefined;
  /** Tool names offered to the model. */
  tools(): string[];
  permissionMode(): string;
  /** Set for --output-schema: the result carries the parsed answer as `structured_output`. */
  structuredOutput?: (answer: string) => unknown;
}

/** Claude Code's result subtypes, from our reasons. */
export function resultSubtype(reason: ResultReason): string {
  if (reason === "done" || reason === "denied") return "success";
  if (reason === "max_turns") return "error_max_turns";
  if (reason === "budget") return "error_max_budget_usd";
  if (reason === "output_schema") return "error_max_structured_output_retries";
  return "error_during_execution";
}

function usageOf(usage: Usage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cacheReadTokens ?? 0,
    cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
  };
}

/**
 * The final object. Beyond Claude Code's fields it carries parecode's `reason`, `status`,
 * `files_changed`, `verification` and `proof`.
 */
export function resultObject(
  event: ResultEvent,
  context: Pick<StreamJsonContext, "sessionId" | "structuredOutput">,
  toolInputs: ReadonlyMap<string, Record<string, unknown>>,
): Record<string, unknown> {
  const reason = resultReasonOf(event);
  const object: Record<string, unknown> = {
    type: "result",
    subtype: resultSubtype(reason),
    is_error: event.status !== "done",
    reason,
    status: event.status,
    result: event.message,
    num_turns: event.turns,
    duration_ms: event.durationMs,
    total_cost_usd: event.costUsd,
    usage: usageOf(event.usage),
    session_id: context.sessionId() ?? null,
    permission_denials: event.denials.map((denial) => ({
      tool_name: denial.tool,
      tool_use_id: denial.callId,
      tool_input: toolInputs.get(denial.callId) ?? {},
      rule: denial.rule,
    })),
    files_changed: event.filesChanged,
    verification: event.verification,
    proof: event.proof,
  };
  if (context.structuredOutput && event.status === "done")
    object.structured_output = context.structuredOutput(event.message);
  return object;
}

/** `--output-format json`: one result object per task, nothing else on stdout. */
export function createResultPrinter(
  out: { write(text: string): void },
  context: Pick<StreamJsonContext, "sessionId" | "structuredOutput">,
): (event: AgentEvent) => void {
  const toolInputs = new Map<string, Record<string, unknown>>();
  return (event) => {
    if (event.type === "tool_start") toolInputs.set(event.callId, event.args);
    if (event.type === "task_start") toolInputs.clear();
    if (event.type === "result") out.write(`${JSON.stringify(resultObject(event, context, toolInputs))}\n`);
  };
}

/** `--output-format stream-json`: Claude Code's message stream. Give it redacted events. */
export function createStreamJsonPrinter(
  out: { write(text: string): void },
  context: StreamJsonContext,
): (event: AgentEvent) => void {
  const toolInputs = new Map<string, Record<string, unknown>>();
  let model = "";
  let lastUsage: Usage | undefined;
  const write = (message: Record<string, unknown>) => out.write(`${JSON.stringify(message)}\n`);
  const session = () => context.sessionId() ?? null;
  return (event) => {
    switch (event.type) {
      case "task_start":
        model = event.model;
        toolInputs.clear();
        write({
          type: "system",
          subtype: "init",
          session_id: session(),
          cwd: context.cwd,
          model: event.model,
          profile: event.profile,
          provider: event.provider,
          tools: context.tools(),
          mcp_servers: mcpServers(context.tools()),
          permissionMode: context.permissionMode(),
          parecode_version: VERSION,
        });
        return;
      case "usage":
        lastUsage = event.usage;
        return;
      case "assistant_message": {
        const content: Array<Record<string, unknown>> = [];
        if (event.text !== "") content.push({ type: "text", text: event.text });
        for (const call of event.toolCalls) {
          content.push({ type: "tool_use", id: call.id, name: call.name, input: call.args });
        }
        write({
          type: "assistant",
          message: {
            id: `msg_${session() ?? "parecode"}_${event.turn}`,
            type: "message",
            role: "assistant",
            model,
            content,
            stop_reason: event.toolCalls.length > 0 ? "tool_use" : "end_turn",
            usage: lastUsage ? usageOf(lastUsage) : undefined,
          },
          parent_tool_use_id: null,
          session_id: session(),
        });
        lastUsage = undefined;
        return;
      }
      case "tool_start":
        toolInputs.set(event.callId, event.args);
        return;
      case "tool_end":
        write({
          type: "user",
          message: {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: event.callId,
                content: event.output ?? event.display,
                is_error: event.isError,
              },
            ],
          },
          parent_tool_use_id: null,
          session_id: session(),
        });
        return;
      case "approval_request":
        write({
          type: "control_request",
          request_id: event.request.callId,
          request: {
            subtype: "can_use_tool",
            tool_name: event.request.tool,
            input: toolInputs.get(event.request.callId) ?? {},
            tool_use_id: event.request.callId,
            decision_reason: event.request.rule,
            title: event.request.title,
            ...(event.request.command === undefined ? {} : { command: event.request.command }),
            ...(event.request.path === undefined ? {} : { path: event.request.path }),
            ...(event.request.diff === undefined ? {} : { diff: event.request.diff }),
          },
        });
        return;
      case "retry":
        // Assistant messages are whole, so nothing printed here belongs to the failed attempt.
        write({
          type: "system",
          subtype: "api_retry",
          attempt: event.attempt,
          retry_delay_ms: event.delayMs,
          error: event.reason,
          session_id: session(),
        });
        return;
      case "notice":
        if (event.level !== "warn") return;
        write({ type: "system", subtype: "notice", level: event.level, message: event.message, session_id: session() });
        return;
      case "result":
        write(resultObject(event, context, toolInputs));
        return;
      default:
        return;
    }
  };
}

/** MCP tools are named SERVER__tool: the servers that gave the session tools. */
function mcpServers(tools: string[]): Array<{ name: string; status: string }> {
  const names = new Set(tools.filter((tool) => tool.includes("__")).map((tool) => tool.split("__")[0]));
  return [...names].map((name) => ({ name, status: "connected" }));
}
