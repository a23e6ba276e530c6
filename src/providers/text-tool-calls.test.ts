import { describe, expect, it } from "vitest";
import type { ToolSchema } from "../core/types.js";
import { parseToolArgs } from "./json-repair.js";
import { type ExtractPiece, type TextCall, TextToolCallExtractor } from "./text-tool-calls.js";

const TOOLS: ToolSchema[] = [
  {
    name: "read_file",
    description: "Read a file",
    parameters: {
      type: "object",
      properties: { path: { type: "string" }, line_range: { type: "array", items: { type: "integer" } } },
      required: ["path"],
    },
  },
  {
    name: "bash",
    description: "Run a command",
    parameters: { type: "object", properties: { command: { type: "string" }, timeout: { type: "integer" } } },
  },
];

function extract(
  chunks: string[],
  loose = true,
  tools = TOOLS,
): { text: string; calls: TextCall[]; pieces: ExtractPiece[] } {
  const extractor = new TextToolCallExtractor({ tools, loose });
  const pieces = [...chunks.flatMap((c) => extractor.push(c)), ...extractor.flush()];
  const text = pieces.map((p) => (p.kind === "text" ? p.text : "")).join("");
  const calls = pieces.flatMap((p) => (p.kind === "call" ? [p.call] : []));
  return { text, calls, pieces };
}

function chunkings(text: string): string[][] {
  const out: string[][] = [[text], Array.from(text)];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const args = (call: TextCall) => JSON.parse(call.rawArgs) as unknown;

describe("TextToolCallExtractor: <tool_call> tags", () => {
  it("takes a Hermes/Qwen call out of the text, however the stream is cut", () => {
    const text = 'Let me look.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/a.ts"}}\n</tool_call>';
    for (const chunks of chunkings(text)) {
      const { text: rest, calls } = extract(chunks);
      expect(rest).toBe("Let me look.\n");
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ name: "read_file", complete: true });
      expect(args(calls[0])).toEqual({ path: "src/a.ts" });
    }
  });

  it("takes several calls and keeps the text between them", () => {
    const { text, calls } = extract([
      '<tool_call>{"name":"read_file","arguments":{"path":"a"}}</tool_call> and ',
      '<tool_call>{"name":"bash","arguments":{"command":"ls"}}</tool_call>',
    ]);
    expect(text).toBe(" and ");
    expect(calls.map((c) => c.name)).toEqual(["read_file", "bash"]);
  });

  it("accepts `parameters` and string-encoded arguments", () => {
    const { calls } = extract([
      '<tool_call>{"name":"bash","parameters":{"command":"ls"}}</tool_call>',
      '<tool_call>{"name":"bash","arguments":"{\\"command\\":\\"pwd\\"}"}</tool_call>',
    ]);
    expect(calls.map(args)).toEqual([{ command: "ls" }, { command: "pwd" }]);
  });

  it("takes a call whose close tag never came (servers stop on it)", () => {
    const { text, calls } = extract(['<tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}\n']);
    expect(text).toBe("");
    expect(calls[0]).toMatchObject({ name: "bash", complete: false });
  });

  it("repairs the wrapper JSON once", () => {
    const { calls } = extract(["<tool_call>{'name': 'bash', 'arguments': {'command': 'ls',},}</tool_call>"]);
    expect(calls[0].name).toBe("bash");
    expect(args(calls[0])).toEqual({ command: "ls" });
  });

  it("salvages the name of a call whose JSON is beyond repair, keeping the raw arguments", () => {
    const { calls } = extract(['<tool_call>{"name": "read_file", "arguments": {"path": src/a.ts}}</tool_call>']);
    expect(calls).toEqual([{ name: "read_file", rawArgs: '{"path": src/a.ts}', complete: true }]);
  });

  it("leaves markup without a recognisable call as text", () => {
    const text = "<tool_call>no json here</tool_call>";
    expect(extract([text])).toMatchObject({ text, calls: [] });
  });

  it("takes a Qwen3-Coder <function=…> call with <parameter=…> values, typed by the schema", () => {
    const text =
      "<tool_call>\n<function=bash>\n<parameter=command>\nls -la\n</parameter>\n<parameter=timeout>\n30\n</parameter>\n</function>\n</tool_call>";
    for (const chunks of [[text], Array.from(text)]) {
      const { text: rest, calls } = extract(chunks);
      expect(rest).toBe("");
      expect(calls[0].name).toBe("bash");
      expect(args(calls[0])).toEqual({ command: "ls -la", timeout: 30 });
    }
  });

  it("leaves text alone when the request has no tools", () => {
    const text = '<tool_call>{"name":"bash","arguments":{}}</tool_call>';
    expect(extract([text], true, [])).toMatchObject({ text, calls: [] });
  });
});

