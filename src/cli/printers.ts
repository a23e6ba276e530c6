import { createRedactingStream, type RedactingStream, type Redactor } from "../core/redact.js";
import { escapeControl } from "../core/terminal-text.js";
import type { AgentEvent } from "../core/types.js";
import type { OutputStyle } from "./output-style.js";

export interface Sink {
  write(text: string): void;
}

type DeltaEvent = Extract<AgentEvent, { type: "text_delta" | "reasoning_delta" }>;

/**
 * `--json`: one JSON object per AgentEvent per line, nothing else on stdout. With a
 * redactor every string in every event is redacted, and streamed deltas pass through a
 * redacting stream: a delta may then carry less text than arrived (the rest follows in a
 * later delta of the same type, at the latest just before the next event of another type),
 * so a key split across deltas never appears in part.
 */
export function createJsonPrinter(out: Sink, redactor?: Redactor): (event: AgentEvent) => void {
  const write = (event: AgentEvent) => out.write(`${JSON.stringify(event)}\n`);
  if (!redactor) return write;
  const streams = new Map<DeltaEvent["type"], { stream: RedactingStream; turn: number }>();
  const flush = (type: DeltaEvent["type"]) => {
    const open = streams.get(type);
    if (!open) return;
    streams.delete(type);
    const rest = open.stream.flush();
    if (rest !== "") write({ type, turn: open.turn, delta: rest });
  };
  return (event) => {
    if (event.type === "text_delta" || event.type === "reasoning_delta") {
      flush(event.type === "text_delta" ? "reasoning_delta" : "text_delta");
      const open = streams.get(event.type) ?? { stream: createRedactingStream(redactor.text), turn: event.turn };
      open.turn = event.turn;
      streams.set(event.type, open);
      const ready = open.stream.push(event.delta);
      if (ready !== "") write({ ...event, delta: ready });
      return;
    }
    flush("reasoning_delta");
    flush("text_delta");
    write(redactor.value(event));
  };
}

export interface PlainPrinterOptions {
  /** The model's answer goes here (stdout), so `parecode "explain x" > notes.md` captures only the answer. */
  out: Sink;
  /** Progress, tool lines, retries and the closing summary go here (stderr). */
  err: Sink;
  style: OutputStyle;
  verbose: boolean;
  /** Hides secrets in everything printed; streamed text is held back a word or two for it. */
  redactor?: Redactor;
}

/**
 * The default one-shot output: streamed answer text plus one line per tool call. Text
 * from the model or the project (the answer, reasoning, tool summaries and displays,
 * notices, errors, file names) is redacted, and its control characters are shown as
 * escapes, so it cannot move the cursor, recolour, or hide part of a command; the answer
 * keeps its newlines and tabs, also when stdout is a file.
 */
