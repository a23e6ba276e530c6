/**
 * Turns a benchmark task's "competent model", written as a plain async function, into a
 * scripted-server policy. The function calls tools through `Model` and gets back exactly
 * the tool results the CLI put into its next request; what it returns is its final
 * answer. It never sees the disk: everything it knows comes from the task text and from
 * what the requests show, as for a real model.
 */
import type { Policy, RecordedRequest, ScriptedToolCall, ScriptedTurn } from "../test/support/scripted-server.js";

export interface ToolOutcome {
  name: string;
  args: Record<string, unknown>;
  /** The tool message's text, as the model received it. */
  content: string;
}

export interface ToolRequest {
  name: string;
  args: Record<string, unknown>;
}

export interface Model {
  /** The task as the first user message gave it. */
  readonly task: string;
  /** One tool call in one turn; resolves to the result text. */
  call(name: string, args: Record<string, unknown>): Promise<string>;
  /** Several tool calls in one turn (run in order by the agent); resolves to their result texts. */
  calls(requests: ToolRequest[]): Promise<string[]>;
}

/** The competent policy: runs tools through `model`, returns the final answer text. */
export type AgentScript = (model: Model) => Promise<string>;

export interface ScriptedAgent {
  policy: Policy;
  /** Every turn the policy answered with, in order (for output-token counts). */
  sent: Array<Exclude<ScriptedTurn, { fault: string }>>;
  /** Set when the script threw; the task then ends with this text as its answer. */
  error(): string | undefined;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null;

export function createScriptedAgent(script: AgentScript): ScriptedAgent {
  const sent: ScriptedAgent["sent"] = [];
  let failure: string | undefined;
  let finalText: string | undefined;
  let nextTurn: Deferred<ScriptedTurn> | undefined;
  let pendingResults: Deferred<ToolOutcome[]> | undefined;
  let pendingCalls: ToolRequest[] = [];
  let latest: RecordedRequest | undefined;
  let turnNumber = 0;

  const model: Model = {
    get task() {
      return latest ? firstUserText(latest.body) : "";
    },
    async call(name, args) {
      const [content] = await model.calls([{ name, args }]);
      return content;
    },
    async calls(requests) {
      if (requests.length === 0) throw new Error("calls() needs at least one tool call");
      pendingCalls = requests;
      pendingResults = deferred<ToolOutcome[]>();
      const results = pendingResults.promise;
      turnNumber += 1;
      const toolCalls: ScriptedToolCall[] = requests.map((r, i) => ({
        id: `call_${turnNumber}_${i}`,
        name: r.name,
        args: r.args,
      }));
      answer({ toolCalls });
      return (await results).map((r) => r.content);
    },
  };

  const answer = (turn: Exclude<ScriptedTurn, { fault: string }>) => {
    sent.push(turn);
    nextTurn?.resolve(turn);
  };

  const policy: Policy = (request) => {
    latest = request;
    if (finalText !== undefined) {
      // Asked again after the final answer (e.g. a nudge): repeat it.
      const turn = { text: finalText };
      sent.push(turn);
      return turn;
    }
    nextTurn = deferred<ScriptedTurn>();
    const turn = nextTurn.promise;
    if (!pendingResults) {
      script(model).then(
        (text) => {
          finalText = text;
          answer({ text });
        },
        (error: unknown) => {
          failure = error instanceof Error ? error.message : String(error);
          finalText = `BENCH POLICY ERROR: ${failure}`;
          answer({ text: finalText });
        },
      );
    } else {
      const results = pendingResults;
      pendingResults = undefined;
      results.resolve(toolOutcomes(request.body, pendingCalls));
    }
    return turn;
  };

  return { policy, sent, error: () => failure };
}

/** The tool messages that follow the last assistant message, matched to the calls made. */
export function toolOutcomes(body: Json, calls: ToolRequest[]): ToolOutcome[] {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  let lastAssistant = -1;
  messages.forEach((m, i) => {
    if (m.role === "assistant") lastAssistant = i;
  });
  const tail = messages.slice(lastAssistant + 1).filter((m) => m.role === "tool");
  const ids = toolCallIds(messages[lastAssistant]);
  return calls.map((call, i) => {
    const byId = tail.find((m) => m.tool_call_id === ids[i]);
    const message = byId ?? tail[i];
    const content = message ? contentText(message.content) : "";
    return { name: call.name, args: call.args, content };
  });
}

function toolCallIds(message: Json | undefined): string[] {
  if (!message || !Array.isArray(message.tool_calls)) return [];
  return message.tool_calls.map((c) => (isRecord(c) && typeof c.id === "string" ? c.id : ""));
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => (isRecord(b) && typeof b.text === "string" ? b.text : "")).join("");
}

function firstUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const first = messages.find((m) => m.role === "user");
  return first ? contentText(first.content) : "";
}
