import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentOptions, runAgentTask } from "../../src/agent/agent.js";
import { buildSystemPrompt } from "../../src/agent/system-prompt.js";
import type { Profile } from "../../src/config/types.js";
import type { AgentEvent } from "../../src/core/types.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import {
  type RecordedRequest,
  type ScriptedServer,
  type ScriptedToolCall,
  type ScriptedTurn,
  startScriptedServer,
} from "../support/scripted-server.js";

type Wire = "openai" | "anthropic";

let server: ScriptedServer | undefined;
let root: string;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

const WINDOW = 8_000;
const TASK = "Read every file under src/ and tell me what they define.";

async function setup(wire: Wire, files: Record<string, string>, policy: (index: number) => ScriptedTurn) {
  root = await mkdtemp(path.join(tmpdir(), "small-window-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  server = await startScriptedServer({ policy: (_request, index) => policy(index) });
  const profile: Profile = {
    name: "t",
    provider: wire,
    endpoint: wire === "openai" ? server.openaiBaseUrl : `${server.url}/v1`,
    model: "m",
    apiKey: "k",
    contextTokens: WINDOW,
    source: "config",
  };
  return profile;
}

async function run(profile: Profile, overrides: Partial<AgentOptions> = {}) {
  const events: AgentEvent[] = [];
  const tools = createNativeToolRegistry({ root });
  const result = await runAgentTask(
    TASK,
    {
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools,
      model: profile.model,
      profileName: profile.name,
      provider: profile.provider,
      systemPrompt: buildSystemPrompt({ platform: "linux", preamble: "" }),
      contextTokens: profile.contextTokens,
      maxIterations: 40,
      costUsd: (usage) => usage.inputTokens / 1e6 + usage.outputTokens / 1e5,
      onContextTrimmed: () => tools.cache.clear(),
      ...overrides,
    },
    { signal: new AbortController().signal, onEvent: (event) => events.push(event) },
  );
  return { result, events };
}

function bigFile(seed: number): string {
  return Array.from({ length: 140 }, (_, i) => `export const value${seed}_${i} = "${"xy".repeat(20)}${i}";`).join("\n");
}

/** Everything the request carries that costs tokens: system, messages and tools. */
function requestTokens(request: RecordedRequest): number {
  const { system, messages, tools } = request.body;
  return countTokens(JSON.stringify({ system, messages, tools }));
}

interface Pairing {
  firstUserText: string;
  orphanCalls: string[];
  orphanResults: string[];
}

/** Checks the tool_use/tool_result pairing exactly as each API enforces it. */
function pairing(wire: Wire, request: RecordedRequest): Pairing {
  const messages = request.body.messages as Array<Record<string, unknown>>;
  const orphanCalls: string[] = [];
  const orphanResults: string[] = [];
  let firstUserText = "";
  if (wire === "openai") {
    const convo = messages.filter((m) => m.role !== "system");
    const first = convo[0];
    firstUserText = typeof first?.content === "string" ? first.content : JSON.stringify(first?.content);
    convo.forEach((m, i) => {
      if (m.role === "assistant") {
        const ids = ((m.tool_calls ?? []) as Array<{ id: string }>).map((c) => c.id);
        // Results must follow the assistant message at once.
        const after: string[] = [];
        for (let j = i + 1; j < convo.length && convo[j].role === "tool"; j++)
          after.push(String(convo[j].tool_call_id));
        for (const id of ids) if (!after.includes(id)) orphanCalls.push(id);
      }
      if (m.role === "tool") {
        let j = i - 1;
        while (j >= 0 && convo[j].role === "tool") j--;
        const ids = ((convo[j]?.tool_calls ?? []) as Array<{ id: string }>).map((c) => c.id);
        if (!ids.includes(String(m.tool_call_id))) orphanResults.push(String(m.tool_call_id));
      }
    });
    return { firstUserText, orphanCalls, orphanResults };
  }
  const blocks = (m: Record<string, unknown> | undefined): Array<Record<string, unknown>> =>
    Array.isArray(m?.content) ? (m.content as Array<Record<string, unknown>>) : [];
  const first = messages[0];
  firstUserText =
    typeof first?.content === "string"
      ? first.content
      : blocks(first)
          .map((b) => b.text ?? "")
          .join("");
  messages.forEach((m, i) => {
    if (m.role === "assistant") {
      const next = blocks(messages[i + 1])
        .filter((b) => b.type === "tool_result")
        .map((b) => String(b.tool_use_id));
      for (const b of blocks(m))
        if (b.type === "tool_use" && !next.includes(String(b.id))) orphanCalls.push(String(b.id));
    }
    if (m.role === "user") {
      const prev = blocks(messages[i - 1])
        .filter((b) => b.type === "tool_use")
        .map((b) => String(b.id));
      for (const b of blocks(m)) {
        if (b.type === "tool_result" && !prev.includes(String(b.tool_use_id)))
          orphanResults.push(String(b.tool_use_id));
      }
    }
  });
  return { firstUserText, orphanCalls, orphanResults };
}

describe.each<Wire>(["openai", "anthropic"])("a long task on an 8k window (%s)", (wire) => {
  it("keeps every request under the window, never orphans a call or result, and finishes", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`src/f${i}.ts`] = bigFile(i);
    const profile = await setup(wire, files, (index) => {
      if (index < 12) {
        // Two calls per turn now and then, so a dropped unit holds more than one result.
        const calls: ScriptedToolCall[] = [
          { id: `call_${index}_a`, name: "read_file", args: { path: `src/f${index}.ts` } },
        ];
        if (index % 3 === 0)
          calls.push({ id: `call_${index}_b`, name: "search", args: { pattern: `value${index}_1` } });
        return { toolCalls: calls };
      }
      return { text: "They define constants." };
    });
    const { result, events } = await run(profile);

    expect(result.status).toBe("done");
    const requests = server?.requests ?? [];
    expect(requests).toHaveLength(13);
    for (const request of requests) {
      expect(requestTokens(request)).toBeLessThan(WINDOW);
      const check = pairing(wire, request);
      expect(check.firstUserText).toContain(TASK);
      expect(check.orphanCalls).toEqual([]);
      expect(check.orphanResults).toEqual([]);
    }
    // The usage in the result is the sum of the per-call usage events.
    const usages = events.filter((e) => e.type === "usage");
    expect(usages).toHaveLength(13);
    expect(result.usage.inputTokens).toBe(usages.reduce((s, e) => s + e.usage.inputTokens, 0));
    expect(result.usage.outputTokens).toBe(usages.reduce((s, e) => s + e.usage.outputTokens, 0));
    const cost = usages.reduce((s, e) => s + (e.costUsd ?? 0), 0);
    expect(result.costUsd).toBeCloseTo(cost, 6);
  });

  it("handles a recalled result that is big again without looping", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`src/f${i}.ts`] = bigFile(i);
    const profile = await setup(wire, files, (index) => {
      if (index < 4)
        return { toolCalls: [{ id: `read_${index}`, name: "read_file", args: { path: `src/f${index}.ts` } }] };
      if (index === 4) return { toolCalls: [{ id: "recall_0", name: "recall", args: { tool_call_id: "read_0" } }] };
      if (index === 5)
        return { toolCalls: [{ id: "read_more", name: "read_file", args: { path: "src/f3.ts", line_range: "1-5" } }] };
      return { text: "Recalled and done." };
    });
    const { result } = await run(profile);

    expect(result).toMatchObject({ status: "done", message: "Recalled and done." });
    const requests = server?.requests ?? [];
    expect(requests).toHaveLength(7);
    // The recall came back in full the call after it was asked for.
    expect(JSON.stringify(requests[5].body)).toContain("value0_100");
    for (const request of requests) {
      expect(requestTokens(request)).toBeLessThan(WINDOW);
      expect(pairing(wire, request).orphanCalls).toEqual([]);
      expect(pairing(wire, request).orphanResults).toEqual([]);
    }
  });

  it("compresses even the newest results when one turn's parallel reads alone overflow, and recalls them one by one", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`src/f${i}.ts`] = bigFile(i);
    const profile = await setup(wire, files, (index) => {
      if (index === 0) {
        const reads = Array.from({ length: 6 }, (_, i) => ({
          id: `r${i}`,
          name: "read_file",
          args: { path: `src/f${i}.ts` },
        }));
        return { toolCalls: reads };
      }
      if (index < 7)
        return { toolCalls: [{ id: `rc${index}`, name: "recall", args: { tool_call_id: `r${index - 1}` } }] };
      if (index < 10)
        return { toolCalls: [{ id: `b${index}`, name: "bash", args: { command: `seq 1 ${3000 + index}` } }] };
      return { text: "All read." };
    });
    const { result } = await run(profile);

    expect(result).toMatchObject({ status: "done", message: "All read." });
    const requests = server?.requests ?? [];
    expect(requests).toHaveLength(11);
    for (const request of requests) {
      expect(requestTokens(request)).toBeLessThan(WINDOW);
      const check = pairing(wire, request);
      expect(check.firstUserText).toContain(TASK);
      expect(check.orphanCalls).toEqual([]);
      expect(check.orphanResults).toEqual([]);
    }
  });

  it("retries once within three quarters of the window when the overflow error states no size", async () => {
    const files = { "src/f0.ts": bigFile(0) };
    let overflowed = false;
    const profile = await setup(wire, files, (index) => {
      if (index === 0) return { toolCalls: [{ id: "r0", name: "read_file", args: { path: "src/f0.ts" } }] };
      if (!overflowed) {
        overflowed = true;
        return { fault: "status", status: 400, body: overflowBody(wire) };
      }
      return { text: "Read it." };
    });
    const { result, events } = await run(profile);

    expect(result).toMatchObject({ status: "done", message: "Read it." });
    expect(events.find((e) => e.type === "notice")).toMatchObject({ level: "warn" });
    expect(JSON.stringify(events.filter((e) => e.type === "notice"))).toContain(`${WINDOW * 0.75} tokens`);
    expect(server?.requests).toHaveLength(3);
  });
});

