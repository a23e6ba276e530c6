/**
 * `--input-format stream-json`: stdin carries JSON lines from a controlling program, in
 * Claude Code's shapes:
 *
 *   {"type":"user","message":{"role":"user","content":"fix the test"}}     a task (content may
 *                                                    also be [{"type":"text","text":"…"}, …])
 *   {"type":"control_response","response":{"subtype":"success","request_id":"ID",
 *     "response":{"behavior":"allow"}}}             answers the control_request (or --json
 *                                                    approval_request) whose id is ID;
 *                                                    "deny" with an optional "message";
 *                                                    parecode also reads "scope":
 *                                                    "once" | "session" | "project"
 *   {"type":"control_request","request_id":"ID","request":{"subtype":"interrupt"}}
 *                                                    cancels the running task
 *
 * Tasks run one after another in one session (later ones see earlier ones as carry-over).
 * A permission request still open when stdin closes is denied.
 */
import { createInterface } from "node:readline";
import type { ApprovalDecision, ApprovalScope, Approver } from "../core/approval.js";

export interface StreamInputOptions {
  /** A line that could not be used: said on stderr, never fatal. */
  warn(message: string): void;
  /** The controlling program asked to cancel the running task. */
  onInterrupt(): void;
}

export interface StreamInput {
  /** The next task's text, or undefined once stdin has ended. */
  next(): Promise<string | undefined>;
  /** Answers permission requests from control_response lines. */
  approve: Approver;
  close(): void;
}

const SCOPES: readonly ApprovalScope[] = ["once", "session", "project"];

export function createStreamInput(input: NodeJS.ReadableStream, options: StreamInputOptions): StreamInput {
  const tasks: string[] = [];
  const waiting: Array<(task: string | undefined) => void> = [];
  const pending = new Map<string, (decision: ApprovalDecision) => void>();
  let ended = false;
  let lineNumber = 0;

  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  const deliver = (task: string) => {
    const waiter = waiting.shift();
    if (waiter) waiter(task);
    else tasks.push(task);
  };

  lines.on("line", (line) => {
    lineNumber++;
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      options.warn(`stdin line ${lineNumber} is not JSON; ignored (one JSON message per line)`);
      return;
    }
    const problem = handle(message);
    if (problem) options.warn(`stdin line ${lineNumber}: ${problem}; ignored`);
  });
  lines.on("close", () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
    for (const [id, resolve] of pending) {
      pending.delete(id);
      resolve({ approved: false, reason: "stdin closed before an answer came" });
    }
  });

  /** Undefined when the message was used, else why not. */
  const handle = (message: unknown): string | undefined => {
    if (!isRecord(message)) return "not a JSON object";
    if (message.type === "user") {
      const text = userText(message.message);
      if (text === undefined) return 'a user message needs message.content: "text" or [{"type":"text","text":"…"}]';
      if (text.trim() === "") return "the user message is empty";
      deliver(text);
      return undefined;
    }
    if (message.type === "control_response") return answer(message.response);
    if (message.type === "control_request") {
      const request = isRecord(message.request) ? message.request : {};
      if (request.subtype === "interrupt") {
        options.onInterrupt();
        return undefined;
      }
      return `control_request subtype ${JSON.stringify(request.subtype)} is not supported (only "interrupt")`;
    }
    return `type ${JSON.stringify(message.type)} is not understood (user, control_response, control_request)`;
  };

  const answer = (response: unknown): string | undefined => {
    if (!isRecord(response) || typeof response.request_id !== "string")
      return "control_response needs response.request_id";
    const resolve = pending.get(response.request_id);
    if (!resolve) return `no permission request ${JSON.stringify(response.request_id)} is waiting`;
    pending.delete(response.request_id);
    const body = isRecord(response.response) ? response.response : {};
    if (response.subtype === "success" && body.behavior === "allow") {
      const scope = SCOPES.includes(body.scope as ApprovalScope) ? (body.scope as ApprovalScope) : "once";
      resolve({ approved: true, scope });
    } else {
      const reason =
        typeof body.message === "string"
          ? body.message
          : typeof response.error === "string"
            ? response.error
            : undefined;
      resolve({ approved: false, reason });
    }
    return undefined;
  };

  return {
    next() {
      const queued = tasks.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => waiting.push(resolve));
    },
    approve(request, signal) {
      if (ended) return Promise.resolve({ approved: false, reason: "stdin is closed: nobody can answer" });
      return new Promise((resolve) => {
        const settle = (decision: ApprovalDecision) => {
          signal.removeEventListener("abort", onAbort);
          resolve(decision);
        };
        const onAbort = () => {
          pending.delete(request.callId);
          settle({ approved: false });
        };
        signal.addEventListener("abort", onAbort, { once: true });
        pending.set(request.callId, settle);
      });
    },
    close() {
      lines.close();
    },
  };
}

/** The text of a user message: a string, or the text blocks of a content array. */
function userText(message: unknown): string | undefined {
  if (!isRecord(message)) return undefined;
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .filter(isRecord)
    .flatMap((block) => (block.type === "text" && typeof block.text === "string" ? [block.text] : []));
  return texts.length === 0 ? undefined : texts.join("\n");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
