/**
 * Deterministic one-line stand-ins for old tool output. The budget's first pass swaps an
 * old result's content for one of these: the model keeps what the call was and how to
 * get the output back (`recall`, which reads the tool layer's output store), and pays a
 * few dozen tokens instead of thousands. No model call is ever spent on a summary.
 */
import type { ToolCall, ToolMessage } from "../core/types.js";

/** Every compressed result starts with this; it is how the budget knows not to compress twice. */
export const COMPRESSED_PREFIX = "[compressed: ";

/** Summaries are one line of at most this many characters (code points). */
export const SUMMARY_MAX_CHARS = 160;

const FIRST_LINE_MAX_CHARS = 80;

export function isCompressed(content: string): boolean {
  return content.startsWith(COMPRESSED_PREFIX);
}

/**
 * One line describing a tool result: the tool's own `summary` (its human display line)
 * when it gave one, else `<tool>: <first non-empty line> (<n> lines)`.
 */
export function summariseToolOutput(toolName: string, content: string, summary?: string): string {
  const given = summary === undefined ? "" : oneLine(summary);
  if (given !== "") return clipChars(given, SUMMARY_MAX_CHARS);
  const lines = content === "" ? [] : content.split("\n");
  const first = lines.find((line) => line.trim() !== "")?.trim() ?? "(no output)";
  const noun = lines.length === 1 ? "line" : "lines";
  return clipChars(
    `${toolName}: ${clipChars(first, FIRST_LINE_MAX_CHARS)} (${lines.length} ${noun})`,
    SUMMARY_MAX_CHARS,
  );
}

/**
 * The `recall` arguments that bring a result back. A recall result is not itself stored
 * (the registry skips recall), so for one of those we point at what it recalled.
 */
export function recallArgsFor(message: ToolMessage, call?: ToolCall): Record<string, string> {
  if (message.toolName === "recall" && call) {
    const args: Record<string, string> = {};
    for (const key of ["tool_call_id", "tool_name"] as const) {
      const value = call.args[key];
      if (typeof value === "string" && value !== "") args[key] = value;
    }
    if (Object.keys(args).length > 0) return args;
  }
  return { tool_call_id: message.toolCallId };
}

/** `[compressed: <summary>; recall {"tool_call_id":"<id>"} for the full output]` */
export function compressedContent(message: ToolMessage, call?: ToolCall): string {
  const summary = summariseToolOutput(message.toolName, message.content, message.summary);
  return `${COMPRESSED_PREFIX}${summary}; recall ${JSON.stringify(recallArgsFor(message, call))} for the full output]`;
}

/**
 * Lines that mean a build or test run failed. Kept verbatim by the budget because the
 * model's next edit depends on the exact file, line and message. Our own bash status
 * line (`exit 1`) is deliberately not enough on its own: every failing `grep` has it.
 */
const FAILURE_PATTERNS: readonly RegExp[] = [
  /(^|[\s:])error(\[[A-Z]?\d+\])?:\s/im, // gcc/clang/rustc/go "file:1:2: error: ...", "error[E0308]: ..."
  /\berror TS\d+/, // tsc
  /\bFAILED\b/, // pytest, cargo test, make, gradle "BUILD FAILED"
  /^\s*(---\s*)?FAIL\b/m, // vitest/jest "FAIL src/a.test.ts", go "--- FAIL: TestX"
  /^\s*[✗✘×]\s/m, // vitest/mocha failure marks
  /\b[1-9]\d* (failed|failing)\b/, // "Tests  2 failed", "3 failing"
  /Traceback \(most recent call last\)/,
  /\bpanicked at\b|^panic: /m, // rust, go
  /\bnpm (ERR!|error)\s/,
  /\bAssertionError\b/,
  /\*\*\* \[[^\]]*\] Error \d+/, // make
  /\b(exit(ed)? (with )?(code|status)|exit code)[:\s]+[1-9]\d*/i, // "exited with code 1", "exit status 2"
];

export function isBuildOrTestFailure(content: string): boolean {
  return FAILURE_PATTERNS.some((pattern) => pattern.test(content));
}

/** A failed `bash` run whose output reads like a build or test failure. */
export function isProtectedFailure(message: ToolMessage): boolean {
  return message.isError === true && message.toolName === "bash" && isBuildOrTestFailure(message.content);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Cuts by code points so emoji and CJK are never split. */
function clipChars(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, maxChars - 1).join("")}…`;
}
