import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunOptions, runAgentTask } from "../../src/agent/agent.js";
import { buildSystemPrompt } from "../../src/agent/system-prompt.js";
import type { Profile } from "../../src/config/types.js";
import type { AgentEvent, Usage } from "../../src/core/types.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let root: string | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

/** $1 per 10,000 tokens either way: easy arithmetic for the budget. */
const PRICE = (usage: Usage) => (usage.inputTokens + usage.outputTokens) / 10_000;

async function run(script: ScriptedTurn[], runOptions: Partial<RunOptions> = {}, costUsd = PRICE) {
  root = await mkdtemp(path.join(tmpdir(), "limits-"));
  server = await startScriptedServer({ script });
  const profile: Profile = {
    name: "t",
    provider: "openai",
    endpoint: server.openaiBaseUrl,
    model: "m",
    apiKey: "k",
    contextTokens: 32_000,
    source: "config",
  };
  const events: AgentEvent[] = [];
  const result = await runAgentTask(
    "do it",
    {
      client: createModelClient(profile, { providerMaxRetries: 0 }),
      tools: createNativeToolRegistry({ root }),
      model: profile.model,
      profileName: profile.name,
      provider: profile.provider,
      systemPrompt: buildSystemPrompt({ platform: "linux", preamble: "" }),
      contextTokens: profile.contextTokens,
      maxIterations: 10,
      costUsd,
    },
    { signal: new AbortController().signal, onEvent: (event) => events.push(event), ...runOptions },
  );
  return { result, events };
}

const LIST = { toolCalls: [{ name: "list_files", args: { path: "." } }] };

describe("task limits and reasons", () => {
  it("stops at --max-turns with reason max_turns", async () => {
    const { result } = await run([LIST, { text: "unreachable" }], { limits: { maxTurns: 1 } });
    expect(result).toMatchObject({ status: "failed", reason: "max_turns", turns: 1 });
    expect(result.message).toContain("raise --max-turns");
    expect(server?.requests).toHaveLength(1);
  });

  it("stops before the call that would pass the budget, not after it", async () => {
    // A first request of ~600 tokens is projected at ~$0.08 and made; it reports 4,500 in
    // and 10 out ($0.451), so the second, projected at ~$0.08 more, would pass $0.5.
    const { result, events } = await run([{ ...LIST, usage: { input: 4500, output: 10 } }, { text: "unreachable" }], {
      limits: { maxBudgetUsd: 0.5 },
    });
    expect(result).toMatchObject({ status: "failed", reason: "budget", turns: 1, costUsd: 0.451 });
    expect(result.message).toMatch(/would cost about \$0\.\d+ .* \$0\.4510 of the \$0\.5000 budget is spent/);
    expect(server?.requests).toHaveLength(1);
    expect(events.filter((e) => e.type === "request")).toHaveLength(1);
  });

  it("ends as a timeout when the signal's time limit runs out, and as interrupted when a person cancels", async () => {
    const timedOut = await run([{ text: "late", delayMs: 5_000 }], { signal: AbortSignal.timeout(200) });
    expect(timedOut.result).toMatchObject({ status: "failed", reason: "timeout" });
    await server?.close();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const cancelled = await run([{ text: "late", delayMs: 5_000 }], { signal: controller.signal });
    expect(cancelled.result).toMatchObject({ status: "interrupted", reason: "interrupted" });
  });

  it("sends a wrong final answer back once with the problem, then fails with reason output_schema", async () => {
    const check = (answer: string) => (answer.startsWith("{") ? undefined : "it is not a JSON object");
    const fixed = await run([{ text: "Here you go" }, { text: '{"ok": true}' }], { checkAnswer: check });
    expect(fixed.result).toMatchObject({ status: "done", reason: "done", message: '{"ok": true}' });
    const retold = JSON.stringify(server?.requests[1].body.messages);
    expect(retold).toContain("does not match the required output format: it is not a JSON object");
    await server?.close();
    const wrong = await run([{ text: "nope" }, { text: "still nope" }], { checkAnswer: check });
    expect(wrong.result).toMatchObject({ status: "failed", reason: "output_schema" });
  });

  it("a wrong answer on the last call allowed is output_schema, not max_turns", async () => {
    const check = () => "it is not a JSON object";
    const { result } = await run([{ text: "nope" }, { text: "unreachable" }], {
      checkAnswer: check,
      limits: { maxTurns: 1 },
    });
    expect(result).toMatchObject({ status: "failed", reason: "output_schema" });
    expect(result.message).toBe("The final answer does not match the required output format: it is not a JSON object");
    expect(server?.requests).toHaveLength(1);
  });

  it("names an auth failure apart from other provider errors", async () => {
    const { result } = await run([{ fault: "status", status: 401 }]);
    expect(result).toMatchObject({ status: "failed", reason: "auth" });
    await server?.close();
    const other = await run([{ fault: "status", status: 400 }]);
    expect(other.result).toMatchObject({ status: "failed", reason: "provider_error" });
  });
});
