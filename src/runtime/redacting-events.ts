/**
 * The event stream as a front end should see it: every string redacted, and streamed
 * text held back just enough that a key split across two deltas is never shown in part.
 * Front ends that consume events whole (the TUI, stream-json, ACP) wrap their sink in
 * this; the plain printer does the same inside itself.
 */
import { createRedactingStream, type RedactingStream, type Redactor } from "../core/redact.js";
import type { AgentEvent } from "../core/types.js";

type DeltaEvent = Extract<AgentEvent, { type: "text_delta" | "reasoning_delta" }>;

export function redactingEventSink(redactor: Redactor, sink: (event: AgentEvent) => void): (event: AgentEvent) => void {
  const streams = new Map<DeltaEvent["type"], { stream: RedactingStream; turn: number }>();

  /** Releases whatever a stream still holds, as one last delta of its kind. */
  const flush = (type: DeltaEvent["type"]) => {
    const open = streams.get(type);
    if (!open) return;
    streams.delete(type);
    const rest = open.stream.flush();
    if (rest !== "") sink({ type, turn: open.turn, delta: rest });
  };

  return (event) => {
    if (event.type === "text_delta" || event.type === "reasoning_delta") {
      // Switching between reasoning and text ends the other stream first, to keep order.
      flush(event.type === "text_delta" ? "reasoning_delta" : "text_delta");
      let open = streams.get(event.type);
      if (!open || open.turn !== event.turn) {
        flush(event.type);
        open = { stream: createRedactingStream(redactor.text), turn: event.turn };
        streams.set(event.type, open);
      }
      const ready = open.stream.push(event.delta);
      if (ready !== "") sink({ ...event, delta: ready });
      return;
    }
    if (event.type === "retry") {
      // Everything streamed by the failed attempt is void, held text included.
      streams.clear();
    } else {
      flush("reasoning_delta");
      flush("text_delta");
    }
    sink(redactor.value(event));
  };
}