export function createPlainPrinter(options: PlainPrinterOptions): (event: AgentEvent) => void {
  const { out, err, style, verbose, redactor } = options;
  const redact = redactor ? redactor.text : (text: string) => text;
  /** One line on stderr: newlines and tabs escaped too. */
  const line = (text: string) => escapeControl(redact(text));
  /** Several lines on stderr (messages, notices). */
  const lines = (text: string) => escapeControl(redact(text), { keepNewlines: true, keepTabs: true });
  const stream = (): RedactingStream => (redactor ? createRedactingStream(redactor.text) : PASS_THROUGH);
  const answer = stream();
  const reasoning = stream();

  let textEndsWithNewline = true;
  let wroteText = false;
  /** Reasoning is being shown on stderr (verbose only); any other event ends it first. */
  let inReasoning = false;
  let reasoningShown = false;
  let reasoningEndsWithNewline = true;
  /** Call summaries by id, so a result line can say which search or command it belongs to. */
  const summaries = new Map<string, string>();

  const writeAnswer = (text: string) => {
    if (text === "") return;
    out.write(escapeControl(text, { keepNewlines: true, keepTabs: true }));
    textEndsWithNewline = text.endsWith("\n");
  };
  const writeReasoning = (text: string) => {
    if (text === "") return;
    const shown = escapeControl(text, { keepNewlines: true, keepTabs: true });
    err.write(style.dim(reasoningShown ? shown : `thinking: ${shown.trimStart()}`));
    reasoningShown = true;
    reasoningEndsWithNewline = text.endsWith("\n");
  };
  const endTextLine = () => {
    writeAnswer(answer.flush());
    if (!textEndsWithNewline) {
      out.write("\n");
      textEndsWithNewline = true;
    }
  };

  return (event) => {
    if (inReasoning && event.type !== "reasoning_delta") {
      writeReasoning(reasoning.flush());
      if (reasoningShown && !reasoningEndsWithNewline) err.write("\n");
      inReasoning = false;
      reasoningShown = false;
      reasoningEndsWithNewline = true;
    }
    switch (event.type) {
      case "reasoning_delta":
        // Thinking is diagnostics: only with -v, dimmed, on stderr so stdout stays the answer.
        if (!verbose || event.delta === "") return;
        endTextLine();
        inReasoning = true;
        writeReasoning(reasoning.push(event.delta));
        return;
      case "text_delta":
        if (event.delta === "") return;
        wroteText = true;
        writeAnswer(answer.push(event.delta));
        return;
      case "tool_start":
        endTextLine();
        summaries.set(event.callId, event.summary);
        return;
      case "tool_end": {
        const mark = event.isError ? style.red("✗") : style.dim("›");
        const text = line(describeToolResult(summaries.get(event.callId), event.display));
        summaries.delete(event.callId);
        err.write(`${mark} ${event.isError ? text : style.dim(text)}\n`);
        return;
      }
      case "retry":
        endTextLine();
        err.write(
          style.yellow(
            `↻ ${lines(event.reason)}; retrying in ${(event.delayMs / 1000).toFixed(1)}s (attempt ${event.attempt})\n`,
          ),
        );
        return;
      case "notice":
        if (event.level === "debug" && !verbose) return;
        endTextLine();
        err.write(`${event.level === "warn" ? style.yellow("!") : style.dim("i")} ${lines(event.message)}\n`);
        return;
      case "usage":
        if (!verbose) return;
        endTextLine();
        err.write(
          style.dim(
            `[call ${event.turn}] ${event.usage.inputTokens} in / ${event.usage.outputTokens} out tokens${
              event.estimated ? " (estimated)" : ""
            }${event.usage.cacheReadTokens ? `, ${event.usage.cacheReadTokens} cached` : ""}\n`,
          ),
        );
        return;
      case "budget":
        if (!verbose) return;
        endTextLine();
        err.write(
          style.dim(
            `[call ${event.turn}] context budget: history ${event.tokensBefore} -> ${event.tokensAfter} tokens (${event.compressed} compressed, ${event.dropped} dropped; budget ${event.budget} of a ${event.window}-token window)\n`,
          ),
        );
        return;
      case "request":
        if (!verbose) return;
        endTextLine();
        err.write(
          style.dim(
            `[call ${event.turn}] sending ~${event.estimatedInputTokens} tokens (system ${event.systemTokens}, tools ${event.toolSchemaTokens}, ${event.messageCount} messages)\n`,
          ),
        );
        return;
      case "hook": {
        endTextLine();
        const took = `${(event.durationMs / 1000).toFixed(1)}s`;
        const what = `⚙ ${event.hook}: ${line(event.command)}`;
        if (event.ok) {
          err.write(style.dim(`${what} ✓ ${took}\n`));
        } else {
          const status = event.timedOut
            ? "timed out, killed"
            : event.exitCode === null
              ? "did not finish"
              : `exit ${event.exitCode}`;
          const first = event.output.split("\n").find((l) => l.trim() !== "");
          const detail = first && !verbose ? ` · ${line(first.length > 100 ? `${first.slice(0, 99)}…` : first)}` : "";
          const paint = event.timedOut ? style.red : style.yellow;
          err.write(`${paint(`${what} ✗ ${status} · ${took}`)}${detail}\n`);
        }
        if (verbose && event.output !== "") {
          for (const text of event.output.split("\n")) err.write(style.dim(`    ${line(text)}\n`));
        }
        return;
      }
      case "permission":
        // Denials already show as the tool's result line; -v names the rule behind every decision.
        if (!verbose) return;
        endTextLine();
        err.write(
          style.dim(
            `[permission] ${event.action === "allow" ? "allowed" : "denied"} ${line(event.tool)} by ${line(event.rule)}${
              event.scope && event.scope !== "once" ? ` (remembered for this ${event.scope})` : ""
            }\n`,
          ),
        );
        return;
      case "result": {
        endTextLine();
        if (event.status === "done" && !wroteText && event.message !== "") {
          writeAnswer(redact(event.message));
          endTextLine();
        }
        if (event.status === "failed") err.write(`${style.red("parecode: task failed:")} ${lines(event.message)}\n`);
        if (event.status === "interrupted") err.write(`${style.yellow("parecode: interrupted")}\n`);
        if (event.denials.length > 0) {
          err.write(
            style.yellow(
              `parecode: ${event.denials.length} ${event.denials.length === 1 ? "action was" : "actions were"} denied:\n`,
            ),
          );
          for (const denial of event.denials) {
            const target = denial.target === undefined ? "" : ` ${line(denial.target.split("\n")[0])}`;
            err.write(`  ${style.red("✗")} ${line(denial.tool)}${target}  (${line(denial.rule)})\n`);
          }
        }
        for (const entry of event.verification) {
          const mark =
            entry.status === "verified"
              ? style.green("✓")
              : entry.status === "failed"
                ? style.red("✗")
                : style.dim("?");
          const how = entry.check
            ? `${entry.status}: ${line(entry.check)}`
            : "unverified: no check ran after its last edit";
          err.write(`  ${mark} ${line(entry.file)}  ${entry.status === "verified" ? style.dim(how) : how}\n`);
        }
        if (event.status === "done" && event.proof === "failed") {
          err.write(`${style.red("parecode: done, but a check failed after the last edit")}\n`);
        }
        err.write(style.dim(`${summaryLine({ ...event, filesChanged: event.filesChanged.map(line) })}\n`));
        return;
      }
      default:
        return;
    }
  };
}