function overflowBody(wire: Wire): unknown {
  return wire === "anthropic"
    ? { type: "error", error: { type: "invalid_request_error", message: "prompt is too long" } }
    : { error: { message: "Input is too long for this model.", type: "invalid_request_error" } };
}

describe("the loop detector in a real task", () => {
  it("lets a model read different line ranges of one file, and stops one that alternates two calls", async () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i}`).join("\n");
    const ranges = [
      [1, 100],
      [101, 200],
      [201, 300],
      [151, 300],
    ];
    const profile = await setup("openai", { "a.txt": long }, (index) =>
      index < ranges.length
        ? { toolCalls: [{ name: "read_file", args: { path: "a.txt", line_range: ranges[index] } }] }
        : { text: "Read all ranges." },
    );
    const ok = await run(profile);
    expect(ok.result).toMatchObject({ status: "done", toolCalls: 4 });
    expect(ok.events.filter((e) => e.type === "tool_end" && e.display.includes("repeated"))).toEqual([]);
    await server?.close();

    const a = { toolCalls: [{ name: "read_file", args: { path: "a.txt" } }] };
    const b = { toolCalls: [{ name: "search", args: { pattern: "line 1" } }] };
    server = await startScriptedServer({ script: [a, b, a, b, a, b, { text: "unreachable" }] });
    const alternating = await run({ ...profile, endpoint: server.openaiBaseUrl });
    expect(alternating.result.status).toBe("failed");
    expect(alternating.result.message).toMatch(/same call 3 times/);
    expect(server.requests).toHaveLength(5);
  });
});
