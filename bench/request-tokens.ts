/**
 * The one way the benchmark counts tokens (o200k). A request's input is what a model is
 * billed for reading: the system text, every message's text content, the names and
 * argument JSON of earlier assistant tool calls, and the tool schemas as sent
 * (JSON.stringify of `tools`). Wire framing (roles, ids, JSON punctuation) is not
 * counted, so numbers compare across wire formats. Each piece is counted on its own and
 * the counts are summed.
 */
import { countTokens } from "../src/context/tokens.js";

export interface RequestTokens {
  /** System (or developer) text. */
  system: number;
  /** Text of user, assistant and tool messages. */
  messages: number;
  /** Names and argument JSON of the assistant tool calls in the history. */
  toolCalls: number;
  /** JSON.stringify(tools). */
  tools: number;
  total: number;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null;

/** Counts one recorded request body (OpenAI, Anthropic or Ollama shape). */
export async function countRequestTokens(body: Json): Promise<RequestTokens> {
  const system: string[] = [...textsOf(body.system)];
  const messages: string[] = [];
  const toolCalls: string[] = [];
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (!isRecord(message)) continue;
    const role = message.role;
    const target = role === "system" || role === "developer" ? system : messages;
    target.push(...textsOf(message.content));
    toolCalls.push(...callTexts(message));
  }
  const counted = {
    system: await sum(system),
    messages: await sum(messages),
    toolCalls: await sum(toolCalls),
    tools: Array.isArray(body.tools) && body.tools.length > 0 ? await countTokens(JSON.stringify(body.tools)) : 0,
  };
  return { ...counted, total: counted.system + counted.messages + counted.toolCalls + counted.tools };
}

/** Output of one model turn: its text plus each tool call's name and argument JSON. */
export async function countTurnTokens(turn: {
  text?: string;
  toolCalls?: Array<{ name: string; args: unknown }>;
}): Promise<number> {
  const parts = [turn.text ?? ""];
  for (const call of turn.toolCalls ?? []) {
    parts.push(call.name, typeof call.args === "string" ? call.args : JSON.stringify(call.args));
  }
  return sum(parts);
}

async function sum(texts: string[]): Promise<number> {
  let total = 0;
  for (const text of texts) if (text !== "") total += await countTokens(text);
  return total;
}

/** Text of a content field: a string, or blocks (text, tool_result, tool_use input). */
function textsOf(content: unknown): string[] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  const out: string[] = [];
  for (const block of content) {
    if (typeof block === "string") out.push(block);
    else if (!isRecord(block)) continue;
    else if (typeof block.text === "string") out.push(block.text);
    else if (block.type === "tool_result") out.push(...textsOf(block.content));
    else if (block.type === "tool_use") out.push(String(block.name ?? ""), JSON.stringify(block.input ?? {}));
  }
  return out;
}

/** OpenAI `tool_calls[].function` (arguments as text) and Ollama's (arguments as an object). */
function callTexts(message: Json): string[] {
  if (!Array.isArray(message.tool_calls)) return [];
  const out: string[] = [];
  for (const call of message.tool_calls) {
    const fn = isRecord(call) && isRecord(call.function) ? call.function : undefined;
    if (!fn) continue;
    out.push(String(fn.name ?? ""));
    out.push(typeof fn.arguments === "string" ? fn.arguments : JSON.stringify(fn.arguments ?? {}));
  }
  return out;
}
