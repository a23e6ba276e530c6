import type { AgentEvent } from "../core/types.js";
import type { OutputStyle } from "./output-style.js";

export interface Sink {
  write(text: string): void;
}

/** `--json`: one JSON object per AgentEvent per line, nothing else on stdout. */
export function createJsonPrinter(out: Sink): (event: AgentEvent) => void {
  return (event) => out.write(`${JSON.stringify(event)}\n`);
}

export interface PlainPrinterOptions {
  /** The model's answer goes here (stdout), so `parecode "explain x" > notes.md` captures only the answer. */
  out: Sink;
  /** Progress, tool lines, retries and the closing summary go here (stderr). */
  err: Sink;
  style: OutputStyle;
  verbose: boolean;
}

/** The default one-shot output: streamed answer text plus one line per tool call. */
export function createPlainPrinter(options: PlainPrinterOptions): (event: AgentEvent) => void {
  const { out, err, style, verbose } = options;
  let textEndsWithNewline = true;
  let wroteText = false;
  /** Reasoning is being shown on stderr (verbose only); any other event ends it first. */
  let inReasoning = false;
  let reasoningEndsWithNewline = true;
  /** Call summaries by id, so a result line can say which search or command it belongs to. */
  const summaries = new Map<string, string>();

  const endTextLine = () => {
    if (!textEndsWithNewline) {
      out.write("\n");
      textEndsWithNewline = true;
    }
  };

  return (event) => {
    if (inReasoning && event.type !== "reasoning_delta") {
      if (!reasoningEndsWithNewline) err.write("\n");
      inReasoning = false;
    }
    switch (event.type) {
      case "reasoning_delta":
        // Thinking is diagnostics: only with -v, dimmed, on stderr so stdout stays the answer.
        if (!verbose || event.delta === "") return;
        endTextLine();
        err.write(style.dim(inReasoning ? event.delta : `thinking: ${event.delta.trimStart()}`));
        inReasoning = true;
        reasoningEndsWithNewline = event.delta.endsWith("\n");
        return;
      case "text_delta":
        if (event.delta === "") return;
        out.write(event.delta);
        wroteText = true;
        textEndsWithNewline = event.delta.endsWith("\n");
        return;
      case "tool_start":
        endTextLine();
        summaries.set(event.callId, event.summary);
        return;
      case "tool_end": {
        const mark = event.isError ? style.red("✗") : style.dim("›");
        const line = describeToolResult(summaries.get(event.callId), event.display);
        summaries.delete(event.callId);
        err.write(`${mark} ${event.isError ? line : style.dim(line)}\n`);
        return;
      }
      case "retry":
        endTextLine();
        err.write(
          style.yellow(
            `↻ ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)}s (attempt ${event.attempt})\n`,
          ),
        );
        return;
      case "notice":
        if (event.level === "debug" && !verbose) return;
        endTextLine();
        err.write(`${event.level === "warn" ? style.yellow("!") : style.dim("i")} ${event.message}\n`);
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
      case "permission":
        // Denials already show as the tool's result line; -v names the rule behind every decision.
        if (!verbose) return;
        endTextLine();
        err.write(
          style.dim(
            `[permission] ${event.action === "allow" ? "allowed" : "denied"} ${event.tool} by ${event.rule}${
              event.scope && event.scope !== "once" ? ` (remembered for this ${event.scope})` : ""
            }\n`,
          ),
        );
        return;
      case "result": {
        endTextLine();
        if (event.status === "done" && !wroteText && event.message !== "") out.write(`${event.message}\n`);
        if (event.status === "failed") err.write(`${style.red("parecode: task failed:")} ${event.message}\n`);
        if (event.status === "interrupted") err.write(`${style.yellow("parecode: interrupted")}\n`);
        if (event.denials.length > 0) {
          err.write(
            style.yellow(
              `parecode: ${event.denials.length} ${event.denials.length === 1 ? "action was" : "actions were"} denied:\n`,
            ),
          );
          for (const denial of event.denials) {
            const target = denial.target === undefined ? "" : ` ${denial.target.split("\n")[0]}`;
            err.write(`  ${style.red("✗")} ${denial.tool}${target}  (${denial.rule})\n`);
          }
        }
        err.write(style.dim(`${summaryLine(event)}\n`));
        return;
      }
      default:
        return;
    }
  };
}

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
    event.status,
    `${event.turns} ${event.turns === 1 ? "call" : "calls"}`,
    `${event.toolCalls} tool ${event.toolCalls === 1 ? "call" : "calls"}`,
    `${event.usage.inputTokens.toLocaleString("en-US")} in / ${event.usage.outputTokens.toLocaleString("en-US")} out tokens`,
  ];
  if (event.costUsd !== null) parts.push(`$${event.costUsd.toFixed(4)}`);
  parts.push(`${(event.durationMs / 1000).toFixed(1)}s`);
  if (event.filesChanged.length > 0) parts.push(`changed: ${event.filesChanged.join(", ")}`);
  return parts.join(" · ");
}
