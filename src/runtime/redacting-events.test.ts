import { describe, expect, it } from "vitest";
import { createRedactor } from "../core/redact.js";
import type { AgentEvent } from "../core/types.js";
import { redactingEventSink } from "./redacting-events.js";

const KEY = "sk-proj-abcdefghijklmnop0123456789";

function run(events: AgentEvent[]): AgentEvent[] {
  const out: AgentEvent[] = [];
  const sink = redactingEventSink(createRedactor([KEY]), (event) => out.push(event));
  for (const event of events) sink(event);
  return out;
}

describe("redacting event sink", () => {
  it("never shows a key split across deltas, and keeps every other character in order", () => {
    const text = `the key is ${KEY} and that is all`;
    const pieces = [text.slice(0, 15), text.slice(15, 30), text.slice(30)];
    const out = run([
      ...pieces.map((delta): AgentEvent => ({ type: "text_delta", turn: 1, delta })),
      { type: "assistant_message", turn: 1, text, toolCalls: [] },
    ]);
    const shown = out
      .filter((e) => e.type === "text_delta")
      .map((e) => (e.type === "text_delta" ? e.delta : ""))
      .join("");
    expect(shown).toBe("the key is [REDACTED] and that is all");
    expect(JSON.stringify(out)).not.toContain(KEY.slice(0, 12));
    expect(out.at(-1)).toMatchObject({ type: "assistant_message", text: "the key is [REDACTED] and that is all" });
  });

  it("redacts every string of whole events (tool results, approvals, notices)", () => {
    const out = run([
      { type: "notice", level: "warn", message: `leaked ${KEY}` },
      {
        type: "approval_request",
        turn: 1,
        request: {
          callId: "c",
          tool: "bash",
          kind: "command",
          title: "t",
          command: `curl -H ${KEY}`,
          rule: "r",
          remember: "x",
        },
      },
    ]);
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it("drops held text of an attempt that was retried", () => {
    const out = run([
      { type: "text_delta", turn: 1, delta: "partial answer that was" },
      { type: "retry", turn: 1, attempt: 1, delayMs: 0, reason: "stall" },
      { type: "text_delta", turn: 1, delta: "fresh" },
      { type: "assistant_message", turn: 1, text: "fresh", toolCalls: [] },
    ]);
    const deltas = out.filter((e) => e.type === "text_delta").map((e) => (e.type === "text_delta" ? e.delta : ""));
    // "partial answer " was already shown (the retry event tells consumers to drop it); "that was" never is.
    expect(deltas.join("")).toBe("partial answer fresh");
  });
});
