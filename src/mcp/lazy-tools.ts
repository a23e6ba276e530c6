/**
 * Lazy loading of MCP tool schemas, for any provider. When the MCP tools' schemas would
 * take more than a share of the window (default: 10% of it or 2,000 tokens, whichever is
 * smaller), the model is sent one small `mcp_search` tool instead; the tools a search
 * finds are sent with every later request. All MCP tools stay registered either way, so
 * a call by name works whether or not its schema was sent.
 */

import type { McpLazyMode, McpSettings } from "../config/mcp-servers.js";
import { DEFAULT_MCP_SETTINGS } from "../config/mcp-servers.js";
import type { Tool, ToolCall, ToolContext, ToolResult, ToolSchema } from "../core/types.js";
import type { McpTool } from "./mcp-tool.js";

export const MCP_SEARCH_TOOL = "mcp_search";
/** Tools one search makes available at most. */
const MAX_MATCHES = 8;

export interface McpToolExposureOptions {
  tools: readonly McpTool[];
  /** The model's context window, in tokens. */
  contextTokens: number;
  /** Counts tokens the way the agent does (context/tokens); mcp/ cannot import it. */
  countTokens: (text: string) => number;
  settings?: Pick<McpSettings, "lazy" | "schemaShare" | "schemaMaxTokens">;
}

export interface McpToolExposure {
  /** True when the model gets `mcp_search` instead of the MCP schemas. */
  readonly lazy: boolean;
  readonly mode: McpLazyMode;
  /** What all MCP schemas cost, in tokens. */
  readonly schemaTokens: number;
  /** The limit they were measured against. */
  readonly budgetTokens: number;
  /** Every MCP tool, plus `mcp_search` when lazy: what the registry must hold. */
  readonly tools: readonly Tool[];
  /** Whether a schema goes into the next request: every non-MCP tool; MCP tools when eager or once found. */
  isVisible(name: string): boolean;
  /** The schemas of the next request, from the registry's full list (order kept). */
  select(schemas: readonly ToolSchema[]): ToolSchema[];
  /** MCP tools a search made available, in the order found. */
  loaded(): string[];
  /**
   * The same exposure for a run limited to the servers `inScope` accepts (a plan step of
   * one category): other servers' tools are neither sent nor callable, and `mcp_search`
   * looks only among the tools in scope. Tools found by a search stay found for every view.
   */
  within(inScope: (server: string) => boolean): ScopedMcpExposure;
}

export interface ScopedMcpExposure {
  /** Whether a call may run here: every non-MCP tool, the tools of servers in scope, and mcp_search when it searches something. */
  offers(name: string): boolean;
  /** The schemas of the next request, like McpToolExposure.select, limited to the scope. */
  select(schemas: readonly ToolSchema[]): ToolSchema[];
  /** mcp_search over the tools in scope; absent when eager or nothing is in scope. */
  readonly search?: Tool;
}

export function createMcpToolExposure(options: McpToolExposureOptions): McpToolExposure {
  const settings = options.settings ?? DEFAULT_MCP_SETTINGS;
  const tools = [...options.tools];
  const names = new Set(tools.map((t) => t.name));
  const schemaTokens =
    tools.length === 0
      ? 0
      : options.countTokens(
          JSON.stringify(tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }))),
        );
  const budgetTokens = Math.floor(Math.min(options.contextTokens * settings.schemaShare, settings.schemaMaxTokens));
  const lazy =
    tools.length > 0 && (settings.lazy === "always" || (settings.lazy === "auto" && schemaTokens > budgetTokens));
  const found: string[] = [];
  const foundSet = new Set<string>();

  const isVisible = (name: string) => !lazy || !names.has(name) || foundSet.has(name);
  const remember = (matches: string[]) => {
    for (const name of matches) {
      if (foundSet.has(name)) continue;
      foundSet.add(name);
      found.push(name);
    }
  };
  const search = createSearchTool(tools, remember);

  const select = (schemas: readonly ToolSchema[]): ToolSchema[] => {
    if (!lazy) return [...schemas];
    // Found tools go last, in the order found: the schemas already sent keep their place.
    const visible = schemas.filter((s) => !names.has(s.name));
    const byName = new Map(schemas.map((s) => [s.name, s]));
    for (const name of found) {
      const schema = byName.get(name);
      if (schema) visible.push(schema);
    }
    return visible;
  };

  return {
    lazy,
    mode: settings.lazy,
    schemaTokens,
    budgetTokens,
    tools: lazy ? [...tools, search] : tools,
    isVisible,
    select,
    loaded: () => [...found],
    within(inScope) {
      const own = new Set(tools.filter((t) => inScope(t.server)).map((t) => t.name));
      const scopedSearch =
        lazy && own.size > 0
          ? createSearchTool(
              tools.filter((t) => own.has(t.name)),
              remember,
            )
          : undefined;
      const offers = (name: string) =>
        name === MCP_SEARCH_TOOL ? scopedSearch !== undefined : !names.has(name) || own.has(name);
      return {
        offers,
        search: scopedSearch,
        select: (schemas) =>
          select(schemas)
            .filter((schema) => offers(schema.name))
            .map((schema) =>
              schema.name === MCP_SEARCH_TOOL && scopedSearch
                ? { ...schema, description: scopedSearch.description }
                : schema,
            ),
      };
    },
  };
}

