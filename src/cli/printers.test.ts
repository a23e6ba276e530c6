import { describe, expect, it } from "vitest";
import { createRedactor } from "../core/redact.js";
import type { AgentEvent } from "../core/types.js";
import { createOutputStyle } from "./output-style.js";
import { createJsonPrinter, createPlainPrinter, JSON_TOOL_OUTPUT_CAP } from "./printers.js";

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
  verification: [{ file: "src/a.ts", status: "unverified" }],
  proof: "unverified",
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

const KEY = "sk-ant-api03-PrinterTestKey0123456789abcdef";

/** Every write as it happened, so a test can assert no single write leaked part of a key. */
function recordingSink() {
  const writes: string[] = [];
  return {
    writes,
    write: (t: string) => {
      writes.push(t);
    },
    get text() {
      return writes.join("");
    },
  };
}

function plain(options: { verbose?: boolean; redact?: boolean } = {}) {
  const out = recordingSink();
  const err = recordingSink();
  const print = createPlainPrinter({
    out,
    err,
    style: createOutputStyle(process.stdout, { NO_COLOR: "1" }),
    verbose: options.verbose ?? false,
    redactor: options.redact === false ? undefined : createRedactor([KEY]),
  });
  return { out, err, print };
}

function toolCall(print: (event: AgentEvent) => void, summary: string, display: string, isError = false) {
  print({ type: "tool_start", turn: 1, callId: "c", name: "bash", args: {}, summary });
  print({ type: "tool_end", turn: 1, callId: "c", name: "bash", display, isError, durationMs: 1 });
}

describe("plain printer: secrets", () => {
  it("never prints a key split across two text deltas, not even its first part", () => {
    const { out, print } = plain();
    const cut = 14;
    print({ type: "text_delta", turn: 1, delta: `Your key is ${KEY.slice(0, cut)}` });
    print({ type: "text_delta", turn: 1, delta: `${KEY.slice(cut)} and it works.` });
    print(result);
    expect(out.text).toBe("Your key is [REDACTED] and it works.\n");
    for (const write of out.writes) expect(write).not.toContain(KEY.slice(0, cut));
  });

  it("redacts keys in tool displays, notices, retry reasons and failure messages", () => {
    const { err, print } = plain({ verbose: true });
    toolCall(print, "bash cat .env", `ANTHROPIC_API_KEY=${KEY}`);
    print({ type: "notice", level: "warn", message: `model said ${KEY}` });
    print({ type: "retry", turn: 1, attempt: 1, delayMs: 500, reason: `401 echo of x-api-key: ${KEY}` });
    print({ type: "reasoning_delta", turn: 1, delta: `maybe ${KEY.slice(0, 20)}` });
    print({ type: "reasoning_delta", turn: 1, delta: `${KEY.slice(20)} is it` });
    print({ ...result, status: "failed", message: `server said Bearer ${KEY}` });
    expect(err.text).not.toContain(KEY.slice(0, 20));
    expect(err.text).toContain("ANTHROPIC_API_KEY=[REDACTED]");
    expect(err.text).toContain("! model said [REDACTED]");
    expect(err.text).toContain("thinking: maybe [REDACTED] is it\n");
    expect(err.text).toContain("parecode: task failed: server said Bearer [REDACTED]");
  });

  it("prints the final message redacted when nothing was streamed", () => {
    const { out, print } = plain();
    print({ ...result, message: `Set OPENAI_API_KEY=${KEY} first.` });
    expect(out.text).toBe("Set OPENAI_API_KEY=[REDACTED] first.\n");
  });
});

