/** The MCP servers tests and the benchmark run: the two real ones from npm and our fake. */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { McpServerConfig } from "../../src/config/mcp-servers.js";

const require = createRequire(import.meta.url);

function entry(pkg: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "dist", "index.js");
}

/** `node EVERYTHING stdio` (or `sse` / `streamableHttp` with PORT set). */
export const EVERYTHING = entry("@modelcontextprotocol/server-everything");
/** `node FILESYSTEM DIR`. */
export const FILESYSTEM = entry("@modelcontextprotocol/server-filesystem");
/** `node FAKE [--tools N] [--hang] [--exit] [--stderr TEXT]` (see the file). */
export const FAKE = fileURLToPath(new URL("./fake-mcp-server.mjs", import.meta.url));

/** A stdio server block as readMcpConfig would produce it. */
export function stdioServer(name: string, argv: string[], extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return {
    name,
    command: argv,
    env: {},
    headers: {},
    enabled: true,
    startTimeoutMs: 15_000,
    origin: "global",
    ...extra,
  };
}
