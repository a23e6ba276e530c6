/**
 * The MCP servers an editor hands over in `session/new` / `session/load`, as parecode
 * server blocks: started beside the configured ones, through the same permissions.
 * Names are made safe for `server__tool` tool names.
 */
import type { McpServer } from "@agentclientprotocol/sdk";
import { DEFAULT_MCP_START_TIMEOUT_MS, type McpServerConfig } from "../../config/mcp-servers.js";

function safeName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .replace(/_{2,}/g, "_")
      .replace(/^[-_]+|[-_]+$/g, "") || "editor";
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}

export function editorMcpServers(servers: readonly McpServer[]): McpServerConfig[] {
  const taken = new Set<string>();
  return servers.map((server) => {
    const base = {
      name: safeName(server.name, taken),
      enabled: true,
      startTimeoutMs: DEFAULT_MCP_START_TIMEOUT_MS,
      origin: "editor",
    };
    if ("url" in server) {
      return {
        ...base,
        url: server.url,
        env: {},
        headers: Object.fromEntries(server.headers.map((h) => [h.name, h.value])),
      };
    }
    return {
      ...base,
      command: [server.command, ...server.args],
      env: Object.fromEntries(server.env.map((v) => [v.name, v.value])),
      headers: {},
    };
  });
}
