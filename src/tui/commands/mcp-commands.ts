/**
 * /mcp in the UI, from the session's own MCP servers (the runtime's read-only view): /mcp
 * lists them, /mcp status NAME shows one, /mcp tools NAME its tools as the model gets
 * them, /mcp logs NAME the end of its stderr (redacted, bounded). Nothing here starts,
 * stops or changes a server.
 */
import type { McpServerView, McpView } from "../../runtime/runtime.js";
import type { CommandContext, CommandSpec, TuiExtension } from "./registry.js";

const LOG_LINES = 50;
const USAGE = "Use /mcp, /mcp status NAME, /mcp tools NAME or /mcp logs NAME.";

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  return sentence.length > 100 ? `${sentence.slice(0, 99)}…` : sentence;
}

function statusText(server: McpServerView): string {
  if (server.status === "ready") return server.startMs === undefined ? "ready" : `ready (${server.startMs} ms)`;
  return server.error ? `${server.status}: ${server.error}` : server.status;
}

function toolCount(n: number): string {
  return `${n} ${n === 1 ? "tool" : "tools"}`;
}

function listServers(ctx: CommandContext, view: McpView): void {
  const servers = view.servers();
  const width = Math.max(...servers.map((s) => s.name.length));
  const lines = servers.map((s) => {
    const scope = s.scope ? ` · plan steps: ${s.scope.join(", ")}` : "";
    return `${s.name.padEnd(width)}  ${s.transport}  ${toolCount(s.tools.length)}  ${statusText(s)}${scope}`;
  });
  const exposure = view.exposure();
  lines.push(
    exposure.lazy
      ? `Tool schemas (${exposure.schemaTokens} tokens) are over the ${exposure.budgetTokens}-token budget: the model finds them with mcp_search${exposure.loaded.length > 0 ? ` (found so far: ${exposure.loaded.join(", ")})` : ""}.`
      : `Tool schemas cost ${exposure.schemaTokens} tokens per request (budget ${exposure.budgetTokens}).`,
  );
  lines.push("/mcp status|tools|logs NAME for one server.");
  ctx.info(lines, "MCP servers");
}

function serverNamed(ctx: CommandContext, view: McpView, name: string): McpServerView | undefined {
  const servers = view.servers();
  const found = servers.find((s) => s.name === name);
  if (!found) {
    ctx.notice(
      `There is no MCP server named ${name} in this session; the servers are: ${servers.map((s) => s.name).join(", ")}.`,
      "error",
    );
  }
  return found;
}

function showStatus(ctx: CommandContext, server: McpServerView): void {
  const lines = [
    `status     ${statusText(server)}`,
    `transport  ${server.transport}`,
    `from       ${server.origin === "global" || server.origin === "editor" ? server.origin : `profile ${server.origin}`}`,
    `tools      ${server.tools.length}`,
    `offered to ${server.scope ? `plan steps of kind ${server.scope.join(", ")} (and every task outside plan mode)` : "every task"}`,
  ];
  if (server.status !== "ready") lines.push(`See why with /mcp logs ${server.name}.`);
  ctx.info(lines, `MCP server ${server.name}`);
}

function showTools(ctx: CommandContext, server: McpServerView): void {
  if (server.tools.length === 0) {
    ctx.notice(
      `MCP server ${server.name} offers no tools${server.status === "ready" ? "" : ` (${statusText(server)})`}.`,
      "warn",
    );
    return;
  }
  const lines = server.tools.map(
    (tool) => `${tool.name}${tool.readOnly ? "  [read-only]" : ""}  ${firstSentence(tool.description)}`,
  );
  ctx.info(lines, `${server.name}: ${toolCount(server.tools.length)}`);
}

function showLogs(ctx: CommandContext, view: McpView, server: McpServerView): void {
  const tail = view.logTail(server.name, LOG_LINES) ?? [];
  if (tail.length === 0) {
    ctx.notice(`MCP server ${server.name} has written nothing to its log yet.`);
    return;
  }
  ctx.info(tail, `${server.name} log (last ${tail.length} lines, secrets redacted)`);
}

const MCP_COMMAND: CommandSpec = {
  name: "mcp",
  args: "[status|tools|logs NAME]",
  description: "this session's MCP servers: status, tools and logs",
  run(ctx, args) {
    const view = ctx.runtime.mcp;
    if (!view) {
      ctx.notice(
        "No MCP servers are configured for this profile. Add one with: parecode mcp add NAME -- COMMAND [ARGS...]",
      );
      return;
    }
    const [action, name, ...extra] = args.trim().split(/\s+/).filter(Boolean);
    if (action === undefined) return listServers(ctx, view);
    if (!["status", "tools", "logs"].includes(action) || extra.length > 0) return ctx.notice(USAGE, "error");
    if (name === undefined) return ctx.notice(`/mcp ${action} needs a server's name. ${USAGE}`, "error");
    const server = serverNamed(ctx, view, name);
    if (!server) return;
    if (action === "status") showStatus(ctx, server);
    else if (action === "tools") showTools(ctx, server);
    else showLogs(ctx, view, server);
  },
};

export const MCP_EXTENSION: TuiExtension = { commands: [MCP_COMMAND] };
