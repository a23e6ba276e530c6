/**
 * The one-shot approval prompt: a compact question on stderr answered with one key.
 * y once, a always this session, p always in this project, n or Esc no (then an
 * optional reason the model receives). Ctrl+C at the prompt refuses and interrupts the
 * task. The TUI answers the same ApprovalRequest with its own dialog.
 */
import { createInterface } from "node:readline";
import type { ApprovalDecision, ApprovalRequest, Approver } from "../core/approval.js";
import { escapeControl } from "../core/terminal-text.js";
import type { OutputStyle } from "./output-style.js";

export interface TerminalApproverOptions {
  /** A TTY: keys are read in raw mode. */
  input: NodeJS.ReadStream;
  /** Where the question is drawn (stderr, so stdout stays the answer). */
  output: NodeJS.WritableStream;
  style: OutputStyle;
  /** Ctrl+C at the prompt: the task is interrupted as if Ctrl+C had been pressed outside it. */
  onInterrupt(): void;
}

export function createTerminalApprover(options: TerminalApproverOptions): Approver {
  const { output, style } = options;
  return async (request, signal) => {
    output.write(renderRequest(request, style));
    const key = await readKey(options.input, signal);
    const decision = keyDecision(key);
    output.write(`${describeDecision(decision, style)}\n`);
    if (key === "interrupt") {
      options.onInterrupt();
      return decision;
    }
    if (decision.approved || signal.aborted) return decision;
    const reason = await readLine(options, "  reason for the model (Enter to skip): ", signal);
    return reason ? { approved: false, reason } : decision;
  };
}

type Key = "y" | "a" | "p" | "n" | "interrupt";

function keyDecision(key: Key): ApprovalDecision {
  if (key === "y") return { approved: true, scope: "once" };
  if (key === "a") return { approved: true, scope: "session" };
  if (key === "p") return { approved: true, scope: "project" };
  return { approved: false };
}

/** The question as lines on stderr; every model-supplied string is escaped. */
export function renderRequest(request: ApprovalRequest, style: OutputStyle): string {
  const lines = [`${style.yellow("?")} ${question(request)}`];
  lines.push(style.dim(`  asked by: ${escapeControl(request.rule)}`));
  if (request.kind === "command" && request.command !== undefined) {
    for (const line of escapeControl(request.command, { keepNewlines: true }).split("\n")) lines.push(`  $ ${line}`);
  }
  if (request.args !== undefined) lines.push(`  ${escapeControl(request.args)}`);
  if (request.diff) {
    for (const line of escapeControl(request.diff, { keepNewlines: true, keepTabs: true }).split("\n")) {
      const painted =
        line.startsWith("+") && !line.startsWith("+++")
          ? style.green(line)
          : line.startsWith("-") && !line.startsWith("---")
            ? style.red(line)
            : style.dim(line);
      lines.push(`  ${painted}`);
    }
  }
  lines.push(
    `  ${style.green("y")} yes  ${style.green("a")} always this session  ${style.green("p")} always in this project  ${style.red("n")} no`,
  );
  lines.push(style.dim(`  (always = ${escapeControl(request.remember)})`));
  return `${lines.join("\n")}\n  > `;
}

function question(request: ApprovalRequest): string {
  if (request.kind === "command") return "Run this command?";
  const target = request.path === undefined ? "" : ` to ${escapeControl(request.path)}`;
  if (request.kind === "edit") return `Apply this change${target}? (${escapeControl(request.tool)})`;
  return `Allow ${escapeControl(request.tool)}${target}?`;
}

function describeDecision(decision: ApprovalDecision, style: OutputStyle): string {
  if (!decision.approved) return style.red(decision.reason ? `no: ${escapeControl(decision.reason)}` : "no");
  if (decision.scope === "once") return style.green("yes");
  return style.green(decision.scope === "session" ? "yes, for this session" : "yes, for this project");
}

/** One decisive key in raw mode; anything else is ignored. Esc counts as n; an aborted task as interrupt. */
function readKey(input: NodeJS.ReadStream, signal: AbortSignal): Promise<Key> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve("interrupt");
      return;
    }
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.resume();
    const finish = (key: Key) => {
      input.off("data", onData);
      signal.removeEventListener("abort", onAbort);
      input.setRawMode(wasRaw);
      input.pause();
      resolve(key);
    };
    const onAbort = () => finish("interrupt");
    const onData = (chunk: Buffer | string) => {
      const text = chunk.toString();
      if (text === "\u0003") return finish("interrupt");
      if (text === "\u001b") return finish("n");
      const ch = text.toLowerCase();
      if (ch === "y" || ch === "a" || ch === "p" || ch === "n") return finish(ch);
    };
    input.on("data", onData);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function readLine(options: TerminalApproverOptions, prompt: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: options.input, output: options.output, terminal: true });
    let done = false;
    const finish = (answer: string) => {
      if (done) return;
      done = true;
      signal.removeEventListener("abort", onAbort);
      rl.close();
      options.input.pause();
      resolve(answer.trim());
    };
    const onAbort = () => finish("");
    signal.addEventListener("abort", onAbort, { once: true });
    // Ctrl+C while typing the reason: no reason, and the refusal stands.
    rl.on("SIGINT", () => finish(""));
    rl.question(prompt, finish);
  });
}

export interface TrustQuestion {
  folder: string;
  file: string;
  loosening: string[];
}

/** Asks once whether to trust a folder whose permission file allows more; y trusts, anything else does not. */
export function createTrustPrompt(
  options: Omit<TerminalApproverOptions, "onInterrupt">,
): (q: TrustQuestion) => Promise<boolean> {
  return async (question) => {
    const lines = [
      `${options.style.yellow("?")} ${escapeControl(question.file)} in ${escapeControl(question.folder)} allows more than the defaults:`,
      ...question.loosening.map((item) => `    ${escapeControl(item)}`),
      "  Trust this folder? Its rules then apply on every run here.  y yes  n no (only its stricter rules apply)",
      "  > ",
    ];
    options.output.write(lines.join("\n"));
    const key = await readKey(options.input, new AbortController().signal);
    options.output.write(`${key === "y" ? options.style.green("trusted") : options.style.red("not trusted")}\n`);
    return key === "y";
  };
}
