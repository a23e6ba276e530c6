import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../core/types.js";
import { createResultPrinter, createStreamJsonPrinter, resultSubtype } from "./stream-json.js";

function collect() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, write: (text: string) => lines.push(JSON.parse(text)) };
}

const context = {
  cwd: "/p",
  sessionId: () => "s-1",
  tools: () => ["read_file", "bash", "github__search"],
  permissionMode: () => "ask",
};

const task: AgentEvent[] = [
  { type: "task_start", task: "t", profile: "local", model: "m1", provider: "openai" },
  { type: "usage", turn: 1, usage: { inputTokens: 10, outputTokens: 2 }, estimated: false, costUsd: 0.001 },
  {
    type: "assistant_message",
    turn: 1,
    text: "Checking.",
    toolCalls: [{ id: "c1", name: "bash", args: { command: "rm x" }, rawArgs: "" }],
  },
  { type: "tool_start", turn: 1, callId: "c1", name: "bash", args: { command: "rm x" }, summary: "bash rm x" },
  {
    type: "tool_end",
    turn: 1,
    callId: "c1",
    name: "bash",
    display: "not approved",
    isError: true,
    durationMs: 1,
    output: "Not run",
  },
  {
    type: "result",
    status: "done",
    reason: "denied",
    message: "Could not remove it.",
    turns: 2,
    toolCalls: 1,
    usage: { inputTokens: 30, outputTokens: 5, cacheReadTokens: 4, cacheWriteTokens: 0 },
    costUsd: 0.002,
    filesChanged: [],
    durationMs: 42,
    denials: [{ callId: "c1", tool: "bash", target: "rm x", rule: "headless", reason: "Not run" }],
    verification: [],
    proof: "none",
  },
];

describe("stream-json printer", () => {
  it("prints Claude Code's message shapes: init, assistant with content blocks, tool results, a result", () => {
    const out = collect();
    const print = createStreamJsonPrinter(out, context);
    for (const event of task) print(event);
    expect(out.lines.map((l) => `${l.type}${l.subtype ? `/${l.subtype}` : ""}`)).toEqual([
      "system/init",
      "assistant",
      "user",
      "result/success",
    ]);
    expect(out.lines[0]).toMatchObject({
      session_id: "s-1",
      cwd: "/p",
      model: "m1",
      tools: ["read_file", "bash", "github__search"],
      mcp_servers: [{ name: "github", status: "connected" }],
      permissionMode: "ask",
    });
    expect(out.lines[1]).toMatchObject({
      type: "assistant",
      session_id: "s-1",
      parent_tool_use_id: null,
      message: {
        role: "assistant",
        type: "message",
        model: "m1",
        stop_reason: "tool_use",
        usage: { input_tokens: 10, output_tokens: 2 },
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "c1", name: "bash", input: { command: "rm x" } },
        ],
      },
    });
    expect(out.lines[2]).toMatchObject({
      type: "user",
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "c1", content: "Not run", is_error: true }],
      },
    });
    expect(out.lines[3]).toMatchObject({
      type: "result",
      subtype: "success",
      is_error: false,
      reason: "denied",
      result: "Could not remove it.",
      num_turns: 2,
      duration_ms: 42,
      total_cost_usd: 0.002,
      session_id: "s-1",
      usage: { input_tokens: 30, output_tokens: 5, cache_read_input_tokens: 4, cache_creation_input_tokens: 0 },
      permission_denials: [{ tool_name: "bash", tool_use_id: "c1", tool_input: { command: "rm x" } }],
    });
  });

  it("turns a permission request into a control_request and a retry into system/api_retry", () => {
    const out = collect();
    const print = createStreamJsonPrinter(out, context);
    print({
      type: "tool_start",
      turn: 1,
      callId: "c9",
      name: "bash",
      args: { command: "npm i" },
      summary: "bash npm i",
    });
    print({
      type: "approval_request",
      turn: 1,
      request: {
        callId: "c9",
        tool: "bash",
        kind: "command",
        title: "bash: npm i",
        command: "npm i",
        rule: "ask mode",
        remember: "",
      },
    });
    print({ type: "retry", turn: 1, attempt: 1, delayMs: 500, reason: "429" });
    expect(out.lines[0]).toEqual({
      type: "control_request",
      request_id: "c9",
      request: {
        subtype: "can_use_tool",
        tool_name: "bash",
        input: { command: "npm i" },
        tool_use_id: "c9",
        decision_reason: "ask mode",
        title: "bash: npm i",
        command: "npm i",
      },
    });
    expect(out.lines[1]).toMatchObject({ type: "system", subtype: "api_retry", attempt: 1, retry_delay_ms: 500 });
  });

  it("json prints only the result object, and each reason maps to Claude Code's subtype", () => {
    const out = collect();
    const print = createResultPrinter(out, { sessionId: () => "s-1", structuredOutput: (a) => JSON.parse(a) });
    for (const event of task.slice(0, -1)) print(event);
    print({ ...task[5], reason: "done", message: '{"ok":true}', denials: [] } as AgentEvent);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatchObject({ type: "result", subtype: "success", structured_output: { ok: true } });
    expect(resultSubtype("max_turns")).toBe("error_max_turns");
    expect(resultSubtype("budget")).toBe("error_max_budget_usd");
    expect(resultSubtype("output_schema")).toBe("error_max_structured_output_retries");
    expect(resultSubtype("timeout")).toBe("error_during_execution");
  });
});
