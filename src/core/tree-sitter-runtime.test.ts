import { describe, expect, it, vi } from "vitest";
import { loadLanguage } from "./tree-sitter-runtime.js";

describe("tree-sitter runtime", () => {
  it("loads nothing at import time, then initialises once and caches", async () => {
    // A fresh copy of the module: other test files in this worker may have loaded it already.
    vi.resetModules();
    const { loadTreeSitter, treeSitterRequested } = await import("./tree-sitter-runtime.js");
    expect(treeSitterRequested()).toBe(false);
    const first = loadTreeSitter();
    expect(treeSitterRequested()).toBe(true);
    expect(loadTreeSitter()).toBe(first);
    const mod = await first;
    const parser = new mod.Parser();
    parser.setLanguage(await loadLanguage("bash"));
    const tree = parser.parse("echo hi | wc -l");
    expect(tree?.rootNode.firstChild?.type).toBe("pipeline");
    tree?.delete();
  });

  it("a grammar that fails to load is retried on the next call, not cached as a failure", async () => {
    const failed = loadLanguage("no-such-grammar");
    await expect(failed).rejects.toThrow();
    const again = loadLanguage("no-such-grammar");
    expect(again).not.toBe(failed);
    await expect(again).rejects.toThrow();
    expect(await loadLanguage("bash")).toBe(await loadLanguage("bash"));
  });
});
