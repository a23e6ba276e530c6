import { describe, expect, it } from "vitest";
import type { ToolCall, ToolSchema } from "../core/types.js";
import { createMcpToolExposure, MCP_SEARCH_TOOL, withMcpExposure, withMcpScope } from "./lazy-tools.js";
import type { McpTool } from "./mcp-tool.js";

function fakeTool(server: string, remoteName: string, description: string): McpTool {
  return {
    name: `${server}__${remoteName}`,
    server,
    remoteName,
    description,
    parameters: { type: "object", properties: { q: { type: "string", description: "x".repeat(200) } } },
    mutates: false,
    execute: async () => ({ content: `${remoteName} ran`, display: remoteName, isError: false }),
  };
}

const TOOLS = [
  fakeTool("github", "create_issue", "Create a new issue in a GitHub repository."),
  fakeTool("github", "list_issues", "List issues in a GitHub repository."),
  fakeTool("github", "search_code", "Search for code across repositories."),
  fakeTool("web", "fetch", "Fetch a URL and return its contents as Markdown."),
  fakeTool("web", "brave_web_search", "Search the web with Brave."),
];

/** One token per four characters, like the estimator's ASCII rate. */
const count = (text: string) => Math.ceil(text.length / 4);
const NATIVE: ToolSchema = { name: "read_file", description: "Read a file.", parameters: { type: "object" } };

function schemasOf(tools: readonly { name: string; description: string; parameters: ToolSchema["parameters"] }[]) {
  return [NATIVE, ...tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }))];
}

