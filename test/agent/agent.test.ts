import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentOptions, runAgentTask } from "../../src/agent/agent.js";
import { buildPreamble } from "../../src/agent/preamble.js";
import { buildSystemPrompt } from "../../src/agent/system-prompt.js";
import type { Profile } from "../../src/config/types.js";
import type { AgentEvent } from "../../src/core/types.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let root: string;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

async function setup(files: Record<string, string>, turns: ScriptedTurn[] | ((index: number) => ScriptedTurn)) {
  root = await mkdtemp(path.join(tmpdir(), "agent-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  server = await startScriptedServer(
    Array.isArray(turns) ? { script: turns } : { policy: (_request, index) => turns(index) },
  );
  const profile: Profile = {
    name: "t",
    provider: "openai",
    endpoint: server.openaiBaseUrl,
    model: "m",
    apiKey: "k",
    contextTokens: 32_000,
    source: "config",
  };
  return profile;
}

async function run(profile: Profile, task: string, overrides: Partial<AgentOptions> = {}) {
  const events: AgentEvent[] = [];
  const tools = createNativeToolRegistry({ root });
  const preamble = await buildPreamble({ root, contextTokens: profile.contextTokens });
  const result = await runAgentTask(
    task,
    {
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools,
      model: profile.model,
      profileName: profile.name,
      provider: profile.provider,
      systemPrompt: buildSystemPrompt({ platform: "linux", preamble: preamble.text }),
      contextTokens: profile.contextTokens,
      maxIterations: 10,
      costUsd: () => 0,
      onContextTrimmed: () => tools.cache.clear(),
      ...overrides,
    },
    { signal: new AbortController().signal, onEvent: (event) => events.push(event) },
  );
  return { result, events };
}

function lastToolResult(index: number): string {
  const messages = server?.requests[index].body.messages as Array<{ role: string; content: string }>;
  return messages.filter((m) => m.role === "tool").at(-1)?.content ?? "";
}

describe("agent loop", () => {
  it("answers a repeated call from cache and stops the task on the third", async () => {
    const read = { toolCalls: [{ name: "list_files", args: { path: "." } }] };
    const profile = await setup({ "a.txt": "a\n" }, [read, read, read, { text: "unreachable" }]);
    const { result } = await run(profile, "look around");

    expect(lastToolResult(2)).toContain("[repeated call: this is the result you already got in turn 1");
    expect(result.status).toBe("failed");
    expect(result.reason).toBe("loop");
    expect(result.message).toMatch(/same call 3 times/);
    expect(server?.requests).toHaveLength(3);
  });

  it("runs an identical read again after the file was edited", async () => {
    const read = { toolCalls: [{ name: "read_file", args: { path: "a.txt" } }] };
    const profile = await setup({ "a.txt": "one\n" }, [
      read,
      { toolCalls: [{ name: "edit_file", args: { path: "a.txt", old_str: "one", new_str: "two" } }] },
      read,
      { text: "done" },
    ]);
    const { result } = await run(profile, "edit");
    expect(result.status).toBe("done");
    expect(lastToolResult(3)).toContain("two");
    expect(lastToolResult(3)).not.toContain("repeated call");
  });

  it("compresses older tool results once the budget is exceeded and says so once", async () => {
    const big = Array.from({ length: 140 }, (_, i) => `const value${i} = "${"x".repeat(40)}";`).join("\n");
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`f${i}.ts`] = big;
    const profile = await setup(files, (index) =>
      index < 4 ? { toolCalls: [{ name: "read_file", args: { path: `f${index}.ts` } }] } : { text: "done" },
    );
    const { result, events } = await run(profile, "read them all", { contextTokens: 12_000 });

    expect(result.status).toBe("done");
    const budgets = events.filter((e) => e.type === "budget");
    expect(budgets.length).toBeGreaterThan(0);
    const lastBody = JSON.stringify(server?.requests.at(-1)?.body);
    expect(lastBody).toContain("[compressed: ");
    expect(lastBody.split("older tool outputs are compressed").length - 1).toBe(1);
    // The newest result is always intact.
    expect(lastToolResult(4)).toContain("value139");
  });

  it("learns a smaller served window from an overflow error and retries once", async () => {
    const profile = await setup({}, [
      {
        fault: "status",
        status: 400,
        body: {
          error: {
            message:
              "This model's maximum context length is 4096 tokens. However, your messages resulted in 9000 tokens.",
            type: "invalid_request_error",
            code: "context_length_exceeded",
          },
        },
      },
      { text: "fits now" },
    ]);
    const { result, events } = await run(profile, "hello");
    expect(result).toMatchObject({ status: "done", message: "fits now" });
    const notice = events.find((e) => e.type === "notice");
    expect(notice).toMatchObject({ level: "warn" });
    expect(JSON.stringify(notice)).toContain("4096");
  });

  it("fails with the provider's message when the overflow repeats", async () => {
    const overflow: ScriptedTurn = {
      fault: "status",
      status: 400,
      body: { error: { message: "maximum context length is 4096 tokens", type: "invalid_request_error" } },
    };
    const profile = await setup({}, [overflow, overflow]);
    const { result } = await run(profile, "hello");
    expect(result.status).toBe("failed");
    expect(server?.requests).toHaveLength(2);
  });

  it("puts conventions in the system prompt and reports usage for the task", async () => {
    const profile = await setup({ "AGENTS.md": "Always use tabs.\n" }, [
      { text: "ok", usage: { input: 100, output: 5 } },
    ]);
    const { result } = await run(profile, "hi");
    const messages = server?.requests[0].body.messages as Array<{ role: string; content: string }> | undefined;
    const system = messages?.[0] ?? { role: "", content: "" };
    expect(system.role).toBe("system");
    expect(system.content).toContain("Always use tabs.");
    expect(result.usage).toMatchObject({ inputTokens: 100, outputTokens: 5 });
  });
  it("replaces a read of a file with one line once the file is edited, leaving the edit's fresh lines", async () => {
    const source = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join("\n");
    const profile = await setup({ "src/a.ts": `${source}\n` }, [
      { toolCalls: [{ id: "r1", name: "read_file", args: { path: "src/a.ts" } }] },
      {
        toolCalls: [{ id: "e1", name: "edit_file", args: { path: "src/a.ts", old_str: "v7 = 7", new_str: "v7 = 70" } }],
      },
      { text: "done" },
    ]);
    const { result } = await run(profile, "change v7");
    expect(result.status).toBe("done");
    const messages = server?.requests[2].body.messages as Array<{ role: string; content: string }>;
    const tools = messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(tools[0]).toBe(
      "[stale read: src/a.ts changed after this read; its fresh lines are in the edit_file result (call e1). Read again for other parts.]",
    );
    expect(tools[1]).toContain("const v7 = 70;");
    expect(JSON.stringify(messages)).not.toContain("const v20 = 20;");
  });

  it("runs no more tool calls than maxToolCalls and tells the model to finish", async () => {
    const list = (id: string, depth: number) => ({ id, name: "list_files", args: { path: ".", depth } });
    const profile = await setup({ "a.txt": "" }, [
      { toolCalls: [list("a", 1), list("b", 2)] },
      { toolCalls: [list("c", 3)] },
      { text: "stopped" },
    ]);
    const { result, events } = await run(profile, "look", { maxToolCalls: 1 });
    expect(result).toMatchObject({ status: "done", toolCalls: 1 });
    const started = events.filter((e) => e.type === "tool_end" && !e.isError);
    expect(started).toHaveLength(1);
    expect(lastToolResult(1)).toBe(
      "Not run: this task may make 1 tool call and has made them. Reply now with what you did and what is left.",
    );
    expect(lastToolResult(2)).toContain("Not run: this task may make 1 tool call");
  });

  it("ends after one model call in single-turn mode, with the tool's outcome as the answer", async () => {
    const profile = await setup({ "a.txt": "one\n" }, [
      { toolCalls: [{ name: "edit_file", args: { path: "a.txt", old_str: "one", new_str: "two" } }] },
      { text: "unreachable" },
    ]);
    const { result } = await run(profile, "make it two", { singleTurn: true, maxToolCalls: 1 });
    expect(server?.requests).toHaveLength(1);
    expect(result.status).toBe("done");
    expect(result.message).toMatch(/^edit a\.txt/);
    expect(await readFile(path.join(root, "a.txt"), "utf8")).toBe("two\n");
  });
});
