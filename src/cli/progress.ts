/**
 * The live status line on a terminal's stderr while nothing else moves: `⠋ thinking 3s`
 * while the model is asked, `⠋ bash npm test · 12s` while a tool runs. It is drawn over
 * itself with a carriage return and erased before anything else is written, so the tool's
 * own result line (`› bash npm test`) replaces it. Never drawn into a pipe or a file, nor
 * on a dumb terminal; colour follows the output style (NO_COLOR).
 */
import type { AgentEvent } from "../core/types.js";
import type { OutputStyle } from "./output-style.js";
import type { Sink } from "./printers.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const ERASE = "\r\u001b[2K";

export interface ProgressLine {
  /** Shows `label` with a spinner and the seconds since this label began; `tool` puts " · " before the time. */
  show(label: string, options?: { tool?: boolean }): void;
  /** Erases the line and keeps it hidden until the next show. */
  hide(): void;
  /** Erases the line if it is drawn (before other output); the next tick draws it again. */
  clear(): void;
  dispose(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

export interface ProgressOptions {
  style: OutputStyle;
  intervalMs?: number;
  now?: () => number;
}

/** True when a status line can be drawn on this stream: a terminal that is not dumb. */
export function canShowProgress(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== "dumb";
}

export function createProgressLine(stream: ProgressStream, options: ProgressOptions): ProgressLine {
  const now = options.now ?? Date.now;
  let label: string | undefined;
  let tool = false;
  let since = 0;
  let frame = 0;
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;

  const draw = () => {
    if (label === undefined) return;
    const seconds = Math.floor((now() - since) / 1000);
    const time = tool ? ` · ${seconds}s` : ` ${seconds}s`;
    // One row only: a wrapped line could not be erased with a carriage return.
    const room = Math.max(10, (stream.columns ?? 80) - 2 - 2 - time.length);
    const shown = label.length > room ? `${label.slice(0, room - 1)}…` : label;
    stream.write(`${ERASE}${options.style.dim(`${FRAMES[frame++ % FRAMES.length]} ${shown}${time}`)}`);
    drawn = true;
  };
  const clear = () => {
    if (!drawn) return;
    drawn = false;
    stream.write(ERASE);
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    show(next, showOptions = {}) {
      if (next !== label) since = now();
      label = next;
      tool = showOptions.tool === true;
      // Drawn on the next tick, never at once: output written right after an event (a
      // newline ending streamed text) must land before the line appears.
      if (!timer) {
        timer = setInterval(draw, options.intervalMs ?? 120);
        timer.unref();
      }
    },
    hide() {
      label = undefined;
      stopTimer();
      clear();
    },
    clear,
    dispose() {
      label = undefined;
      stopTimer();
      clear();
    },
  };
}

/** A sink that erases the status line before every write, so output never lands beside it. */
export function clearingSink(sink: Sink, line: ProgressLine): Sink {
  return {
    write(text) {
      line.clear();
      sink.write(text);
    },
  };
}

export interface ProgressTrackerOptions {
  /** The answer streams to this terminal too: hide the line while it does. */
  answerOnTerminal: boolean;
}

/** Moves the status line along with the task's events. */
export function trackProgress(line: ProgressLine, options: ProgressTrackerOptions): (event: AgentEvent) => void {
  return (event) => {
    switch (event.type) {
      case "request":
        line.show("thinking");
        return;
      case "text_delta":
      case "reasoning_delta":
        if (options.answerOnTerminal) line.hide();
        else line.show(event.type === "text_delta" ? "writing" : "thinking");
        return;
      case "retry":
        line.show("retrying");
        return;
      case "tool_start":
        line.show(event.summary, { tool: true });
        return;
      case "tool_end":
      case "approval_request":
      case "result":
        // A tool's result line replaces it; a question must not be drawn over.
        line.hide();
        return;
      default:
        return;
    }
  };
}
