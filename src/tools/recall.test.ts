import { readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toolContext } from "../../test/support/tool-tree.js";
import { createOutputStore } from "./output-store.js";
import { createRecallTool } from "./recall.js";

describe("output store", () => {
  it("evicts the oldest entries past the entry and size limits", () => {
    const store = createOutputStore({ maxEntries: 3, maxChars: 100 });
    for (let i = 1; i <= 4; i += 1) store.record({ callId: `c${i}`, toolName: "bash", turn: i, output: "x" });
    expect(store.byId("c1")).toBeUndefined();
    expect(store.recent(10).map((e) => e.callId)).toEqual(["c4", "c3", "c2"]);
    store.record({ callId: "big", toolName: "search", turn: 5, output: "y".repeat(90) });
    expect(store.recent(10).map((e) => e.callId)).toEqual(["big", "c4", "c3"]);
    store.record({ callId: "huge", toolName: "search", turn: 6, output: "y".repeat(500) });
    expect(store.recent(10).map((e) => e.callId)).toEqual(["huge"]);
  });
});

describe("recall", () => {
  const setup = () => {
    const outputs = createOutputStore();
    outputs.record({ callId: "call_1", toolName: "bash", turn: 1, output: "first bash" });
    outputs.record({ callId: "call_2", toolName: "search", turn: 2, output: "a search" });
    outputs.record({ callId: "call_3", toolName: "bash", turn: 3, output: "second bash\nline 2" });
    return createRecallTool({ outputs });
  };

  it("returns a stored output by id", async () => {
    const result = await setup().execute({ tool_call_id: "call_1" }, toolContext());
    expect(result).toMatchObject({ content: "first bash", isError: false });
  });

  it("returns the latest call of a tool by name", async () => {
    const result = await setup().execute({ tool_name: "bash" }, toolContext());
    expect(result.content).toBe("second bash\nline 2");
    expect(result.display).toBe("recalled bash call_3 (2 lines)");
  });

  it("falls back to the name when the id is unknown", async () => {
    const result = await setup().execute({ tool_call_id: "nope", tool_name: "search" }, toolContext());
    expect(result.content).toBe("a search");
  });

  it("spills long outputs into a private folder of its own, not a shared, guessable path", async () => {
    const spill = async (text: string) => {
      const outputs = createOutputStore();
      outputs.record({ callId: "call_1", toolName: "bash", turn: 1, output: text.repeat(70_000) });
      const result = await createRecallTool({ outputs }).execute({ tool_call_id: "call_1" }, toolContext());
      const file = /Saved to (\S+);/.exec(result.content)?.[1] ?? "";
      return { file, mode: statSync(path.dirname(file)).mode & 0o777 };
    };
    const a = await spill("a");
    const b = await spill("b");
    expect(a.file).not.toBe(b.file);
    expect(a.mode).toBe(0o700);
    expect(readFileSync(a.file, "utf8")).toBe("a".repeat(70_000));
    expect(readFileSync(b.file, "utf8")).toBe("b".repeat(70_000));
    rmSync(path.dirname(a.file), { recursive: true, force: true });
    rmSync(path.dirname(b.file), { recursive: true, force: true });
  });

  it("lists what is available when nothing matches", async () => {
    const result = await setup().execute({ tool_call_id: "call_9" }, toolContext());
    expect(result.isError).toBe(true);
    expect(result.content).toBe(
      'no stored output for tool_call_id "call_9"; recent: call_3 (bash, turn 3), call_2 (search, turn 2), call_1 (bash, turn 1)',
    );
    const none = await setup().execute({}, toolContext());
    expect(none.content).toMatch(/^give tool_call_id or tool_name; recent: call_3/);
  });
});
