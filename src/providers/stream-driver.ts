/**
 * The part of every model call that is not about a wire format: attempts, the stall
 * watchdog, cancellation, retries with visible `retry` events, and the guarantee of
 * exactly one terminal event. Adapters only translate one attempt.
 */
import { ProviderError } from "../core/errors.js";
import type { ModelRequest, ProviderEvent, StopReason, Usage } from "../core/types.js";
import { type ErrorContext, toProviderError } from "./error-map.js";
import { type MintId, type RawToolCall, ResponseNormaliser } from "./response-normaliser.js";
import { decideRetry, type RetryPolicy, sleep } from "./retry.js";

/** One attempt's output in protocol-neutral form. */
export type RawEvent =
  | { type: "text"; delta: string }
  | { type: "reasoning"; delta: string }
  | ({ type: "tool_call" } & RawToolCall)
  /** A chunk that carried nothing to show (ping, role header): it still proves the stream is alive. */
  | { type: "progress" }
  | { type: "done"; stopReason: StopReason; usage?: Usage };

/** What each wire protocol implements. */
export interface WireAdapter {
  readonly label: string;
  readonly errorContext: ErrorContext;
  /**
   * One attempt: yields raw events and ends with `done`, or throws. Must stop promptly
   * when `signal` aborts. An iterator that ends without `done` counts as a dropped
   * connection.
   */
  attempt(request: ModelRequest, signal: AbortSignal): AsyncIterable<RawEvent>;
  /** False when this request is made without streaming (nothing arrives until the end). */
  streams(request: ModelRequest): boolean;
}

/**
 * A non-streamed reply sends nothing until it is complete, so its idle limit must allow
 * for a whole generation rather than the gap between two tokens.
 */
const NON_STREAMING_IDLE_FACTOR = 5;

export async function* runStream(
  adapter: WireAdapter,
  request: ModelRequest,
  signal: AbortSignal,
  policy: RetryPolicy,
  mintId: MintId,
): AsyncGenerator<ProviderEvent> {
  const idleMs = adapter.streams(request) ? policy.stallTimeoutMs : policy.stallTimeoutMs * NON_STREAMING_IDLE_FACTOR;
  for (let retry = 1; ; retry++) {
    if (signal.aborted) {
      yield aborted();
      return;
    }
    const normaliser = new ResponseNormaliser(request.tools, mintId);
    let failure: ProviderError;
    try {
      for await (const raw of guarded(adapter, request, signal, idleMs, policy.callTimeoutMs)) {
        if (raw.type === "done") {
          yield* normaliser.finish(raw.stopReason, raw.usage);
          return;
        }
        if (raw.type === "text") yield* normaliser.text(raw.delta);
        else if (raw.type === "reasoning") yield* normaliser.reasoning(raw.delta);
        else if (raw.type === "tool_call") normaliser.toolCall(raw);
      }
      failure = new ProviderError(
        "network",
        `the connection to ${adapter.errorContext.baseUrl} closed before the reply was complete`,
      );
    } catch (err) {
      failure = toProviderError(err, adapter.errorContext);
    }
    if (signal.aborted) {
      yield aborted();
      return;
    }
    const decision = decideRetry(failure, retry, policy);
    if (!decision.retry) {
      yield { type: "error", error: decision.error };
      return;
    }
    yield { type: "retry", attempt: retry, delayMs: decision.delayMs, reason: failure.message };
    if (!(await sleep(decision.delayMs, signal))) {
      yield aborted();
      return;
    }
  }
}

function aborted(): ProviderEvent {
  return { type: "error", error: new ProviderError("aborted", "the model call was cancelled") };
}

/**
 * Runs one attempt under its own AbortController: aborted when the caller aborts, when no
 * raw event arrives for `idleMs` (a stall), and when the attempt as a whole passes
 * `totalMs` (a server that trickles keep-alive chunks forever never stalls). Waiting is
 * raced against all three, so none depends on the SDK noticing the abort.
 */
async function* guarded(
  adapter: WireAdapter,
  request: ModelRequest,
  callerSignal: AbortSignal,
  idleMs: number,
  totalMs: number,
): AsyncGenerator<RawEvent> {
  const controller = new AbortController();
  const cancel = () => controller.abort(new ProviderError("aborted", "the model call was cancelled"));
  callerSignal.addEventListener("abort", cancel, { once: true });
  const deadline = setTimeout(() => {
    const seconds = Math.round(totalMs / 100) / 10;
    controller.abort(
      new ProviderError(
        "timeout",
        `the reply from ${adapter.errorContext.baseUrl} took longer than ${seconds}s in all; raise provider_call_timeout in config.toml if the model needs longer`,
      ),
    );
  }, totalMs);
  const iterator = adapter.attempt(request, controller.signal)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await nextWithin(iterator, idleMs, controller, adapter.errorContext.baseUrl);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(deadline);
    callerSignal.removeEventListener("abort", cancel);
    if (!controller.signal.aborted) controller.abort();
    // The iterator may be mid-request; closing it must not hold up or fail the caller.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

function nextWithin(
  iterator: AsyncIterator<RawEvent>,
  idleMs: number,
  controller: AbortController,
  baseUrl: string,
): Promise<IteratorResult<RawEvent>> {
  return new Promise((resolve, reject) => {
    const signal = controller.signal;
    // Cleared on every way out, or a cancelled call would keep the process alive until it fired.
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      const stall = new ProviderError(
        "stall",
        `no data from ${baseUrl} for ${Math.round(idleMs / 100) / 10}s; the stream stalled`,
      );
      controller.abort(stall);
    }, idleMs);
    if (signal.aborted) {
      clearTimeout(timer);
      return reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(
      (value) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
