import { describe, expect, it } from "vitest";
import type { AssistantMessage, Message, ToolCall, ToolMessage } from "../core/types.js";
import {
  applyBudget,
  COMPRESSION_NOTICE,
  contextNote,
  MESSAGE_OVERHEAD_TOKENS,
  messageBudget,
  messageTokens,
  replyReserve,
} from "./budget.js";
import { countTokensNow, preloadTokenizer } from "./tokens.js";

/** ~4 characters a token: deterministic and easy to reason about in expectations. */
const count = (text: string): number => Math.ceil(text.length / 4);

const TASK: Message = { role: "user", content: "Rename getUser to fetchUser across the project." };

function call(id: string, name: string, args: Record<string, unknown>): ToolCall {
  return { id, name, args, rawArgs: JSON.stringify(args) };
}

function assistant(text: string, ...calls: ToolCall[]): AssistantMessage {
  return { role: "assistant", content: text, toolCalls: calls };
}

function result(id: string, name: string, content: string, extra: Partial<ToolMessage> = {}): ToolMessage {
  return { role: "tool", toolCallId: id, toolName: name, content, ...extra };
}

/** `lines` lines of plausible source, ~40 characters (~10 tokens) each. */
function source(lines: number, tag = "x"): string {
  return Array.from(
    { length: lines },
    (_, i) => `${String(i + 1).padStart(4)}  const ${tag}${i} = compute(${i}); // ok`,
  ).join("\n");
}

/** One read_file turn: the call and its result with the tool's display line as summary. */
function readTurn(id: string, path: string, lines: number): Message[] {
  return [
    assistant("", call(id, "read_file", { path })),
    result(id, "read_file", source(lines, path.replace(/\W/g, "")), { summary: `read ${path} (lines 1-${lines})` }),
  ];
}

/** A window and fixed part that leave exactly `budget` tokens for messages, and a roomy hard limit. */
function budgetOf(budget: number): { contextTokens: number; fixedTokens: number } {
  return { contextTokens: 100_000, fixedTokens: 50_000 - budget };
}

function total(messages: Message[]): number {
  return messages.reduce((sum, m) => sum + messageTokens(m, count), 0);
}

/** Every result follows its own call's assistant message, and every call has its result. */
function expectPairsIntact(messages: Message[]): void {
  const open = new Set<string>();
  for (const m of messages) {
    if (m.role === "assistant") {
      expect(open.size).toBe(0);
      for (const c of m.toolCalls ?? []) open.add(c.id);
    } else if (m.role === "tool") {
      expect(open.has(m.toolCallId)).toBe(true);
      open.delete(m.toolCallId);
    }
  }
}

describe("reserve and budget rules", () => {
  it("keeps 15% of the window for the reply, at least 512 and at most half the window", () => {
    expect(replyReserve(8192)).toBe(1229);
    expect(replyReserve(200_000)).toBe(30_000);
    expect(replyReserve(2048)).toBe(512);
    expect(replyReserve(800)).toBe(400);
  });

  it("is the target share of the window minus the fixed part, capped by the reserve", () => {
    expect(messageBudget(8192, 1000)).toBe(3096);
    expect(messageBudget(8192, 1000, 0.95)).toBe(8192 - 1229 - 1000);
    expect(messageBudget(4096, 5000)).toBe(0);
  });

  it("counts tool call names and arguments, plus framing per message", () => {
    const m = assistant("ok", call("c1", "read_file", { path: "a.ts" }));
    expect(messageTokens(m, count)).toBe(
      MESSAGE_OVERHEAD_TOKENS + count("ok") + MESSAGE_OVERHEAD_TOKENS + count('read_file{"path":"a.ts"}'),
    );
  });
});

