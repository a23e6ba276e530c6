/**
 * parecode as an ACP agent: the protocol's requests mapped onto sessions (src/cli/acp/session.ts).
 *
 *   initialize            capabilities: loadSession, embedded context in prompts, MCP servers over
 *                         stdio/http/sse, session list and close; no auth
 *   session/new           an empty recorded session and a runtime rooted at `cwd`; modes = permission modes
 *   session/load          a recorded session continued, its turns replayed as message chunks
 *   session/list, /close  this folder's recorded sessions; ending a live one
 *   session/set_mode      the session's permission mode
 *   session/prompt        one task; updates stream while it runs
 *   session/cancel        aborts the running task (its prompt answers "cancelled")
 *
 * The editor's file-system and terminal methods are not used: parecode's tools work on the
 * files on disk (line-hash anchors, checkpoints, hooks and commands all see the same bytes)
 * and its commands run in its own sandbox with secrets removed, which an editor terminal
 * would bypass.
 */
import path from "node:path";
import {
  type AgentApp,
  agent,
  type ClientCapabilities,
  type InitializeResponse,
  type McpServer,
  PROTOCOL_VERSION,
  RequestError,
} from "@agentclientprotocol/sdk";
import { sessionsDir } from "../../config/paths.js";
import { isPermissionMode } from "../../core/approval.js";
import { errorMessage, UsageError } from "../../core/errors.js";
import { redactPatterns } from "../../core/redact.js";
import { VERSION } from "../../core/version.js";
import { createSessionStore } from "../../sessions/index.js";
import type { AcpCommand } from "./args.js";
import { editorMcpServers } from "./mcp-servers.js";
import { type AcpSession, createAcpSession } from "./session.js";

export interface AcpAgentOptions {
  env: NodeJS.ProcessEnv;
  flags: AcpCommand;
  log(line: string): void;
}

export interface AcpAgent {
  app: AgentApp;
  /** Ends every live session (runtimes, MCP servers). */
  closeAll(): Promise<void>;
}

export function createAcpAgent(options: AcpAgentOptions): AcpAgent {
  const { env, flags, log } = options;
  const store = createSessionStore(sessionsDir(env));
  const sessions = new Map<string, AcpSession>();
  /** Sessions made by session/new: their file is removed again if nothing was ever asked. */
  const fresh = new Set<string>();
  let capabilities: ClientCapabilities = {};

  const live = (sessionId: string): AcpSession => {
    const session = sessions.get(sessionId);
    if (!session) throw RequestError.sessionNotFound(sessionId);
    return session;
  };

  const absolute = (cwd: string): string => {
    if (!path.isAbsolute(cwd)) throw RequestError.invalidParams({ cwd }, "cwd must be an absolute path");
    return cwd;
  };

  const open = async (
    id: string,
    cwd: string,
    mcpServers: readonly McpServer[],
    client: Parameters<typeof createAcpSession>[0]["client"],
  ) => {
    try {
      const session = await createAcpSession({
        id,
        cwd,
        env,
        flags,
        client,
        notices: capabilities.session?.notices != null,
        mcpServers: editorMcpServers(mcpServers),
        log,
      });
      sessions.set(id, session);
      return session;
    } catch (err) {
      // Config mistakes name their fix; the editor shows the message.
      throw new RequestError(-32603, redactPatterns(errorMessage(err)));
    }
  };

  const close = async (sessionId: string) => {
    const session = sessions.get(sessionId);
    if (!session) return;
    sessions.delete(sessionId);
    await session.close();
    if (fresh.delete(sessionId)) removeIfEmpty(sessionId);
  };

  const removeIfEmpty = (id: string) => {
    try {
      const recorded = store.open(id);
      const empty = recorded.entries().length === 0;
      recorded.close();
      if (empty) store.delete(id);
    } catch {
      // Already gone, or unreadable: nothing to tidy.
    }
  };

  const app = agent({ name: "parecode" })
    .onRequest("initialize", ({ params }): InitializeResponse => {
      capabilities = params.clientCapabilities ?? {};
      return {
        protocolVersion: Math.min(params.protocolVersion, PROTOCOL_VERSION),
        agentCapabilities: {
          loadSession: true,
          promptCapabilities: { image: false, audio: false, embeddedContext: true },
          mcpCapabilities: { http: true, sse: true },
          sessionCapabilities: { list: {}, close: {} },
        },
        agentInfo: { name: "parecode", title: "parecode", version: VERSION },
        authMethods: [],
      };
    })
    .onRequest("authenticate", () => ({}))
    .onRequest("session/new", async ({ params, client }) => {
      const cwd = absolute(params.cwd);
      const recorded = store.create({ root: cwd });
      recorded.close();
      fresh.add(recorded.id);
      try {
        const session = await open(recorded.id, cwd, params.mcpServers, client);
        return { sessionId: session.id, modes: session.modes() };
      } catch (err) {
        fresh.delete(recorded.id);
        removeIfEmpty(recorded.id);
        throw err;
      }
    })
    .onRequest("session/load", async ({ params, client }) => {
      const cwd = absolute(params.cwd);
      await close(params.sessionId);
      try {
        store.open(params.sessionId).close();
      } catch (err) {
        if (err instanceof UsageError) throw RequestError.sessionNotFound(params.sessionId);
        throw new RequestError(-32603, errorMessage(err));
      }
      const session = await open(params.sessionId, cwd, params.mcpServers, client);
      await session.replay();
      return { modes: session.modes() };
    })
    .onRequest("session/list", ({ params }) => {
      const root = params.cwd ?? undefined;
      const listed = store.list(root === undefined ? {} : { root });
      return {
        sessions: listed.sessions
          .filter((s) => s.turns > 0)
          .map((s) => ({ sessionId: s.id, cwd: s.root, title: s.title, updatedAt: s.updated })),
      };
    })
    .onRequest("session/close", async ({ params }) => {
      await close(params.sessionId);
      return {};
    })
    .onRequest("session/set_mode", ({ params }) => {
      if (!isPermissionMode(params.modeId)) {
        throw RequestError.invalidParams({ modeId: params.modeId }, "unknown mode");
      }
      live(params.sessionId).setMode(params.modeId);
      return {};
    })
    .onRequest("session/prompt", async ({ params, signal }) => {
      const stopReason = await live(params.sessionId).prompt(params.prompt, signal);
      return { stopReason };
    })
    .onNotification("session/cancel", ({ params }) => {
      sessions.get(params.sessionId)?.cancel();
    });

  return {
    app,
    async closeAll() {
      await Promise.all([...sessions.keys()].map((id) => close(id)));
    },
  };
}
