/**
 * `parecode mcp serve`: the native tools, rooted at the current directory, offered to
 * other MCP hosts over stdio. Until the session's permission policy is wired in, the
 * rule is conservative and fixed: tools that only read are allowed; file changes need
 * --allow-writes and commands need --allow-bash. Nothing but protocol goes to stdout.
 */

import { loadConfig } from "../config/load.js";
import type { ReadCache } from "../context/read-cache.js";
import { VERSION } from "../core/version.js";
import { resolveSandbox, sandboxFor } from "../exec/sandbox.js";
import type { CheckPermission } from "../mcp/serve.js";
import type { McpCommand } from "./mcp-args.js";

type ServeCommand = Extract<McpCommand, { action: "serve" }>;

interface Io {
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The host keeps its own context and may have dropped an earlier read, so a re-read
 * always returns the text instead of "unchanged since turn N".
 */
const FORGETFUL_CACHE: ReadCache = {
  lookup: () => undefined,
  remember: () => undefined,
  invalidate: () => undefined,
  clear: () => undefined,
};

/** Read-only tools run; changes and commands only with the flags that allow them. */
export function defaultServePermission(flags: { allowWrites: boolean; allowBash: boolean }): CheckPermission {
  return async (call) => {
    if (!call.mutates) return { allow: true };
    if (call.name === "bash") {
      return flags.allowBash
        ? { allow: true }
        : {
            allow: false,
            reason:
              "parecode mcp serve was started without --allow-bash; ask the user to restart it with --allow-bash to run commands",
          };
    }
    return flags.allowWrites
      ? { allow: true }
      : {
          allow: false,
          reason:
            "parecode mcp serve was started without --allow-writes; ask the user to restart it with --allow-writes to change files",
        };
  };
}

export async function runMcpServe(command: ServeCommand, io: Io): Promise<number> {
  const [{ serveTools }, { createNativeTools }, { createOutputStore }, config] = await Promise.all([
    import("../mcp/serve.js"),
    import("../tools/index.js"),
    import("../tools/output-store.js"),
    loadConfig(io.env),
  ]);
  const { settings } = config;
  const sandbox = command.allowBash
    ? sandboxFor(resolveSandbox(settings.sandbox, { env: io.env }), {
        root: io.cwd,
        env: io.env,
        network: settings.sandboxNetwork,
      })
    : undefined;
  const outputs = createOutputStore();
  const tools = createNativeTools({
    root: io.cwd,
    cache: FORGETFUL_CACHE,
    outputs,
    env: io.env,
    envAllow: settings.envAllow,
    bashMaxTimeoutSeconds: settings.bashMaxTimeoutSeconds,
    sandbox,
  });
  const allowed = [
    "reading",
    ...(command.allowWrites ? ["file changes"] : []),
    ...(command.allowBash ? [`commands${sandbox ? " (sandboxed)" : ""}`] : []),
  ];
  const served = await serveTools({
    tools,
    outputs,
    checkPermission: defaultServePermission(command),
    serverInfo: { name: "parecode", version: VERSION },
    instructions: `parecode's coding tools for the project at ${io.cwd}; paths are relative to it. Allowed: ${allowed.join(", ")}.`,
  });
  io.err.write(`parecode: serving MCP tools for ${io.cwd} over stdio (allowed: ${allowed.join(", ")})\n`);
  await served.closed;
  return 0;
}