describe("pass 1: compression", () => {
  const history: Message[] = [
    TASK,
    ...readTurn("c1", "a.ts", 100),
    ...readTurn("c2", "b.ts", 100),
    ...readTurn("c3", "c.ts", 100),
  ];

  it("leaves the history alone when it fits", () => {
    const out = applyBudget({ messages: history, fixedTokens: 0, contextTokens: 100_000, count });
    expect(out.messages).toEqual(history);
    expect(out).toMatchObject({ compressed: 0, dropped: 0, overBudget: false });
    expect(out.notice).toBeUndefined();
    expect(out.tokensBefore).toBe(total(history));
  });

  it("compresses older results oldest first, keeps the newest, and gives the notice once", () => {
    // One token over: compressing the oldest read is enough, so b.ts stays whole too.
    const out = applyBudget({ messages: history, ...budgetOf(total(history) - 1), count });
    expect(out.compressed).toBe(1);
    expect(out.messages[2].content).toBe(
      `[compressed: read a.ts (lines 1-100); recall {"tool_call_id":"c1"} for the full output]\n${COMPRESSION_NOTICE}`,
    );
    expect(out.messages[4]).toEqual(history[4]);
    expect(out.messages[6]).toEqual(history[6]);
    expect(out.notice).toBe(COMPRESSION_NOTICE);
    expect(out.overBudget).toBe(false);
    expect(out.tokensAfter).toBeLessThanOrEqual(out.budget);
  });

  it("never compresses the last assistant turn's results, even several of them", () => {
    const parallel: Message[] = [
      TASK,
      ...readTurn("c1", "a.ts", 100),
      assistant("", call("c2", "read_file", { path: "b.ts" }), call("c3", "read_file", { path: "c.ts" })),
      result("c2", "read_file", source(100)),
      result("c3", "read_file", source(100)),
    ];
    const out = applyBudget({ messages: parallel, ...budgetOf(total(parallel) - 1), count });
    expect(out.messages[2].content.startsWith("[compressed: read a.ts")).toBe(true);
    expect(out.messages.slice(3)).toEqual(parallel.slice(3));
    // Far over budget: the older turn goes entirely, the last one is still whole.
    const squeezed = applyBudget({ messages: parallel, ...budgetOf(50), count });
    expect(squeezed.overBudget).toBe(true);
    expect(squeezed.messages.slice(2)).toEqual(parallel.slice(3));
  });

  it("falls back to tool name, first line and line count when the tool gave no summary", () => {
    const messages: Message[] = [
      TASK,
      assistant("", call("s1", "search", { pattern: "getUser" })),
      result("s1", "search", `\nsrc/a.ts:3: getUser()\n${"src/b.ts:9: getUser()\n".repeat(60)}`),
      ...readTurn("c2", "b.ts", 10),
    ];
    const out = applyBudget({ messages, ...budgetOf(total(messages) - 1), count, noticeAlreadyGiven: true });
    expect(out.messages[2].content).toBe(
      '[compressed: search: src/a.ts:3: getUser() (63 lines); recall {"tool_call_id":"s1"} for the full output]',
    );
    expect(out.notice).toBeUndefined();
  });

  it("points a compressed recall result at what it recalled", () => {
    const messages: Message[] = [
      TASK,
      assistant("", call("r1", "recall", { tool_call_id: "c0" })),
      result("r1", "recall", source(100), { summary: "recalled bash c0 (100 lines)" }),
      ...readTurn("c2", "b.ts", 10),
    ];
    const out = applyBudget({ messages, ...budgetOf(total(messages) - 1), count, noticeAlreadyGiven: true });
    expect(out.messages[2].content).toBe(
      '[compressed: recalled bash c0 (100 lines); recall {"tool_call_id":"c0"} for the full output]',
    );
  });

  it("keeps build and test failures verbatim, and user messages untouched", () => {
    const failure = `exit 2\nsrc/user.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.\n${"  at line\n".repeat(40)}`;
    const follow = "Also keep the old name as a deprecated alias.";
    const messages: Message[] = [
      TASK,
      assistant("", call("b1", "bash", { command: "npx tsc --noEmit" })),
      result("b1", "bash", failure, { isError: true, summary: "exit 2 · 42 lines · 3.1s" }),
      { role: "user", content: `${follow}\n${"context ".repeat(100)}` },
      ...readTurn("c1", "a.ts", 100),
      ...readTurn("c2", "b.ts", 10),
    ];
    const out = applyBudget({ messages, ...budgetOf(total(messages) - 1), count });
    expect(out.messages[2].content).toBe(failure);
    expect(out.messages[3]).toEqual(messages[3]);
    expect(out.messages[5].content.startsWith("[compressed: read a.ts")).toBe(true);
    expect(out.dropped).toBe(0);
  });

  it("compresses a failure once the same command has run again", () => {
    const failure = `exit 1\n FAIL  src/user.test.ts\n${"  × expected 1 to be 2\n".repeat(40)}`;
    const messages: Message[] = [
      TASK,
      assistant("", call("b1", "bash", { command: "npm test" })),
      result("b1", "bash", failure, { isError: true, summary: "exit 1 · 41 lines · 2.0s" }),
      assistant("", call("b2", "bash", { command: "npm test" })),
      result("b2", "bash", "exit 0\nTests  12 passed", { summary: "exit 0 · 1 line · 2.0s" }),
    ];
    const out = applyBudget({ messages, ...budgetOf(total(messages) - 1), count, noticeAlreadyGiven: true });
    expect(out.messages[2].content).toBe(
      '[compressed: exit 1 · 41 lines · 2.0s; recall {"tool_call_id":"b1"} for the full output]',
    );
  });

  it("leaves a result alone when its stand-in would not be shorter", () => {
    const messages: Message[] = [
      TASK,
      assistant("", call("e1", "edit_file", { path: "a.ts", old_str: "a", new_str: "b" })),
      result("e1", "edit_file", "edited a.ts", { summary: "edited a.ts (1 line)" }),
      ...readTurn("c2", "b.ts", 100),
    ];
    const out = applyBudget({ messages, ...budgetOf(total(messages) - 1), count });
    // Nothing worth compressing, so the budget falls through to dropping that turn.
    expect(out.compressed).toBe(0);
    expect(out.dropped).toBe(2);
  });
});

