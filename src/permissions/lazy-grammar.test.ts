import { describe, expect, it, vi } from "vitest";

describe("the bash grammar loads lazily", () => {
  it("importing the permission modules loads nothing; the first command judged loads it", async () => {
    // Fresh copies of the modules: other test files in this worker may have loaded them already.
    vi.resetModules();
    const { treeSitterRequested } = await import("../core/tree-sitter-runtime.js");
    const { evaluateCommand } = await import("./bash-policy.js");
    const { createCommandGuard } = await import("./command-guard.js");
    await import("./shell-parse.js");
    await import("./policy.js");
    const guard = createCommandGuard({
      root: "/nonexistent/project",
      cwd: "/nonexistent/project",
      home: "/nonexistent",
      tmpDir: "/nonexistent/tmp",
      protectedPaths: [],
      isTreeDirty: async () => false,
    });
    expect(treeSitterRequested()).toBe(false);
    const verdict = await evaluateCommand("ls | wc -l", { rules: [], guard });
    expect(treeSitterRequested()).toBe(true);
    expect(verdict.rule).toBe("read-only commands: ls, wc");
  });
});
