import { describe, expect, it } from "vitest";
import { makeTree, toolContext } from "../../test/support/tool-tree.js";
import { createReadCache } from "../context/read-cache.js";
import { countTokens } from "../context/tokens.js";
import type { JsonSchema, Tool, ToolCall } from "../core/types.js";
import { createBashTool } from "./bash.js";
import { lineHash } from "./line-hash.js";
import { createListFilesTool } from "./list-files.js";
import { createOutputStore } from "./output-store.js";
import { createReadFileTool } from "./read-file.js";
import { createRecallTool } from "./recall.js";
import { createToolRegistry } from "./registry.js";
import { createSearchTool } from "./search.js";

const call = (name: string, args: Record<string, unknown>, extra: Partial<ToolCall> = {}): ToolCall => ({
  id: "call_1",
  name,
  args,
  rawArgs: JSON.stringify(args),
  ...extra,
});

/** A tool that echoes its validated arguments, to see what the registry hands over. */
function echoTool(): Tool {
  return {
    name: "echo",
    description: "echo",
    parameters: {
      type: "object",
      properties: {
        text: { type: "string" },
        count: { type: "integer" },
        loud: { type: "boolean" },
        mode: { type: "string", enum: ["a", "b"] },
        tags: { type: "array", items: { type: "string" } },
      },
      required: ["text"],
    },
    mutates: false,
    async execute(args) {
      return { content: JSON.stringify(args), display: "echo", isError: false };
    },
  };
}

function throwingTool(): Tool {
  return {
    name: "boom",
    description: "boom",
    parameters: { type: "object", properties: {} },
    mutates: false,
    async execute() {
      throw new Error("kaput");
    },
  };
}

describe("tool registry", () => {
  const setup = () => {
    const outputs = createOutputStore();
    return { outputs, registry: createToolRegistry([echoTool(), throwingTool()], { outputs }) };
  };

  it("lists schemas and names", () => {
    const { registry } = setup();
    expect(registry.names()).toEqual(["echo", "boom"]);
    expect(registry.has("echo")).toBe(true);
    expect(registry.has("nope")).toBe(false);
    expect(registry.schemas()[0]).toMatchObject({ name: "echo", description: "echo" });
  });

  it("answers an unknown tool with the available names", async () => {
    const result = await setup().registry.execute(call("reed_file", {}), toolContext());
    expect(result).toMatchObject({ content: 'unknown tool "reed_file"; available tools: echo, boom', isError: true });
  });

  it("quotes a JSON error and asks for valid arguments", async () => {
    const result = await setup().registry.execute(
      call("echo", {}, { argsError: "Unexpected end of JSON input", rawArgs: '{"text": "a' }),
      toolContext(),
    );
    expect(result.content).toBe(
      'the arguments of echo were not valid JSON (Unexpected end of JSON input); send them again as one JSON object: echo {text: string, count?: integer, loud?: boolean, mode?: "a"|"b", tags?: array}',
    );
  });

  it("names a missing required parameter", async () => {
    const result = await setup().registry.execute(call("echo", { count: 1 }), toolContext());
    expect(result.content).toMatch(/^missing required parameter "text" \(string\); call echo \{text: string/);
    expect(result.isError).toBe(true);
  });

  it("coerces obvious slips and drops nulls", async () => {
    const result = await setup().registry.execute(
      call("echo", { text: 42, count: "5", loud: "true", mode: null, tags: '["x"]' }),
      toolContext(),
    );
    expect(JSON.parse(result.content)).toEqual({ text: "42", count: 5, loud: true, tags: ["x"] });
  });

  it('takes a number range sent as text ("10-20") for an array of integers', async () => {
    const tree = await makeTree({ "r.txt": "a\nb\nc\n" });
    const read = (range: string) =>
      createToolRegistry([createReadFileTool({ root: tree.root, cache: createReadCache() })], {
        outputs: createOutputStore(),
      }).execute(call("read_file", { path: "r.txt", line_range: range }), toolContext());
    try {
      for (const range of ["2-3", "2, 3", "[2, -1]", "2:-1"]) {
        expect((await read(range)).content).toBe(`2#${lineHash("b")}:b\n3#${lineHash("c")}:c`);
      }
      expect((await read("2-x")).content).toMatch(/^parameter "line_range" must be an array, got "2-x"/);
    } finally {
      await tree.cleanup();
    }
  });

  it("rejects wrong types and unknown enum values by name", async () => {
    const { registry } = setup();
    const count = await registry.execute(call("echo", { text: "a", count: "five" }), toolContext());
    expect(count.content).toMatch(/^parameter "count" must be an integer, got "five"; call echo/);
    const fraction = await registry.execute(call("echo", { text: "a", count: 1.5 }), toolContext());
    expect(fraction.content).toMatch(/^parameter "count" must be an integer, got 1.5/);
    const mode = await registry.execute(call("echo", { text: "a", mode: "c" }), toolContext());
    expect(mode.content).toMatch(/^parameter "mode" must be one of "a", "b", got "c"/);
  });

  it("runs with unknown parameters dropped and says so", async () => {
    const result = await setup().registry.execute(call("echo", { text: "a", colour: "red" }), toolContext());
    expect(result.content).toBe(
      '{"text":"a"}\n(ignored unknown parameter "colour"; echo {text: string, count?: integer, loud?: boolean, mode?: "a"|"b", tags?: array})',
    );
  });

  it("turns a throwing tool into an error result and records every result", async () => {
    const { registry, outputs } = setup();
    const result = await registry.execute(call("boom", {}, { id: "call_4" }), toolContext("call_4"));
    expect(result).toMatchObject({ content: "boom failed unexpectedly: kaput", isError: true });
    expect(outputs.byId("call_4")).toMatchObject({ toolName: "boom", output: "boom failed unexpectedly: kaput" });
  });
});

describe("native tool schemas", () => {
  const ALLOWED_KEYS = new Set(["type", "properties", "required", "description", "enum", "items"]);
  const leanViolations = (schema: JsonSchema, at: string): string[] => {
    const own = Object.keys(schema)
      .filter((k) => !ALLOWED_KEYS.has(k))
      .map((k) => `${at}.${k}`);
    const props = Object.entries(schema.properties ?? {}).flatMap(([k, s]) => leanViolations(s, `${at}.${k}`));
    const items = schema.items ? leanViolations(schema.items, `${at}[]`) : [];
    return [...own, ...props, ...items];
  };

  it("use only the lean JSON Schema subset, the public names, and under 100 tokens each", async () => {
    const tree = await makeTree({});
    try {
      const outputs = createOutputStore();
      const tools = [
        createBashTool({ root: tree.root }),
        createSearchTool({ root: tree.root }),
        createListFilesTool({ root: tree.root }),
        createRecallTool({ outputs }),
      ];
      const registry = createToolRegistry(tools, { outputs });
      const params = Object.fromEntries(
        registry
          .schemas()
          .map((s) => [s.name, [Object.keys(s.parameters.properties ?? {}), s.parameters.required ?? []]]),
      );
      expect(params).toEqual({
        bash: [["command", "timeout"], ["command"]],
        search: [["pattern", "path", "glob"], ["pattern"]],
        list_files: [["path", "depth"], []],
        recall: [["tool_call_id", "tool_name"], []],
      });
      for (const schema of registry.schemas()) {
        expect(leanViolations(schema.parameters, schema.name)).toEqual([]);
        expect(await countTokens(JSON.stringify(schema))).toBeLessThan(100);
      }
    } finally {
      await tree.cleanup();
    }
  });
});