describe("pass 2: dropping turns", () => {
  const turns = Array.from({ length: 8 }, (_, i) => readTurn(`c${i + 1}`, `f${i + 1}.ts`, 60)).flat();
  const history: Message[] = [TASK, ...turns];
  // Room for the task, the last read whole, the note and a few compressed turns.
  const room = messageTokens(TASK, count) + total(history.slice(-2)) + 150;
  const input = {
    messages: history,
    ...budgetOf(room),
    count,
    filesTouched: ["src/user.ts", "src/api.ts"],
    pinned: ["Plan step 2/3: update the call sites in src/api.ts"],
  };

  it("keeps the task, drops the oldest whole turns, and notes what was dropped after the task", () => {
    const out = applyBudget(input);
    expect(out.messages[0]).toBe(TASK);
    expect(out.dropped).toBeGreaterThan(0);
    const omitted = out.dropped / 2;
    expect(out.messages[1]).toEqual({
      role: "user",
      content: `[context: ${omitted} earlier turns omitted to fit the budget; files touched so far: src/user.ts, src/api.ts]\nPlan step 2/3: update the call sites in src/api.ts`,
    });
    expect(out.messages.at(-1)).toEqual(history.at(-1));
    expect(out.messages.at(-2)).toEqual(history.at(-2));
    expectPairsIntact(out.messages);
    expect(out.overBudget).toBe(false);
    expect(out.tokensAfter).toBeLessThanOrEqual(out.budget);
    // The survivors are the newest turns, in order.
    expect(out.messages[2]).toEqual({ ...history[1 + out.dropped] });
  });

  it("writes the note in the singular and without files when there are none", () => {
    expect(contextNote(1, [], [])).toBe("[context: 1 earlier turn omitted to fit the budget]");
  });

  it("never drops the task or the last turn, and reports being over budget", () => {
    const out = applyBudget({ ...input, ...budgetOf(50) });
    expect(out.messages[0]).toBe(TASK);
    expect(out.messages).toHaveLength(4);
    expect(out.messages.slice(2)).toEqual(history.slice(-2));
    expect(out.overBudget).toBe(true);
  });

  it("adds to the omitted count when later calls drop more", () => {
    const first = applyBudget(input);
    const more = [...first.messages, ...readTurn("c9", "f9.ts", 60), ...readTurn("c10", "f10.ts", 60)];
    const second = applyBudget({ ...input, messages: more });
    const omitted = (first.dropped + second.dropped) / 2;
    expect(second.dropped).toBeGreaterThan(0);
    expect(second.messages[1].content.startsWith(`[context: ${omitted} earlier turns omitted`)).toBe(true);
    expect(second.messages.filter((m) => m.content.startsWith("[context: "))).toHaveLength(1);
    expectPairsIntact(second.messages);
  });
});

describe("pass 3: the real window", () => {
  it("compresses even the newest results when they cannot fit the window at all", () => {
    const messages: Message[] = [
      TASK,
      assistant("", call("c1", "read_file", { path: "a.ts" }), call("c2", "read_file", { path: "b.ts" })),
      result("c1", "read_file", source(400), { summary: "read a.ts (lines 1-400)" }),
      result("c2", "read_file", source(400), { summary: "read b.ts (lines 1-400)" }),
    ];
    const out = applyBudget({ messages, fixedTokens: 1000, contextTokens: 8192, count });
    expect(out.messages[2].content.startsWith("[compressed: read a.ts (lines 1-400)")).toBe(true);
    expect(out.messages[3]).toEqual(messages[3]);
    expect(1000 + out.tokensAfter).toBeLessThanOrEqual(8192 - replyReserve(8192));
  });
});

