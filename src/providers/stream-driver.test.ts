import { describe, expect, it, vi } from "vitest";
import type { Profile } from "../config/types.js";
import { ProviderError } from "../core/errors.js";
import type { ModelRequest, ProviderEvent } from "../core/types.js";
import { retryPolicy } from "./retry.js";
import { type RawEvent, runStream, type WireAdapter } from "./stream-driver.js";

const PROFILE: Profile = {
  name: "t",
  provider: "openai",
  endpoint: "http://x",
  model: "m",
  contextTokens: 1000,
  source: "config",
};
const REQUEST: ModelRequest = { model: "m", system: "", messages: [{ role: "user", content: "hi" }], tools: [] };

type Attempt = (signal: AbortSignal) => AsyncIterable<RawEvent>;

/** An adapter whose n-th attempt runs `attempts[n]`. */
function fakeAdapter(attempts: Attempt[]): WireAdapter & { calls: number } {
  const adapter = {
    calls: 0,
    label: "fake",
    errorContext: { profile: PROFILE, baseUrl: "http://x" },
    streams: () => true,
    attempt: (_request: ModelRequest, signal: AbortSignal) => attempts[adapter.calls++](signal),
  };
  return adapter;
}

async function run(
  adapter: WireAdapter,
  signal = new AbortController().signal,
  maxRetries = 2,
): Promise<ProviderEvent[]> {
  const policy = retryPolicy({ providerMaxRetries: maxRetries, providerStallTimeoutMs: 100 }, { retryBaseDelayMs: 1 });
  let n = 0;
  const events: ProviderEvent[] = [];
  for await (const event of runStream(adapter, REQUEST, signal, policy, (p) => `${p}${++n}`)) events.push(event);
  return events;
}

async function* ok(text: string): AsyncGenerator<RawEvent> {
  yield { type: "text", delta: text };
  yield { type: "done", stopReason: "end_turn" };
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) =>
    signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
  );
}

describe("runStream", () => {
  it("retries an attempt that ends without done (a drop), after its partial output", async () => {
    const adapter = fakeAdapter([
      async function* () {
        yield { type: "text", delta: "partial" };
      },
      () => ok("whole"),
    ]);
    const events = await run(adapter);
    expect(events.map((e) => e.type)).toEqual(["text", "retry", "text", "done"]);
    expect(events[1]).toMatchObject({
      attempt: 1,
      reason: expect.stringContaining("closed before the reply was complete"),
    });
  });

  it("turns a throw into a retry, and a non-retryable throw into one error event", async () => {
    const auth = fakeAdapter([
      // biome-ignore lint/correctness/useYield: an attempt that fails before its first chunk
      async function* () {
        throw new ProviderError("auth", "no key");
      },
    ]);
    expect(await run(auth)).toEqual([{ type: "error", error: expect.objectContaining({ kind: "auth" }) }]);
  });

  it("aborts an attempt that sends nothing for the stall timeout", async () => {
    let sawAbort = false;
    const adapter = fakeAdapter([
      async function* (signal) {
        yield { type: "progress" };
        await waitForAbort(signal).catch(() => {
          sawAbort = true;
        });
      },
      () => ok("again"),
    ]);
    const events = await run(adapter);
    expect(events.find((e) => e.type === "retry")).toMatchObject({ reason: expect.stringContaining("stalled") });
    expect(sawAbort).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });

  it("stops during the backoff when the caller aborts", async () => {
    const controller = new AbortController();
    const adapter = fakeAdapter([
      // biome-ignore lint/correctness/useYield: fails at once
      async function* () {
        throw new ProviderError("rate_limit", "429", { retryAfterMs: 10_000 });
      },
    ]);
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const events = await run(adapter, controller.signal);
    expect(events.map((e) => e.type)).toEqual(["retry", "error"]);
    expect(events[1]).toMatchObject({ error: expect.objectContaining({ kind: "aborted" }) });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("does not call the server when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const adapter = fakeAdapter([() => ok("never")]);
    const events = await run(adapter, controller.signal);
    expect(events).toEqual([{ type: "error", error: expect.objectContaining({ kind: "aborted" }) }]);
    expect(adapter.calls).toBe(0);
  });

  it("aborts the attempt's request when the consumer stops early", async () => {
    let aborted = false;
    const adapter = fakeAdapter([
      async function* (signal) {
        signal.addEventListener("abort", () => {
          aborted = true;
        });
        yield { type: "text", delta: "a" };
        yield { type: "text", delta: "b" };
        yield { type: "done", stopReason: "end_turn" };
      },
    ]);
    const policy = retryPolicy({ providerStallTimeoutMs: 100 });
    for await (const event of runStream(adapter, REQUEST, new AbortController().signal, policy, (p) => p)) {
      if (event.type === "text") break;
    }
    expect(aborted).toBe(true);
  });

  it("leaves no stall timer behind when the caller aborts an attempt that ignores the signal", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const controller = new AbortController();
      // A request stuck somewhere that never looks at the signal (a hung import, a deaf SDK).
      const deaf: AsyncIterable<RawEvent> = {
        [Symbol.asyncIterator]: () => ({
          next: () => new Promise<IteratorResult<RawEvent>>(() => undefined),
          return: async () => ({ done: true, value: undefined }),
        }),
      };
      const adapter = fakeAdapter([() => deaf]);
      const policy = retryPolicy({ providerMaxRetries: 2, providerStallTimeoutMs: 60_000 });
      const events: ProviderEvent[] = [];
      const done = (async () => {
        for await (const event of runStream(adapter, REQUEST, controller.signal, policy, (p) => p)) events.push(event);
      })();
      await vi.advanceTimersByTimeAsync(10);
      controller.abort();
      await done;
      expect(events).toEqual([{ type: "error", error: expect.objectContaining({ kind: "aborted" }) }]);
      // A pending 60 s timer would keep a cancelled one-shot run alive for a minute.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
  it("ends an attempt that trickles past provider_call_timeout, without retrying it", async () => {
    const adapter = fakeAdapter([
      async function* (signal) {
        // A keep-alive every 20 ms never trips the 100 ms stall watchdog.
        while (!signal.aborted) {
          yield { type: "progress" };
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    ]);
    const policy = retryPolicy(
      { providerMaxRetries: 2, providerStallTimeoutMs: 100, providerCallTimeoutMs: 250 },
      { retryBaseDelayMs: 1 },
    );
    const started = Date.now();
    const events: ProviderEvent[] = [];
    for await (const event of runStream(adapter, REQUEST, new AbortController().signal, policy, (p) => p)) {
      events.push(event);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(adapter.calls).toBe(1);
    expect(events).toEqual([
      {
        type: "error",
        error: expect.objectContaining({ kind: "timeout", message: expect.stringContaining("provider_call_timeout") }),
      },
    ]);
  });
});