describe("plain printer: control characters", () => {
  it("does not let an escape sequence in a file name reach stderr raw", () => {
    const { err, print } = plain();
    const name = "evil\u001b[2J\u001b]0;owned\u0007.ts";
    toolCall(print, `write_file ${name}`, `write ${name} (+1 lines)`);
    print({ ...result, filesChanged: [name] });
    const controls = [...err.text].filter((ch) => ch.charCodeAt(0) < 0x20 && ch !== "\n");
    expect(controls).toEqual([]);
    expect(err.text).toContain("write evil\\x1b[2J\\x1b]0;owned\\x07.ts (+1 lines)");
    expect(err.text).toContain("changed: evil\\x1b[2J");
  });

  it("shows both halves of a command a carriage return would hide", () => {
    const { err, print } = plain();
    toolCall(print, "bash echo safe\rrm -rf ~", "exit 0 · 1 line", true);
    expect(err.text).toContain("✗ bash echo safe\\rrm -rf ~: exit 0 · 1 line\n");
    expect(err.text).not.toContain("\r");
  });

  it("escapes ESC and bidi overrides in the answer but keeps its newlines and tabs, redactor or not", () => {
    for (const redact of [true, false]) {
      const { out, print } = plain({ redact });
      print({ type: "text_delta", turn: 1, delta: "Done:\n\tred \u001b[31mtext" });
      print({ type: "text_delta", turn: 1, delta: "\u001b[0m and \u202eevil\n" });
      print(result);
      expect(out.text).toBe("Done:\n\tred \\x1b[31mtext\\x1b[0m and \\u202eevil\n");
    }
  });

  it("escapes control characters in notices quoting model text", () => {
    const { err, print } = plain();
    print({ type: "notice", level: "info", message: "model wrote \u001b[1Apath\u0008\u0008" });
    expect(err.text).toContain("i model wrote \\x1b[1Apath\\x08\\x08\n");
  });
});

describe("json printer: secrets", () => {
  it("redacts every event and never emits part of a key split across deltas", () => {
    const out = recordingSink();
    const print = createJsonPrinter(out, createRedactor([KEY]));
    const answer = `Here: ${KEY} done.`;
    const cut = answer.indexOf(KEY) + 9;
    print({ type: "text_delta", turn: 1, delta: answer.slice(0, cut) });
    print({ type: "text_delta", turn: 1, delta: answer.slice(cut) });
    print({ type: "assistant_message", turn: 1, text: answer, toolCalls: [] });
    print({ type: "tool_start", turn: 1, callId: "c", name: "bash", args: { command: `echo ${KEY}` }, summary: "x" });
    print({ ...result, message: answer });
    expect(out.text).not.toContain(KEY.slice(0, 9));
    const events = out.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AgentEvent);
    const text = events.flatMap((e) => (e.type === "text_delta" ? [e.delta] : [])).join("");
    expect(text).toBe("Here: [REDACTED] done.");
    // Held text comes out before the next event of another type.
    expect(events.map((e) => e.type)).toEqual([
      "text_delta",
      "text_delta",
      "assistant_message",
      "tool_start",
      "result",
    ]);
    expect(events.at(-1)).toMatchObject({ type: "result", message: "Here: [REDACTED] done." });
  });
});

describe("plain printer: hooks and proof", () => {
  const printer = () => {
    const out = sink();
    const err = sink();
    const print = createPlainPrinter({
      out,
      err,
      style: createOutputStyle(process.stdout, { NO_COLOR: "1" }),
      verbose: false,
    });
    return { print, err };
  };

  it("shows a hook run in one line, with the first output line when it failed", () => {
    const { print, err } = printer();
    const hook = { type: "hook", turn: 1, hook: "on_edit", command: "tsc --noEmit", durationMs: 1200 } as const;
    print({ ...hook, ok: true, exitCode: 0, timedOut: false, output: "" });
    print({ ...hook, ok: false, exitCode: 2, timedOut: false, output: "\nsrc/a.ts(1,7): error TS2322: bad\nmore" });
    print({
      ...hook,
      hook: "on_task_done",
      command: "sleep 60",
      ok: false,
      exitCode: null,
      timedOut: true,
      output: "",
    });
    expect(err.text).toBe(
      [
        "⚙ on_edit: tsc --noEmit ✓ 1.2s",
        "⚙ on_edit: tsc --noEmit ✗ exit 2 · 1.2s · src/a.ts(1,7): error TS2322: bad",
        "⚙ on_task_done: sleep 60 ✗ timed out, killed · 1.2s",
        "",
      ].join("\n"),
    );
  });

  it("lists each changed file's proof and never reports a failed check as plain done", () => {
    const { print, err } = printer();
    print({
      ...result,
      filesChanged: ["a.ts", "b.ts", "c.md"],
      verification: [
        { file: "a.ts", status: "verified", check: "npm test" },
        { file: "b.ts", status: "failed", check: "on_edit: tsc --noEmit" },
        { file: "c.md", status: "unverified" },
      ],
      proof: "failed",
    });
    expect(err.text).toContain(
      [
        "  ✓ a.ts  verified: npm test",
        "  ✗ b.ts  failed: on_edit: tsc --noEmit",
        "  ? c.md  unverified: no check ran after its last edit",
        "parecode: done, but a check failed after the last edit",
        "done (checks failed) · 2 calls",
      ].join("\n"),
    );
  });
});

