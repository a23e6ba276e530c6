import { describe, expect, it } from "vitest";
import type { ProviderEvent, ToolCall, ToolSchema } from "../core/types.js";
import { ResponseNormaliser } from "./response-normaliser.js";

const TOOLS: ToolSchema[] = [
  { name: "read_file", description: "", parameters: { type: "object", properties: { path: { type: "string" } } } },
  { name: "write_file", description: "", parameters: { type: "object", properties: { content: { type: "string" } } } },
];

function normaliser(): ResponseNormaliser {
  let n = 0;
  return new ResponseNormaliser(TOOLS, (prefix) => `${prefix}${++n}`);
}

const calls = (events: ProviderEvent[]): ToolCall[] => events.flatMap((e) => (e.type === "tool_call" ? [e.call] : []));
const text = (events: ProviderEvent[]) => events.map((e) => (e.type === "text" ? e.delta : "")).join("");
const reasoning = (events: ProviderEvent[]) => events.map((e) => (e.type === "reasoning" ? e.delta : "")).join("");

describe("ResponseNormaliser", () => {
  it("streams answer text and reasoning as they come, and ends with one done", () => {
    const n = normaliser();
    const events = [
      ...n.reasoning("hmm"),
      ...n.text("<think>more</think>Hi"),
      ...n.text(" there"),
      ...n.finish("end_turn", undefined),
    ];
    expect(text(events)).toBe("Hi there");
    expect(reasoning(events)).toBe("hmmmore");
    expect(events.filter((e) => e.type === "done")).toEqual([{ type: "done", stopReason: "end_turn" }]);
  });

  it("emits native calls at the end with parsed arguments", () => {
    const n = normaliser();
    n.toolCall({ id: "call_a", name: "read_file", rawArgs: '{"path":"a.ts"}' });
    n.toolCall({ name: "read_file", rawArgs: "{'path': 'b.ts',}" });
    const events = n.finish("tool_use", { inputTokens: 1, outputTokens: 2 });
    expect(calls(events)).toEqual([
      { id: "call_a", name: "read_file", args: { path: "a.ts" }, rawArgs: '{"path":"a.ts"}' },
      { id: "call_1", name: "read_file", args: { path: "b.ts" }, rawArgs: "{'path': 'b.ts',}" },
    ]);
    expect(events.at(-1)).toEqual({ type: "done", stopReason: "tool_use", usage: { inputTokens: 1, outputTokens: 2 } });
  });

  it("reports malformed arguments as argsError with empty args", () => {
    const n = normaliser();
    n.toolCall({ id: "c", name: "read_file", rawArgs: '{"path": a.ts}' });
    const [call] = calls(n.finish("tool_use", undefined));
    expect(call.args).toEqual({});
    expect(call.argsError).toContain("not valid JSON");
    expect(call.rawArgs).toBe('{"path": a.ts}');
  });

  it("takes text-written calls with minted ids and turns end_turn into tool_use", () => {
    const n = normaliser();
    const events = [
      ...n.text('Reading.<tool_call>{"name":"read_file","arguments":{"path":"x"}}</tool_call>'),
      ...n.finish("end_turn", undefined),
    ];
    expect(text(events)).toBe("Reading.");
    expect(calls(events)).toEqual([
      { id: "call_text_1", name: "read_file", args: { path: "x" }, rawArgs: '{"path":"x"}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "tool_use" });
  });

  it("takes calls written inside a think block when the reply has no other call (Qwen3)", () => {
    const n = normaliser();
    const events = [
      ...n.text(
        '<think>I need the file.\n<tool_call>{"name":"read_file","arguments":{"path":"y"}}</tool_call></think>',
      ),
      ...n.finish("end_turn", undefined),
    ];
    expect(reasoning(events)).toBe("I need the file.\n");
    expect(calls(events).map((c) => c.args)).toEqual([{ path: "y" }]);
  });

  it("takes calls from a reasoning field too", () => {
    const n = normaliser();
    const events = [
      ...n.reasoning('<tool_call>{"name":"read_file","arguments":{"path":"z"}}</tool_call>'),
      ...n.finish("end_turn", undefined),
    ];
    expect(calls(events).map((c) => c.args)).toEqual([{ path: "z" }]);
  });

  it("ignores calls sketched in reasoning when the reply makes real ones", () => {
    const n = normaliser();
    n.text('<think><tool_call>{"name":"read_file","arguments":{"path":"draft"}}</tool_call></think>');
    n.toolCall({ id: "real", name: "read_file", rawArgs: '{"path":"final"}' });
    expect(calls(n.finish("tool_use", undefined)).map((c) => c.id)).toEqual(["real"]);
  });

  it("never repairs arguments cut off by the output limit", () => {
    const n = normaliser();
    n.toolCall({ id: "w", name: "write_file", rawArgs: '{"content": "half a fi' });
    const [call] = calls(n.finish("max_tokens", undefined));
    expect(call.args).toEqual({});
    expect(call.argsError).toContain("output token limit");
  });

  it("accepts complete arguments even when the reply hit the limit", () => {
    const n = normaliser();
    n.toolCall({ id: "r", name: "read_file", rawArgs: '{"path": "a"}' });
    expect(calls(n.finish("max_tokens", undefined))[0].args).toEqual({ path: "a" });
  });
});