const PASS_THROUGH: RedactingStream = { push: (delta) => delta, flush: () => "" };

/**
 * Tools word their own one-line result ("read src/a.ts (lines 1-40 of 90)"); when that
 * line does not name what was acted on ("1 match in 1 file"), the call's summary leads.
 */
function describeToolResult(summary: string | undefined, display: string): string {
  if (!summary) return display;
  const subject = summary.slice(summary.indexOf(" ") + 1);
  if (subject === summary || display.includes(subject)) return display;
  return `${summary}: ${display}`;
}

function summaryLine(event: Extract<AgentEvent, { type: "result" }>): string {
  const parts = [
    event.status === "done" && event.proof === "failed" ? "done (checks failed)" : event.status,
    `${event.turns} ${event.turns === 1 ? "call" : "calls"}`,
    `${event.toolCalls} tool ${event.toolCalls === 1 ? "call" : "calls"}`,
    `${event.usage.inputTokens.toLocaleString("en-US")} in / ${event.usage.outputTokens.toLocaleString("en-US")} out tokens`,
  ];
  if (event.costUsd !== null) parts.push(`$${event.costUsd.toFixed(4)}`);
  parts.push(`${(event.durationMs / 1000).toFixed(1)}s`);
  if (event.filesChanged.length > 0) parts.push(`changed: ${event.filesChanged.join(", ")}`);
  return parts.join(" · ");
}
