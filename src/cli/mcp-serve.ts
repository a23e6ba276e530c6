/**
 * `parecode mcp serve`: the native tools, rooted at the current directory, offered to
 * other MCP hosts over stdio under the session permission policy (src/runtime/tool-host.ts):
 * the user's and the project's rules, the mode (--permission-mode, else `[permissions]
 * mode`, else ask), the shell-grammar command judge and the always-denied guard. Nobody can
 * be asked over stdio, so what the policy would ask is refused with a line the host's model
 * can pass on. Nothing but protocol goes to stdout.
 */

import type { ReadCache } from "../context/read-cache.js";
import type { PermissionMode } from "../core/approval.js";
import { VERSION } from "../core/version.js";
import type { AskVerdict } from "../permissions/policy.js";
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

/** What each mode lets through when nobody can be asked, for the host's instructions and stderr. */
const ALLOWED_IN: Record<PermissionMode, string> = {
  "read-only": "reading and read-only commands",
  ask: "reading and read-only commands",
  "accept-edits": "reading, file changes inside the project and read-only commands",
  trust: "reading, file changes and commands the rules and the guard do not deny",
};

/** The refusal the host's model reads in place of a question nobody can answer. */
export function serveRefusal(verdict: AskVerdict, mode: PermissionMode): string {
  const wanted = verdict.kind === "edit" ? "accept-edits" : "trust";
  return `${verdict.request.title} needs approval in ${mode} mode (${verdict.rule}) and parecode mcp serve cannot ask anyone. Ask the user to restart it with --permission-mode ${wanted}, or to allow it with a rule under [permissions] in config.toml.`;
}

export async function runMcpServe(command: ServeCommand, io: Io): Promise<number> {
  const [{ serveTools }, { createOutputStore }, { createToolHost }] = await Promise.all([
    import("../mcp/serve.js"),
    import("../tools/output-store.js"),
    import("../runtime/tool-host.js"),
  ]);
  const host = await createToolHost({
    cwd: io.cwd,
    env: io.env,
    permissionMode: command.permissionMode,
    trustProject: command.trustProject,
    sandbox: command.sandbox,
    refuseAsk: serveRefusal,
  });
  for (const notice of host.notices) io.err.write(`parecode: ${notice}\n`);
  const outputs = createOutputStore();
  const tools = await host.tools({ cache: FORGETFUL_CACHE, outputs });
  const allowed = ALLOWED_IN[host.permissionMode];
  const served = await serveTools({
    tools,
    outputs,
    checkPermission: async (call) => {
      const verdict = await host.check(call);
      return verdict.allow ? { allow: true } : { allow: false, reason: verdict.reason };
    },
    redact: host.redact,
    serverInfo: { name: "parecode", version: VERSION },
    instructions: `parecode's coding tools for the project at ${io.cwd}; paths are relative to it. Permission mode ${host.permissionMode}: ${allowed}; anything else is refused with the reason.`,
  });
  io.err.write(
    `parecode: serving MCP tools for ${io.cwd} over stdio in ${host.permissionMode} mode (${host.modeSource}): ${allowed}; ${host.sandbox}\n`,
  );
  await served.closed;
  return 0;
}
