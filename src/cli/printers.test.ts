import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../core/types.js";
import { createOutputStyle } from "./output-style.js";
import { createJsonPrinter, createPlainPrinter } from "./printers.js";

function sink() {
  let text = "";
  return {
    write: (t: string) => {
      text += t;
    },
    get text() {
      return text;
    },
  };
}

const result: Extract<AgentEvent, { type: "result" }> = {
  type: "result",
  status: "done",
  message: "Done.",
  turns: 2,
  toolCalls: 1,
  usage: { inputTokens: 1234, outputTokens: 56 },
  costUsd: 0.0021,
  filesChanged: ["src/a.ts"],
  durationMs: 1500,
  denials: [],
};

describe("plain printer", () => {
  it("streams answer text to stdout and tool lines and the summary to stderr", () => {
    const out = sink();
    const err = sink();
    const print = createPlainPrinter({
      out,
      err,
      style: createOutputStyle(process.stdout, { NO_COLOR: "1" }),
      verbose: false,
    });
    print({ type: "text_delta", turn: 1, delta: "Reading" });
    print({
      type: "tool_start",
      turn: 1,
      callId: "c1",
      name: "read_file",
      args: { path: "a" },
      summary: "read_file a",
    });
    print({
      type: "tool_end",
      turn: 1,
      callId: "c1",
      name: "read_file",
      display: "read a (3 lines)",
      isError: false,
      durationMs: 2,
    });
    print({
      type: "tool_start",
      turn: 1,
      callId: "c2",
      name: "bash",
      args: { command: "false" },
      summary: "bash false",
    });
    print({
      type: "tool_end",
      turn: 1,
      callId: "c2",
      name: "bash",
      display: "exit 1 · 0 lines",
      isError: true,
      durationMs: 2,
    });
    print(result);
    expect(out.text).toBe("Reading\n");
    expect(err.text).toContain("› read a (3 lines)\n");
    // The result line names the command when the tool's own wording does not.
    expect(err.text).toContain("✗ bash false: exit 1 · 0 lines\n");
    expect(err.text).toContain("done · 2 calls · 1 tool call · 1,234 in / 56 out tokens · $0.0021");
    expect(err.text).toContain("changed: src/a.ts");
    expect(err.text).not.toContain("\u001b[");
  });

  it("prints the final message when nothing was streamed, and token lines only with -v", () => {
    const out = sink();
    const err = sink();
    const print = createPlainPrinter({
      out,
      err,
      style: createOutputStyle(process.stdout, { NO_COLOR: "1" }),
      verbose: true,
    });
    print({ type: "usage", turn: 1, usage: { inputTokens: 10, outputTokens: 2 }, estimated: true, costUsd: null });
    print({
      type: "budget",
      turn: 3,
      tokensBefore: 9000,
      tokensAfter: 4000,
      budget: 5000,
      compressed: 4,
      dropped: 0,
      window: 12000,
    });
    print(result);
    expect(out.text).toBe("Done.\n");
    expect(err.text).toContain("[call 1] 10 in / 2 out tokens (estimated)");
    expect(err.text).toContain(
      "[call 3] context budget: history 9000 -> 4000 tokens (4 compressed, 0 dropped; budget 5000 of a 12000-token window)",
    );
  });
});

describe("plain printer: reasoning", () => {
  it("shows the model's reasoning dimmed on stderr with -v only, never on stdout", () => {
    const events: AgentEvent[] = [
      { type: "reasoning_delta", turn: 1, delta: "The user wants " },
      { type: "reasoning_delta", turn: 1, delta: "a greeting." },
      { type: "text_delta", turn: 1, delta: "Hello!" },
      { ...result, filesChanged: [] },
    ];
    const quiet = { out: sink(), err: sink() };
    const printQuiet = createPlainPrinter({ ...quiet, style: createOutputStyle(process.stdout, {}), verbose: false });
    for (const event of events) printQuiet(event);
    expect(quiet.err.text).not.toContain("greeting");

    const loud = { out: sink(), err: sink() };
    const printLoud = createPlainPrinter({ ...loud, style: createOutputStyle(process.stdout, {}), verbose: true });
    for (const event of events) printLoud(event);
    expect(loud.out.text).toBe("Hello!\n");
    expect(loud.err.text).toMatch(/^thinking: The user wants a greeting\.\n/);
  });
});

describe("json printer", () => {
  it("writes one parseable JSON object per event per line", () => {
    const out = sink();
    const print = createJsonPrinter(out);
    print({ type: "turn_start", turn: 1 });
    print(result);
    const lines = out.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ type: "result", status: "done", filesChanged: ["src/a.ts"] });
  });
});