describe("TextToolCallExtractor: <function=…>", () => {
  it("takes a Llama-style call with a JSON body", () => {
    const text = 'ok <function=read_file>{"path": "x.ts"}</function> done';
    for (const chunks of chunkings(text)) {
      const { text: rest, calls } = extract(chunks);
      expect(rest).toBe("ok  done");
      expect(calls).toEqual([{ name: "read_file", rawArgs: '{"path": "x.ts"}', complete: true }]);
    }
  });
});

describe("TextToolCallExtractor: fenced JSON", () => {
  it("takes a ```json block that names a known tool", () => {
    const text = 'I will read it.\n```json\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n```\n';
    for (const chunks of chunkings(text)) {
      const { text: rest, calls } = extract(chunks);
      expect(rest).toBe("I will read it.\n\n");
      expect(calls.map((c) => c.name)).toEqual(["read_file"]);
    }
  });

  it("keeps a JSON block that names an unknown tool, or has no arguments key, as text", () => {
    const unknown = '```json\n{"name": "delete_everything", "arguments": {}}\n```';
    const pkg = '```json\n{"name": "read_file", "version": "1.0.0"}\n```';
    expect(extract([unknown])).toMatchObject({ text: unknown, calls: [] });
    expect(extract([pkg])).toMatchObject({ text: pkg, calls: [] });
  });

  it("streams other code blocks through without holding them", () => {
    const extractor = new TextToolCallExtractor({ tools: TOOLS, loose: true });
    expect(extractor.push("See:\n```ts\nconst a")).toEqual([{ kind: "text", text: "See:\n```ts\nconst a" }]);
    expect(extractor.push(" = 1;\n```\nand ```json\n{")).toEqual([{ kind: "text", text: " = 1;\n```\nand " }]);
    expect(extractor.push('"a": 1}\n```')).toEqual([{ kind: "text", text: '```json\n{"a": 1}\n```' }]);
    expect(extractor.flush()).toEqual([]);
  });

  it("does not read the closing fence of a code block as an opening one", () => {
    const text = '```python\nprint(1)\n```\n{"name": "bash", "arguments": {"command": "ls"}}';
    expect(extract([text])).toMatchObject({ text, calls: [] });
  });

  it("ignores fences in reasoning (strict mode)", () => {
    const text = '```json\n{"name": "bash", "arguments": {"command": "ls"}}\n```';
    expect(extract([text], false)).toMatchObject({ text, calls: [] });
  });
});

describe("TextToolCallExtractor: leading bare JSON", () => {
  it("takes an answer that is only a call object", () => {
    const text = '  {"name": "bash", "arguments": {"command": "echo }"}}';
    for (const chunks of chunkings(text)) {
      const { text: rest, calls } = extract(chunks);
      expect(rest).toBe("");
      expect(calls.map(args)).toEqual([{ command: "echo }" }]);
    }
  });

  it("keeps JSON that is not a call as text, and JSON later in the answer is never a call", () => {
    const data = '{"a": 1} is the config';
    expect(extract([data])).toMatchObject({ text: data, calls: [] });
    const later = 'Result: {"name": "bash", "arguments": {"command": "ls"}}';
    expect(extract([later])).toMatchObject({ text: later, calls: [] });
  });

  it("marks a bare call cut off by the end of the stream as incomplete", () => {
    const { calls } = extract(['{"name": "bash", "arguments": {"command": "ls']);
    expect(calls[0]).toMatchObject({ name: "bash", complete: false });
  });

  it("passes the raw arguments of a call cut off inside a string on, never the closed-up guess", () => {
    for (const text of [
      '<tool_call>{"name": "bash", "arguments": {"command": "echo one two',
      '{"name": "bash", "arguments": {"command": "echo one two',
    ]) {
      const { calls } = extract([text]);
      expect(calls).toHaveLength(1);
      const parsed = parseToolArgs(calls[0].rawArgs, "bash");
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain("cut off");
    }
  });
});

describe("TextToolCallExtractor: markup the model only writes about", () => {
  it("runs nothing for a tag quoted in backticks or in a string, in the answer or in reasoning", () => {
    const texts = [
      'Qwen writes calls as `<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>` in its text.',
      'The parser matches "<function=bash>{"command": "ls"}</function>" only at the top level.',
    ];
    for (const text of texts) {
      for (const loose of [true, false]) {
        for (const chunks of chunkings(text)) expect(extract(chunks, loose)).toMatchObject({ text, calls: [] });
      }
    }
  });

  it("still takes a real call after a quoted mention", () => {
    const text = 'Using `<tool_call>` now.\n<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>';
    for (const chunks of chunkings(text)) {
      const { text: rest, calls } = extract(chunks);
      expect(rest).toBe("Using `<tool_call>` now.\n");
      expect(calls.map(args)).toEqual([{ command: "ls" }]);
    }
  });
});
