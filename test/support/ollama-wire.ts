/**
 * Ollama's native API as the scripted server speaks it: /api/chat as NDJSON (streaming is
 * Ollama's default) or one object with `"stream": false`, plus /api/tags, /api/show and
 * /api/version for model discovery.
 */
import { splitPieces, type WireFormat, type WireTurn } from "./wire-common.js";

export interface OllamaModel {
  name: string;
  contextLength?: number;
}

export const DEFAULT_OLLAMA_MODELS: OllamaModel[] = [{ name: "qwen3:14b" }];
export const DEFAULT_CONTEXT_LENGTH = 40_960;
export const OLLAMA_VERSION = "0.12.6";

function doneReason(turn: WireTurn): string {
  return turn.stopReason === "max_tokens" ? "length" : "stop";
}

function toolCalls(turn: WireTurn): unknown[] {
  return turn.toolCalls.map((call, index) => {
    // Ollama parses the model's output itself and sends `arguments` as an object. A
    // scripted string that is not a JSON object has no faithful form, so it goes out as a
    // JSON string value: clients must reject it as bad arguments rather than crash.
    const fn = { index, name: call.name, arguments: call.argsObject ?? call.argsText };
    // Older Ollama releases send no id; send one only when the script asks, so clients
    // are exercised minting their own.
    return call.id === undefined ? { function: fn } : { id: call.id, function: fn };
  });
}

function timings(turn: WireTurn): Record<string, unknown> {
  return {
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: turn.usage.input,
    prompt_eval_duration: 200_000,
    eval_count: turn.usage.output,
    eval_duration: 700_000,
  };
}

function complete(turn: WireTurn): unknown {
  const message: Record<string, unknown> = { role: "assistant", content: turn.text };
  if (turn.reasoning !== "") message.thinking = turn.reasoning;
  if (turn.toolCalls.length > 0) message.tool_calls = toolCalls(turn);
  return {
    model: turn.model,
    created_at: new Date().toISOString(),
    message,
    done_reason: doneReason(turn),
    done: true,
    ...timings(turn),
  };
}

function frames(turn: WireTurn): string[] {
  const createdAt = new Date().toISOString();
  const line = (message: Record<string, unknown>, done = false, extra: Record<string, unknown> = {}): string =>
    `${JSON.stringify({ model: turn.model, created_at: createdAt, message: { role: "assistant", content: "", ...message }, done, ...extra })}\n`;
  const out: string[] = [];
  for (const piece of splitPieces(turn.reasoning)) out.push(line({ thinking: piece }));
  for (const piece of splitPieces(turn.text)) out.push(line({ content: piece }));
  // Ollama sends tool calls whole, in one chunk, never as argument fragments.
  if (turn.toolCalls.length > 0) out.push(line({ tool_calls: toolCalls(turn) }));
  out.push(line({}, true, { done_reason: doneReason(turn), ...timings(turn) }));
  return out;
}

function errorBody(_status: number, message: string): unknown {
  return { error: message };
}

export const ollamaWire: WireFormat = {
  streamContentType: "application/x-ndjson",
  complete,
  frames,
  errorBody,
};

/** The architecture Ollama would report: the family prefix of the name ("qwen3:14b" → "qwen3"). */
function architecture(name: string): string {
  return /^[a-z]+\d*/.exec(name.toLowerCase())?.[0] ?? "llama";
}

function details(model: OllamaModel): Record<string, unknown> {
  const family = architecture(model.name);
  return {
    parent_model: "",
    format: "gguf",
    family,
    families: [family],
    parameter_size: "14.8B",
    quantization_level: "Q4_K_M",
  };
}

/** GET /api/tags. */
export function ollamaTags(models: OllamaModel[]): unknown {
  return {
    models: models.map((model, index) => ({
      name: model.name,
      model: model.name,
      modified_at: "2025-06-01T12:00:00.000000000Z",
      size: 9_276_198_565,
      digest: `${index}`.padStart(64, "a"),
      details: details(model),
    })),
  };
}

/** POST /api/show for a known model; the context length sits under `<architecture>.context_length`. */
export function ollamaShow(model: OllamaModel): unknown {
  const arch = architecture(model.name);
  return {
    license: "",
    modelfile: `FROM ${model.name}\n`,
    parameters: "temperature 0.6",
    template: "{{ .Prompt }}",
    details: details(model),
    model_info: {
      "general.architecture": arch,
      "general.parameter_count": 14_768_307_200,
      [`${arch}.context_length`]: model.contextLength ?? DEFAULT_CONTEXT_LENGTH,
    },
    capabilities: ["completion", "tools", "thinking"],
    modified_at: "2025-06-01T12:00:00.000000000Z",
  };
}
