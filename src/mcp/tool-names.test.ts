import { describe, expect, it } from "vitest";
import { MAX_TOOL_NAME, mcpToolName } from "./tool-names.js";

describe("mcpToolName", () => {
  it("joins server and tool with __ and replaces characters providers reject", () => {
    expect(mcpToolName("github", "create_issue", new Set())).toBe("github__create_issue");
    expect(mcpToolName("docs", "search.pages v2", new Set())).toBe("docs__search_pages_v2");
    expect(mcpToolName("everything", "get-sum", new Set())).toBe("everything__get-sum");
  });

  it("caps names at 64 characters, keeping long names distinct", () => {
    const taken = new Set<string>();
    const a = mcpToolName("server", `${"x".repeat(80)}_alpha`, taken);
    const b = mcpToolName("server", `${"x".repeat(80)}_beta`, taken);
    expect(a).toHaveLength(MAX_TOOL_NAME);
    expect(b).toHaveLength(MAX_TOOL_NAME);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^server__x+_[0-9a-f]{6}$/);
  });

  it("numbers names that would collide after sanitising", () => {
    const taken = new Set<string>();
    expect(mcpToolName("s", "a.b", taken)).toBe("s__a_b");
    expect(mcpToolName("s", "a b", taken)).toBe("s__a_b_2");
    expect(mcpToolName("s", "a/b", taken)).toBe("s__a_b_3");
  });
});