describe("contract", () => {
  const history: Message[] = [TASK, ...Array.from({ length: 6 }, (_, i) => readTurn(`c${i}`, `f${i}.ts`, 80)).flat()];
  const input = { messages: history, fixedTokens: 300, contextTokens: 4000, count, filesTouched: ["a.ts"] };

  it("handles an empty history", () => {
    expect(applyBudget({ ...input, messages: [] })).toMatchObject({ messages: [], tokensAfter: 0, overBudget: false });
  });

  it("does not mutate its input", () => {
    const copy = structuredClone(history);
    applyBudget(input);
    expect(history).toEqual(copy);
  });

  it("is idempotent: budgeting its own output changes nothing and gives no second notice", () => {
    const once = applyBudget(input);
    expect(once.compressed + once.dropped).toBeGreaterThan(0);
    const twice = applyBudget({ ...input, messages: once.messages });
    expect(twice.messages).toEqual(once.messages);
    expect(twice).toMatchObject({ compressed: 0, dropped: 0 });
    expect(twice.notice).toBeUndefined();
  });

  it("gives the notice only while it has not been given", () => {
    const once = applyBudget({ ...input, noticeAlreadyGiven: true });
    expect(once.compressed).toBeGreaterThan(0);
    expect(once.notice).toBeUndefined();
    expect(once.messages.some((m) => m.content.includes(COMPRESSION_NOTICE))).toBe(false);
    const given = applyBudget(input);
    expect(given.messages.filter((m) => m.content.includes(COMPRESSION_NOTICE))).toHaveLength(1);
    // More history, more compression: the notice already in the history is not repeated.
    const more = [...given.messages, ...readTurn("d1", "g.ts", 80), ...readTurn("d2", "h.ts", 80)];
    const later = applyBudget({ ...input, messages: more });
    expect(later.compressed).toBeGreaterThan(0);
    expect(later.notice).toBeUndefined();
    expect(later.messages.filter((m) => m.content.includes(COMPRESSION_NOTICE))).toHaveLength(1);
  });
});

describe("an 8k local model", () => {
  function tenReads(): Message[] {
    const messages: Message[] = [TASK];
    for (let i = 1; i <= 10; i++) {
      messages.push(assistant(`Reading part ${i}.`, call(`call_${i}`, "read_file", { path: `src/part${i}.ts` })));
      messages.push(
        result(`call_${i}`, "read_file", source(150, `p${i}`), {
          summary: `read src/part${i}.ts (lines 1-150 of 400)`,
        }),
      );
    }
    return messages;
  }

  function expectFits(messages: Message[], counter: (text: string) => number): void {
    const fixedTokens = 1000;
    const out = applyBudget({ messages, fixedTokens, contextTokens: 8192, count: counter });
    expect(out.overBudget).toBe(false);
    expect(out.dropped).toBe(0);
    expect(out.compressed).toBe(9);
    expect(out.tokensAfter).toBeLessThanOrEqual(out.budget);
    expect(fixedTokens + out.tokensAfter + replyReserve(8192)).toBeLessThanOrEqual(8192);
    expect(out.messages.at(-1)).toEqual(messages.at(-1));
    expect(out.messages[2].content).toBe(
      `[compressed: read src/part1.ts (lines 1-150 of 400); recall {"tool_call_id":"call_1"} for the full output]\n${COMPRESSION_NOTICE}`,
    );
    expect(out.messages[4].content).toBe(
      '[compressed: read src/part2.ts (lines 1-150 of 400); recall {"tool_call_id":"call_2"} for the full output]',
    );
    expectPairsIntact(out.messages);
  }

  it("fits a task that read ten files of ~1,500 tokens each", () => {
    const messages = tenReads();
    for (const m of messages.filter((x) => x.role === "tool")) expect(count(m.content)).toBeGreaterThan(1400);
    expect(total(messages)).toBeGreaterThan(14_500);
    expectFits(messages, count);
  });

  it("fits with the exact o200k counter too", async () => {
    await preloadTokenizer();
    const exact = (text: string): number => countTokensNow(text).tokens;
    const messages = tenReads();
    expect(messages.reduce((sum, m) => sum + messageTokens(m, exact), 0)).toBeGreaterThan(10_000);
    expectFits(messages, exact);
  });
});
