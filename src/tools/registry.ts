import { errorMessage } from "../core/errors.js";
import type { JsonSchema, Tool, ToolCall, ToolContext, ToolResult, ToolSchema } from "../core/types.js";
import type { OutputStore } from "./output-store.js";

export interface ToolRegistryOptions {
  outputs: OutputStore;
}

export interface ToolRegistry {
  schemas(): ToolSchema[];
  has(name: string): boolean;
  names(): string[];
  /** Whether the named tool can change files or run commands; undefined for an unknown tool. */
  mutates(name: string): boolean | undefined;
  /** Validates, runs and records one call. Never throws: every failure is an error result. */
  execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult>;
}

/**
 * Schemas and dispatch for a set of tools. Arguments are validated here, once, before
 * any tool runs; obvious type slips ("5" for an integer, "true" for a boolean) are
 * coerced, anything else comes back as an error that says how to call the tool.
 * Every result except recall's own is recorded in the output store under its call id.
 */
export function createToolRegistry(tools: Tool[], options: ToolRegistryOptions): ToolRegistry {
  const byName = new Map<string, Tool>();
  for (const tool of tools) byName.set(tool.name, tool);
  const { outputs } = options;

  const run = async (call: ToolCall, ctx: ToolContext): Promise<ToolResult> => {
    const tool = byName.get(call.name);
    if (!tool) {
      return failure(
        `unknown tool ${JSON.stringify(call.name)}; available tools: ${[...byName.keys()].join(", ")}`,
        `unknown tool ${call.name}`,
      );
    }
    if (call.argsError !== undefined) {
      return failure(
        `the arguments of ${tool.name} were not valid JSON (${call.argsError}); send them again as one JSON object: ${signature(tool)}`,
        `${tool.name}: malformed arguments`,
      );
    }
    const checked = validateArgs(tool, call.args ?? {});
    if ("error" in checked) return failure(checked.error, `${tool.name}: ${checked.short}`);
    let result: ToolResult;
    try {
      result = await tool.execute(checked.args, ctx);
    } catch (err) {
      return failure(`${tool.name} failed unexpectedly: ${errorMessage(err)}`, `${tool.name} crashed`);
    }
    if (checked.ignored.length > 0) {
      const note = `(ignored unknown parameter ${checked.ignored.map((k) => JSON.stringify(k)).join(", ")}; ${signature(tool)})`;
      result = { ...result, content: `${result.content}\n${note}` };
    }
    return result;
  };

  return {
    schemas() {
      return tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
    },
    has(name) {
      return byName.has(name);
    },
    names() {
      return [...byName.keys()];
    },
    mutates(name) {
      return byName.get(name)?.mutates;
    },
    async execute(call, ctx) {
      let result: ToolResult;
      try {
        result = await run(call, ctx);
      } catch (err) {
        result = failure(`${call.name} failed unexpectedly: ${errorMessage(err)}`, `${call.name} crashed`);
      }
      if (call.name !== "recall") {
        outputs.record({
          callId: call.id,
          toolName: call.name,
          turn: ctx.turn,
          output: result.fullOutput ?? result.content,
        });
      }
      return result;
    },
  };
}

function failure(content: string, display: string): ToolResult {
  return { content, display, isError: true };
}

/** `bash {command: string, timeout?: integer}`: how to call a tool, in one line. */
export function signature(tool: Tool): string {
  const props = tool.parameters.properties ?? {};
  const required = new Set(tool.parameters.required ?? []);
  const parts = Object.entries(props).map(([key, schema]) => {
    const type = schema.enum ? schema.enum.map((v) => JSON.stringify(v)).join("|") : schema.type;
    return `${key}${required.has(key) ? "" : "?"}: ${type}`;
  });
  return `${tool.name} {${parts.join(", ")}}`;
}

type Checked = { args: Record<string, unknown>; ignored: string[] } | { error: string; short: string };

function validateArgs(tool: Tool, raw: Record<string, unknown>): Checked {
  const props = tool.parameters.properties ?? {};
  const args: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in props)) {
      ignored.push(key);
      continue;
    }
    // Models often send null for an optional parameter they mean to leave out.
    if (value === null || value === undefined) continue;
    const coerced = coerce(value, props[key]);
    if (coerced === INVALID) {
      const expected = props[key].enum
        ? `one of ${props[key].enum.map((v) => JSON.stringify(v)).join(", ")}`
        : `a${/^[aeiou]/.test(props[key].type) ? "n" : ""} ${props[key].type}`;
      return {
        error: `parameter "${key}" must be ${expected}, got ${describe(value)}; call ${signature(tool)}`,
        short: `bad ${key}`,
      };
    }
    args[key] = coerced;
  }
  for (const key of tool.parameters.required ?? []) {
    if (!(key in args)) {
      return {
        error: `missing required parameter "${key}" (${props[key]?.type ?? "value"}); call ${signature(tool)}`,
        short: `missing ${key}`,
      };
    }
  }
  return { args, ignored };
}

const INVALID = Symbol("invalid");

function coerce(value: unknown, schema: JsonSchema): unknown {
  const out = coerceType(value, schema);
  if (out === INVALID) return INVALID;
  if (schema.enum && !schema.enum.includes(out as string)) return INVALID;
  return out;
}

function coerceType(value: unknown, schema: JsonSchema): unknown {
  switch (schema.type) {
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return INVALID;
    case "integer":
    case "number": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) return INVALID;
      if (schema.type === "integer" && !Number.isInteger(n)) return INVALID;
      return n;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true") return true;
      if (value === "false") return false;
      return INVALID;
    case "array": {
      const list = typeof value === "string" ? parseList(value, schema) : value;
      if (!Array.isArray(list)) return INVALID;
      if (!schema.items) return list;
      const items = list.map((item) => coerce(item, schema.items as JsonSchema));
      return items.includes(INVALID) ? INVALID : items;
    }
    case "object": {
      const obj = typeof value === "string" ? parseJson(value) : value;
      return typeof obj === "object" && obj !== null && !Array.isArray(obj) ? obj : INVALID;
    }
  }
}

const NUMBER_PAIR = /^\s*\[?\s*(-?\d+)\s*(?:,|:|-|\s)\s*(-?\d+)\s*\]?\s*$/;

/** A JSON array, or for numbers a pair written as text ("10-20", "10, -1"), as models send ranges. */
function parseList(text: string, schema: JsonSchema): unknown {
  const json = parseJson(text);
  if (json !== INVALID) return json;
  const itemType = schema.items?.type;
  const pair = itemType === "integer" || itemType === "number" ? NUMBER_PAIR.exec(text) : null;
  return pair ? [Number(pair[1]), Number(pair[2])] : INVALID;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
