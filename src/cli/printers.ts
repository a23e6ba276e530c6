import { createRedactingStream, type RedactingStream, type Redactor } from "../core/redact.js";
import { escapeControl } from "../core/terminal-text.js";
import { type AgentEvent, resultReasonOf } from "../core/types.js";
import { redactingEventSink } from "../runtime/redacting-events.js";
import type { OutputStyle } from "./output-style.js";

export interface Sink {
  write(text: string): void;
}

/** Most characters of a tool's output a `--json` tool_end carries (the model's copy is capped by the tools already). */
export const JSON_TOOL_OUTPUT_CAP = 8_000;

/**
 * `--json`: one JSON object per AgentEvent per line, nothing else on stdout. With a
 * redactor every string in every event is redacted, and streamed deltas pass through a
 * redacting stream: a delta may then carry less text than arrived (the rest follows in a
 * later delta of the same type, at the latest just before the next event of another type),
 * so a key split across deltas never appears in part.
 *
 * A `retry` line carries `discard: {turn, deltas}`: the last `deltas` text_delta and
 * reasoning_delta lines of that turn belonged to the failed attempt and are void. A
 * `tool_end` carries `output`, the result as the model received it, cut at
 * JSON_TOOL_OUTPUT_CAP characters with a note saying how much was left out.
 */
export function createJsonPrinter(out: Sink, redactor?: Redactor): (event: AgentEvent) => void {
  let attemptTurn = 0;
  let attemptDeltas = 0;
  const write = (event: AgentEvent) => {
    if (event.type === "text_delta" || event.type === "reasoning_delta") {
      if (event.turn !== attemptTurn) {
        attemptTurn = event.turn;
        attemptDeltas = 0;
      }
      attemptDeltas++;
    } else if (event.type === "turn_start") {
      attemptTurn = event.turn;
      attemptDeltas = 0;
    }
    let line: object = event;
    if (event.type === "retry") {
      line = { ...event, discard: { turn: event.turn, deltas: event.turn === attemptTurn ? attemptDeltas : 0 } };
      attemptDeltas = 0;
    } else if (event.type === "tool_end" && event.output !== undefined && event.output.length > JSON_TOOL_OUTPUT_CAP) {
      const left = event.output.length - JSON_TOOL_OUTPUT_CAP;
      line = {
        ...event,
        output: `${event.output.slice(0, JSON_TOOL_OUTPUT_CAP)}\n… [${left} more characters not shown here; the model received them]`,
      };
    }
    out.write(`${JSON.stringify(line)}\n`);
  };
  return redactor ? redactingEventSink(redactor, write) : write;
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
  /**
   * Write the answer once per completed model turn instead of as it streams (for a
   * stdout that is not a terminal): a retried stream then leaves no fragment in a file.
   */
  perTurn?: boolean;
  /** Print only the final answer (e.g. the JSON an --output-schema asks for), nothing streamed. */
  answerOnly?: boolean;
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
  const perTurn = options.perTurn === true;
  const redact = redactor ? redactor.text : (text: string) => text;
  /** One line on stderr: newlines and tabs escaped too. */
  const line = (text: string) => escapeControl(redact(text));
  /** Several lines on stderr (messages, notices). */
  const lines = (text: string) => escapeControl(redact(text), { keepNewlines: true, keepTabs: true });
  const stream = (): RedactingStream => (redactor ? createRedactingStream(redactor.text) : PASS_THROUGH);
  let answer = stream();
  const reasoning = stream();
  /** perTurn: this turn's answer so far, written when the turn completes. */
  let pending = "";
  /** Answer text shown since the turn (or its last retry) began: a retry voids it. */
  let shownThisAttempt = false;

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
    if (perTurn) return;
    writeAnswer(answer.flush());
    if (!textEndsWithNewline) {
      out.write("\n");
      textEndsWithNewline = true;
    }
  };
  /** perTurn: the turn is complete, so its text is final. */
  const commitTurn = () => {
    const text = pending + answer.flush();
    pending = "";
    writeAnswer(text);
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
      case "text_delta": {
        if (event.delta === "" || options.answerOnly) return;
        wroteText = true;
        const ready = answer.push(event.delta);
        if (perTurn) pending += ready;
        else {
          writeAnswer(ready);
          shownThisAttempt ||= ready !== "";
        }
        return;
      }
      case "turn_start":
        shownThisAttempt = false;
        return;
      case "assistant_message":
        if (perTurn) commitTurn();
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
      case "retry": {
        // The failed attempt's text is void: what was held back is dropped, not shown.
        answer = stream();
        pending = "";
        const marked = shownThisAttempt;
        shownThisAttempt = false;
        if (!textEndsWithNewline) {
          out.write("\n");
          textEndsWithNewline = true;
        }
        const what = marked ? "the reply above was cut off and is void" : lines(event.reason);
        const why = marked ? ` (${lines(event.reason)})` : "";
        err.write(
          style.yellow(
            `↻ ${what}${why}; retrying in ${(event.delayMs / 1000).toFixed(1)}s (attempt ${event.attempt})\n`,
          ),
        );
        return;
      }
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
        if (perTurn && pending !== "") commitTurn();
        endTextLine();
        if (event.status === "done" && (!wroteText || options.answerOnly) && event.message !== "") {
          writeAnswer(redact(event.message));
          if (!textEndsWithNewline) {
            out.write("\n");
            textEndsWithNewline = true;
          }
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
  const reason = resultReasonOf(event);
  const parts = [
    event.status === "done" && event.proof === "failed"
      ? "done (checks failed)"
      : reason === event.status || (reason === "denied" && event.status === "done")
        ? event.status
        : `${event.status} (${reason})`,
    `${event.turns} ${event.turns === 1 ? "call" : "calls"}`,
    `${event.toolCalls} tool ${event.toolCalls === 1 ? "call" : "calls"}`,
    `${event.usage.inputTokens.toLocaleString("en-US")} in / ${event.usage.outputTokens.toLocaleString("en-US")} out tokens`,
  ];
  if (event.costUsd !== null) parts.push(`$${event.costUsd.toFixed(4)}`);
  parts.push(`${(event.durationMs / 1000).toFixed(1)}s`);
  if (event.filesChanged.length > 0) parts.push(`changed: ${event.filesChanged.join(", ")}`);
  return parts.join(" · ");
}
