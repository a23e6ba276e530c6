import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNativeToolRegistry } from "../tools/index.js";
import { restrictTools, withoutTools } from "./tool-subset.js";

let root = "";
afterEach(() => rm(root, { recursive: true, force: true }));

describe("restrictTools", () => {
  it("offers only the named tools and refuses a call to any other without running it", async () => {
    root = await mkdtemp(path.join(tmpdir(), "parecode-subset-"));
    await writeFile(path.join(root, "a.txt"), "one\n");
    const tools = restrictTools(createNativeToolRegistry({ root }), ["read_file", "search"]);
    expect(tools.schemas().map((s) => s.name)).toEqual(["read_file", "search"]);

    const ctx = { signal: new AbortController().signal, callId: "c1", turn: 1 };
    const args = { path: "a.txt", old_str: "one", new_str: "two" };
    const refused = await tools.execute({ id: "c1", name: "edit_file", args, rawArgs: "" }, ctx);
    expect(refused).toMatchObject({
      isError: true,
      content: "edit_file is not available in this run; the tools are read_file, search.",
    });
    expect(await readFile(path.join(root, "a.txt"), "utf8")).toBe("one\n");
    const read = await tools.execute({ id: "c2", name: "read_file", args: { path: "a.txt" }, rawArgs: "" }, ctx);
    expect(read.content).toContain(":one");
  });

  it("hides the named tools and keeps the rest", () => {
    const tools = withoutTools(createNativeToolRegistry({ root: tmpdir() }), ["bash", "write_file"]);
    const names = tools.schemas().map((s) => s.name);
    expect(names).toContain("edit_file");
    expect(names).not.toContain("bash");
    expect(names).not.toContain("write_file");
  });
});
