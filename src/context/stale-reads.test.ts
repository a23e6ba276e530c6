import { describe, expect, it } from "vitest";
import type { Message } from "../core/types.js";
import { normalisePath, replaceStaleReads, STALE_PREFIX, staleReadNote } from "./stale-reads.js";

const READ_TEXT = "1#abcd:const a = 1;\n2#efgh:const timeout = 5000;";

function call(id: string, name: string, args: Record<string, unknown>): Message {
  return { role: "assistant", content: "", toolCalls: [{ id, name, args, rawArgs: JSON.stringify(args) }] };
}

function result(id: string, name: string, content: string, isError?: boolean): Message {
  return { role: "tool", toolCallId: id, toolName: name, content, isError };
}

function history(): Message[] {
  return [
    { role: "user", content: "raise the timeout" },
    call("r1", "read_file", { path: "./src/config.js" }),
    result("r1", "read_file", READ_TEXT),
    call("r2", "read_file", { path: "src/other.js" }),
    result("r2", "read_file", "1#aaaa:other"),
    call("e1", "edit_file", { path: "src/config.js", old_str: "5000", new_str: "10000" }),
    result("e1", "edit_file", "Edited src/config.js: now line 2\n2#zzzz:const timeout = 10000;"),
  ];
}

describe("replaceStaleReads", () => {
  it("replaces an earlier read of the edited file with one line naming the edit's result", () => {
    const change = { callId: "e1", toolName: "edit_file", files: ["src/config.js"] };
    const { messages, replaced } = replaceStaleReads(history(), [change]);
    expect(replaced).toBe(1);
    expect(messages[2].content).toBe(staleReadNote("src/config.js", change));
    expect(messages[2].content).toBe(
      "[stale read: src/config.js changed after this read; its fresh lines are in the edit_file result (call e1). Read again for other parts.]",
    );
    // Other files' reads and the edit's own result stay as they were.
    expect(messages[4].content).toBe("1#aaaa:other");
    expect(messages[6].content).toContain("2#zzzz:const timeout = 10000;");
  });

  it("leaves the input untouched and returns a new array", () => {
    const input = history();
    const before = JSON.stringify(input);
    const { messages } = replaceStaleReads(input, [{ callId: "e1", toolName: "edit_file", files: ["src/config.js"] }]);
    expect(JSON.stringify(input)).toBe(before);
    expect(messages).not.toBe(input);
  });

  it("keeps reads made after the edit, failed reads and reads already replaced", () => {
    const messages: Message[] = [
      ...history(),
      call("r3", "read_file", { path: "src/config.js" }),
      result("r3", "read_file", "fresh text"),
    ];
    messages.splice(1, 0, call("r0", "read_file", { path: "src/config.js" }), result("r0", "read_file", "gone", true));
    const change = { callId: "e1", toolName: "edit_file", files: ["src/config.js"] };
    const once = replaceStaleReads(messages, [change]);
    expect(once.replaced).toBe(1);
    expect(once.messages[2].content).toBe("gone");
    expect(once.messages.at(-1)?.content).toBe("fresh text");
    expect(replaceStaleReads(once.messages, [change]).replaced).toBe(0);
  });

  it("matches absolute read paths inside the root", () => {
    const messages = history();
    messages[1] = call("r1", "read_file", { path: "/work/p/src/config.js" });
    const { replaced, messages: out } = replaceStaleReads(
      messages,
      [{ callId: "e1", toolName: "edit_file", files: ["src/config.js"] }],
      "/work/p",
    );
    expect(replaced).toBe(1);
    expect(out[2].content.startsWith(STALE_PREFIX)).toBe(true);
  });

  it("does nothing for a change whose result is not in the history", () => {
    const { replaced } = replaceStaleReads(history(), [
      { callId: "missing", toolName: "edit_file", files: ["src/config.js"] },
    ]);
    expect(replaced).toBe(0);
  });
});

describe("normalisePath", () => {
  it("reduces the spellings of one project path to one", () => {
    expect(normalisePath("./src//a.ts")).toBe("src/a.ts");
    expect(normalisePath("src\\a.ts")).toBe("src/a.ts");
    expect(normalisePath("/r/src/a.ts", "/r")).toBe("src/a.ts");
  });
});