describe("clean output after a retried stream", () => {
  const style = createOutputStyle(process.stdout, { NO_COLOR: "1" });
  const retry = { type: "retry", turn: 1, attempt: 1, delayMs: 500, reason: "connection dropped" } as const;

  it("writes each turn's answer once it is complete when stdout is a file, so the failed attempt leaves nothing", () => {
    const out = sink();
    const err = sink();
    const print = createPlainPrinter({ out, err, style, verbose: false, perTurn: true });
    print({ type: "turn_start", turn: 1 });
    print({ type: "text_delta", turn: 1, delta: "Hello wor" });
    expect(out.text).toBe("");
    print(retry);
    print({ type: "text_delta", turn: 1, delta: "Hello " });
    print({ type: "text_delta", turn: 1, delta: "world." });
    print({ type: "assistant_message", turn: 1, text: "Hello world.", toolCalls: [] });
    print({ ...result, turns: 1, toolCalls: 0, filesChanged: [], verification: [], proof: "none" });
    expect(out.text).toBe("Hello world.\n");
    expect(err.text).toContain("↻ connection dropped; retrying in 0.5s (attempt 1)");
  });

  it("marks the void text on a terminal, where it has already been shown", () => {
    const out = sink();
    const err = sink();
    const print = createPlainPrinter({ out, err, style, verbose: false });
    print({ type: "turn_start", turn: 1 });
    print({ type: "text_delta", turn: 1, delta: "Hello wor" });
    print(retry);
    print({ type: "text_delta", turn: 1, delta: "Hello world." });
    expect(out.text).toBe("Hello wor\nHello world.");
    expect(err.text).toContain("↻ the reply above was cut off and is void (connection dropped); retrying");
  });

  it("prints only the final answer with answerOnly, and names the reason of a failure in the summary", () => {
    const out = sink();
    const err = sink();
    const print = createPlainPrinter({ out, err, style, verbose: false, perTurn: true, answerOnly: true });
    print({ type: "text_delta", turn: 1, delta: "not json" });
    print({ type: "assistant_message", turn: 1, text: "not json", toolCalls: [] });
    print({ ...result, message: '{"a":1}', filesChanged: [], verification: [], proof: "none" });
    expect(out.text).toBe('{"a":1}\n');
    const failed = sink();
    createPlainPrinter({ out: sink(), err: failed, style, verbose: false })({
      ...result,
      status: "failed",
      reason: "max_turns",
      message: "Stopped after 1 model calls.",
    });
    expect(failed.text).toMatch(/failed \(max_turns\) · 2 calls/);
  });

  it("--json: a retry says how many delta lines of its turn are void, and tool output is capped", () => {
    const out = sink();
    const print = createJsonPrinter(out);
    print({ type: "turn_start", turn: 1 });
    print({ type: "text_delta", turn: 1, delta: "Hel" });
    print({ type: "reasoning_delta", turn: 1, delta: "hmm" });
    print({ type: "text_delta", turn: 1, delta: "lo wor" });
    print(retry);
    print({ type: "text_delta", turn: 1, delta: "Hello world." });
    print({ ...retry, attempt: 2 });
    const big = "x".repeat(JSON_TOOL_OUTPUT_CAP + 500);
    print({
      type: "tool_end",
      turn: 2,
      callId: "c",
      name: "bash",
      display: "ok",
      isError: false,
      durationMs: 1,
      output: big,
    });
    const lines = out.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[4]).toMatchObject({ type: "retry", attempt: 1, discard: { turn: 1, deltas: 3 } });
    expect(lines[6]).toMatchObject({ type: "retry", attempt: 2, discard: { turn: 1, deltas: 1 } });
    expect(lines[7].output.startsWith("x".repeat(JSON_TOOL_OUTPUT_CAP))).toBe(true);
    expect(lines[7].output).toMatch(/… \[500 more characters not shown here; the model received them\]$/);
  });
});
