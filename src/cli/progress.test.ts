import { afterEach, describe, expect, it, vi } from "vitest";
import { createOutputStyle } from "./output-style.js";
import { canShowProgress, clearingSink, createProgressLine, trackProgress } from "./progress.js";

afterEach(() => {
  vi.useRealTimers();
});

function terminal() {
  let text = "";
  return {
    columns: 40,
    write: (t: string) => {
      text += t;
    },
    get text() {
      return text;
    },
  };
}

describe("progress line", () => {
  it("draws a spinner with the seconds, erases itself before other output and is replaced by the tool's line", () => {
    vi.useFakeTimers();
    let now = 0;
    const err = terminal();
    const style = createOutputStyle(process.stderr, { NO_COLOR: "1" });
    const line = createProgressLine(err, { style, intervalMs: 100, now: () => now });
    const track = trackProgress(line, { answerOnTerminal: true });
    const sink = clearingSink(err, line);

    track({ type: "request", turn: 1, estimatedInputTokens: 1, systemTokens: 1, toolSchemaTokens: 0, messageCount: 1 });
    expect(err.text).toBe(""); // drawn on the next tick, never at once
    now = 3_200;
    vi.advanceTimersByTime(100);
    expect(err.text).toBe("\r\u001b[2K⠋ thinking 3s");
    track({ type: "tool_start", turn: 1, callId: "c", name: "bash", args: {}, summary: "bash npm test" });
    now = 15_300;
    vi.advanceTimersByTime(100);
    expect(err.text.endsWith("\r\u001b[2K⠙ bash npm test · 12s")).toBe(true);
    track({ type: "tool_end", turn: 1, callId: "c", name: "bash", display: "ok", isError: false, durationMs: 1 });
    sink.write("› bash npm test\n");
    expect(err.text.endsWith("\r\u001b[2K› bash npm test\n")).toBe(true);
    vi.advanceTimersByTime(500);
    expect(err.text.endsWith("› bash npm test\n")).toBe(true); // hidden until the next step
    line.dispose();
  });

  it("hides while the answer streams to the same terminal, and cuts a long label to one row", () => {
    vi.useFakeTimers();
    const err = terminal();
    const line = createProgressLine(err, {
      style: createOutputStyle(process.stderr, { NO_COLOR: "1" }),
      intervalMs: 100,
    });
    const track = trackProgress(line, { answerOnTerminal: true });
    track({ type: "tool_start", turn: 1, callId: "c", name: "bash", args: {}, summary: `bash ${"x".repeat(80)}` });
    vi.advanceTimersByTime(100);
    const drawn = err.text.slice(err.text.lastIndexOf("\u001b[2K") + 4);
    expect(drawn.length).toBeLessThanOrEqual(40);
    expect(drawn).toContain("…");
    track({ type: "text_delta", turn: 2, delta: "Hi" });
    const before = err.text;
    vi.advanceTimersByTime(500);
    expect(err.text).toBe(`${before}`);
    line.dispose();
  });

  it("is only drawn on a terminal that is not dumb", () => {
    expect(canShowProgress({ isTTY: false }, {})).toBe(false);
    expect(canShowProgress({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(canShowProgress({ isTTY: true }, { TERM: "xterm-256color" })).toBe(true);
  });
});
