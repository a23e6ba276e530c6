import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../core/approval.js";
import { createStreamInput } from "./stream-input.js";

const request = (callId: string): ApprovalRequest => ({
  callId,
  tool: "bash",
  kind: "command",
  title: "bash: ls",
  rule: "ask",
  remember: "",
});

function open() {
  const stdin = new PassThrough();
  const warnings: string[] = [];
  let interrupts = 0;
  const input = createStreamInput(stdin, { warn: (m) => warnings.push(m), onInterrupt: () => interrupts++ });
  return { stdin, input, warnings, interrupts: () => interrupts };
}

describe("stream-json input", () => {
  it("reads user messages in order, as text or text blocks, and ends with the stream", async () => {
    const { stdin, input, warnings } = open();
    stdin.write('{"type":"user","message":{"role":"user","content":"first"}}\n');
    stdin.write("not json\n");
    stdin.write('{"type":"user","message":{"role":"user","content":[{"type":"text","text":"second"}]}}\n');
    stdin.end();
    expect(await input.next()).toBe("first");
    expect(await input.next()).toBe("second");
    expect(await input.next()).toBeUndefined();
    expect(warnings).toEqual(["stdin line 2 is not JSON; ignored (one JSON message per line)"]);
  });

  it("answers permission requests from control_response lines, and denies what is open when stdin closes", async () => {
    const { stdin, input, warnings, interrupts } = open();
    const signal = new AbortController().signal;
    const allowed = input.approve(request("a"), signal);
    const denied = input.approve(request("b"), signal);
    const open_ = input.approve(request("c"), signal);
    stdin.write(
      '{"type":"control_response","response":{"subtype":"success","request_id":"a","response":{"behavior":"allow","scope":"session"}}}\n',
    );
    stdin.write(
      '{"type":"control_response","response":{"subtype":"success","request_id":"b","response":{"behavior":"deny","message":"not now"}}}\n',
    );
    stdin.write('{"type":"control_response","response":{"subtype":"success","request_id":"zzz","response":{}}}\n');
    stdin.write('{"type":"control_request","request_id":"i1","request":{"subtype":"interrupt"}}\n');
    expect(await allowed).toEqual({ approved: true, scope: "session" });
    expect(await denied).toEqual({ approved: false, reason: "not now" });
    stdin.end();
    expect(await open_).toEqual({ approved: false, reason: "stdin closed before an answer came" });
    expect(warnings).toEqual(['stdin line 3: no permission request "zzz" is waiting; ignored']);
    expect(interrupts()).toBe(1);
  });
});