/**
 * A runner whose `schemas()` is narrowed to what the exposure makes visible; `execute`
 * and everything else are the runner's own. The agent must call `schemas()` before every
 * request for found tools to appear.
 */
export function withMcpExposure<T extends { schemas(): ToolSchema[] }>(runner: T, exposure: McpToolExposure): T {
  return Object.assign(Object.create(runner) as T, { schemas: () => exposure.select(runner.schemas()) });
}

interface ToolRunnerLike {
  schemas(): ToolSchema[];
  execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult>;
}

/**
 * A runner whose MCP tools follow the scope `current()` names at each call (undefined: the
 * whole exposure, as withMcpExposure). A call to a tool outside the scope is answered with
 * an error result and never reaches its server; mcp_search searches only the scope.
 */
export function withMcpScope<T extends ToolRunnerLike>(
  runner: T,
  exposure: McpToolExposure,
  current: () => ScopedMcpExposure | undefined,
): T {
  return Object.assign(Object.create(runner) as T, {
    schemas: () => (current() ?? exposure).select(runner.schemas()),
    async execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
      const scoped = current();
      if (!scoped) return runner.execute(call, ctx);
      if (!scoped.offers(call.name)) {
        return {
          content: `${call.name} is not offered in this run (its MCP server is scoped to other kinds of steps); use the tools you were given.`,
          display: `${call.name}: not offered here`,
          isError: true,
        };
      }
      if (call.name === MCP_SEARCH_TOOL && scoped.search) return scoped.search.execute(call.args, ctx);
      return runner.execute(call, ctx);
    },
  });
}

function createSearchTool(tools: readonly McpTool[], onFound: (names: string[]) => void): Tool {
  const servers = new Map<string, number>();
  for (const tool of tools) servers.set(tool.server, (servers.get(tool.server) ?? 0) + 1);
  const serverList = [...servers].map(([name, count]) => `${name} (${count})`).join(", ");
  return {
    name: MCP_SEARCH_TOOL,
    description: `Find tools of the MCP servers ${serverList} by keywords; the tools found become callable.`,
    parameters: {
      type: "object",
      properties: { query: { type: "string", description: "What the tool should do, or its server's name" } },
      required: ["query"],
    },
    mutates: false,
    async execute(args): Promise<ToolResult> {
      const query = String(args.query ?? "");
      const matches = rank(tools, query).slice(0, MAX_MATCHES);
      if (matches.length === 0) {
        return {
          content: `No MCP tool matches ${JSON.stringify(query)}. Servers: ${serverList}. Search again with other words, or a server's name.`,
          display: `mcp_search ${JSON.stringify(query)}: no match`,
          isError: false,
        };
      }
      onFound(matches.map((t) => t.name));
      const lines = matches.map((t) => `${t.name}: ${firstSentence(t.description)}`);
      return {
        content: `${matches.length} tool${matches.length === 1 ? "" : "s"} found and now available; call them directly:\n${lines.join("\n")}`,
        display: `mcp_search ${JSON.stringify(query)}: ${matches.map((t) => t.name).join(", ")}`,
        isError: false,
      };
    },
  };
}

/**
 * Tools scored by the query's words: a word in the tool's name counts most, then its
 * server's name, then its description. Ties keep the servers' order.
 */
function rank(tools: readonly McpTool[], query: string): McpTool[] {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2);
  if (words.length === 0) return [];
  const exact = tools.find((t) => t.name.toLowerCase() === query.trim().toLowerCase());
  if (exact) return [exact];
  const scored = tools.map((tool, index) => {
    const name = tool.remoteName.toLowerCase();
    const server = tool.server.toLowerCase();
    const description = tool.description.toLowerCase();
    let score = 0;
    for (const word of words) {
      const stem = word.length > 4 ? word.replace(/(es|s|ing|ed)$/, "") : word;
      if (name.includes(stem)) score += 3;
      if (server === word) score += 2;
      if (description.includes(stem)) score += 1;
    }
    return { tool, index, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((s) => s.tool);
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  return sentence.length > 150 ? `${sentence.slice(0, 149)}…` : sentence;
}
