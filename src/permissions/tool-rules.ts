import type { PermissionAction } from "../core/approval.js";
import type { ToolRule } from "./types.js";

/**
 * Whether a tool-name pattern covers a tool: exact name, `server__*` for one MCP server's
 * tools (any trailing `*` is a prefix match), `mcp:*` for every MCP tool, `*` for all.
 */
export function toolPatternMatches(pattern: string, tool: string, isMcp: boolean): boolean {
  if (pattern === "*") return true;
  if (pattern === "mcp:*") return isMcp;
  if (pattern.endsWith("*")) return tool.startsWith(pattern.slice(0, -1));
  return pattern === tool;
}

/** How specific a pattern is: an exact name beats a prefix, a prefix beats `mcp:*`, which beats `*`. */
function specificity(pattern: string): number {
  if (pattern === "*") return 0;
  if (pattern === "mcp:*") return 1;
  if (pattern.endsWith("*")) return 2 + pattern.length;
  return 10_000;
}

/**
 * The rule that decides for a tool. Deny from any source wins (a project may always
 * tighten); otherwise the most specific pattern, and among equals "ask" before "allow".
 */
export function findToolRule(rules: readonly ToolRule[], tool: string, isMcp: boolean): ToolRule | undefined {
  const matching = rules.filter((rule) => toolPatternMatches(rule.pattern, tool, isMcp));
  const deny = matching.find((rule) => rule.action === "deny");
  if (deny) return deny;
  const rank: Record<PermissionAction, number> = { deny: 2, ask: 1, allow: 0 };
  return matching.sort((a, b) => specificity(b.pattern) - specificity(a.pattern) || rank[b.action] - rank[a.action])[0];
}