describe("MCP tool exposure", () => {
  it("sends every MCP schema when they fit the budget", () => {
    const exposure = createMcpToolExposure({ tools: TOOLS, contextTokens: 200_000, countTokens: count });
    expect(exposure.lazy).toBe(false);
    expect(exposure.budgetTokens).toBe(2000);
    expect(exposure.tools.map((t) => t.name)).not.toContain(MCP_SEARCH_TOOL);
    expect(exposure.select(schemasOf(exposure.tools)).map((s) => s.name)).toHaveLength(6);
  });

  it("switches to the search tool past 10% of a small window", () => {
    // ~5 × 90 tokens of schemas against 10% of 4,000 = 400.
    const exposure = createMcpToolExposure({ tools: TOOLS, contextTokens: 4000, countTokens: count });
    expect(exposure.budgetTokens).toBe(400);
    expect(exposure.schemaTokens).toBeGreaterThan(400);
    expect(exposure.lazy).toBe(true);
    expect(exposure.select(schemasOf(exposure.tools)).map((s) => s.name)).toEqual(["read_file", MCP_SEARCH_TOOL]);
  });

  it("obeys mcp_lazy = always and never", () => {
    const always = createMcpToolExposure({
      tools: TOOLS,
      contextTokens: 1_000_000,
      countTokens: count,
      settings: { lazy: "always", schemaShare: 0.1, schemaMaxTokens: 2000 },
    });
    expect(always.lazy).toBe(true);
    const never = createMcpToolExposure({
      tools: TOOLS,
      contextTokens: 100,
      countTokens: count,
      settings: { lazy: "never", schemaShare: 0.1, schemaMaxTokens: 2000 },
    });
    expect(never.lazy).toBe(false);
  });

  it("finds tools by words in their name and description, and adds them to later requests in the order found", async () => {
    const exposure = createMcpToolExposure({ tools: TOOLS, contextTokens: 1000, countTokens: count });
    const search = exposure.tools.find((t) => t.name === MCP_SEARCH_TOOL);
    expect(search?.description).toBe(
      "Find tools of the MCP servers github (3), web (2) by keywords; the tools found become callable.",
    );
    const ctx = { signal: new AbortController().signal, callId: "c1", turn: 1 };
    const found = await search?.execute({ query: "fetch a web page" }, ctx);
    expect(found?.content).toBe(
      "2 tools found and now available; call them directly:\nweb__fetch: Fetch a URL and return its contents as Markdown.\nweb__brave_web_search: Search the web with Brave.",
    );
    const issues = await search?.execute({ query: "open issues" }, ctx);
    expect(issues?.content.split("\n").slice(1, 3)).toEqual([
      "github__create_issue: Create a new issue in a GitHub repository.",
      "github__list_issues: List issues in a GitHub repository.",
    ]);
    expect(exposure.loaded()).toEqual([
      "web__fetch",
      "web__brave_web_search",
      "github__create_issue",
      "github__list_issues",
    ]);
    const runner = withMcpExposure({ schemas: () => schemasOf(exposure.tools), extra: 1 }, exposure);
    expect(runner.schemas().map((s) => s.name)).toEqual([
      "read_file",
      MCP_SEARCH_TOOL,
      "web__fetch",
      "web__brave_web_search",
      "github__create_issue",
      "github__list_issues",
    ]);
    expect(runner.extra).toBe(1);
  });

  it("finds a tool by its exact name, and says what exists when nothing matches", async () => {
    const exposure = createMcpToolExposure({ tools: TOOLS, contextTokens: 1000, countTokens: count });
    const search = exposure.tools.find((t) => t.name === MCP_SEARCH_TOOL);
    const ctx = { signal: new AbortController().signal, callId: "c1", turn: 1 };
    expect((await search?.execute({ query: "github__search_code" }, ctx))?.content).toMatch(
      /^1 tool found .*\ngithub__search_code:/,
    );
    const none = await search?.execute({ query: "calendar" }, ctx);
    expect(none?.content).toBe(
      'No MCP tool matches "calendar". Servers: github (3), web (2). Search again with other words, or a server\'s name.',
    );
    expect(exposure.loaded()).toEqual(["github__search_code"]);
  });

  describe("scoped to the servers of one kind of step", () => {
    const ctx = { signal: new AbortController().signal, callId: "c1", turn: 1 };
    const call = (name: string, args: Record<string, unknown> = {}): ToolCall => ({
      id: "c1",
      name,
      args,
      rawArgs: JSON.stringify(args),
    });
    /** A registry over the native tool and every MCP tool (search included when lazy). */
    const registryOf = (tools: readonly { name: string; execute: McpTool["execute"] }[]) => ({
      schemas: () => schemasOf(tools as McpTool[]),
      async execute(c: ToolCall, _ctx?: unknown) {
        const tool = tools.find((t) => t.name === c.name);
        if (!tool) return { content: `no ${c.name}`, display: "", isError: true };
        return tool.execute(c.args, ctx);
      },
    });

    it("sends and runs only the tools of servers in scope; a call outside it never reaches its server", async () => {
      const exposure = createMcpToolExposure({ tools: TOOLS, contextTokens: 200_000, countTokens: count });
      let scope: string | undefined = "web";
      const runner = withMcpScope(registryOf(exposure.tools), exposure, () =>
        scope === undefined ? undefined : exposure.within((server) => server === scope),
      );
      expect(runner.schemas().map((s) => s.name)).toEqual(["read_file", "web__fetch", "web__brave_web_search"]);
      expect((await runner.execute(call("web__fetch"), ctx)).content).toBe("fetch ran");
      const refused = await runner.execute(call("github__list_issues"), ctx);
      expect(refused).toMatchObject({ isError: true, display: "github__list_issues: not offered here" });
      expect(refused.content).toMatch(/^github__list_issues is not offered in this run/);
      scope = undefined;
      expect(runner.schemas()).toHaveLength(6);
      expect((await runner.execute(call("github__list_issues"), ctx)).content).toBe("list_issues ran");
    });

    it("lazily, mcp_search looks only among the tools in scope and names only their servers", async () => {
      const exposure = createMcpToolExposure({ tools: TOOLS, contextTokens: 1000, countTokens: count });
      const github = exposure.within((server) => server === "github");
      const runner = withMcpScope(registryOf(exposure.tools), exposure, () => github);
      const schemas = runner.schemas();
      expect(schemas.map((s) => s.name)).toEqual(["read_file", MCP_SEARCH_TOOL]);
      expect(schemas[1].description).toBe(
        "Find tools of the MCP servers github (3) by keywords; the tools found become callable.",
      );
      const web = await runner.execute(call(MCP_SEARCH_TOOL, { query: "fetch a web page" }), ctx);
      expect(web.content).toMatch(/^No MCP tool matches/);
      await runner.execute(call(MCP_SEARCH_TOOL, { query: "issues" }), ctx);
      expect(runner.schemas().map((s) => s.name)).toEqual([
        "read_file",
        MCP_SEARCH_TOOL,
        "github__create_issue",
        "github__list_issues",
      ]);
      // Nothing in scope: no search tool either.
      const none = exposure.within(() => false);
      expect(none.select(schemasOf(exposure.tools)).map((s) => s.name)).toEqual(["read_file"]);
      expect(none.offers(MCP_SEARCH_TOOL)).toBe(false);
      expect(none.offers("read_file")).toBe(true);
    });
  });
});
