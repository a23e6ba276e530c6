/**
 * One ACP session: one runtime (the composition root) rooted at the session's `cwd`, its
 * events redacted and streamed to the editor as `session/update`s, its approval questions
 * asked through `session/request_permission`, and `session/cancel` aborting the running
 * task. The ACP session id is the recorded parecode session's id, so `session/load` finds
 * it again after the editor restarts.
 */
import type { AgentContext, ContentBlock, SessionModeState, SessionUpdate, StopReason } from "@agentclientprotocol/sdk";
import type { McpServerConfig } from "../../config/mcp-servers.js";
import { type Approver, PERMISSION_MODES, type PermissionMode } from "../../core/approval.js";
import { errorMessage } from "../../core/errors.js";
import { createRedactor } from "../../core/redact.js";
import type { AgentEvent } from "../../core/types.js";
import { redactingEventSink } from "../../runtime/redacting-events.js";
import { createRuntime, type Runtime } from "../../runtime/runtime.js";
import type { AcpCommand } from "./args.js";
import { approvalDecision, permissionRequest } from "./permission.js";
import { promptTask } from "./prompt.js";
import { createUpdateMapper } from "./updates.js";

export interface AcpSessionOptions {
  /** The recorded session to continue (new sessions get an empty one first). */
  id: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  flags: AcpCommand;
  /** Calls the editor (updates, permission requests). */
  client: AgentContext;
  /** The editor shows `notice` updates (it advertised session.notices). */
  notices: boolean;
  mcpServers: McpServerConfig[];
  /** A line for stderr (the editor's agent log). */
  log(line: string): void;
}

export interface AcpSession {
  readonly id: string;
  readonly runtime: Runtime;
  /** Runs the prompt as one task; resolves with why the turn ended. */
  prompt(blocks: readonly ContentBlock[], signal: AbortSignal): Promise<StopReason>;
  /** Aborts the running task, if any; its prompt then ends with "cancelled". */
  cancel(): void;
  /** Sends the recorded conversation as message chunks (session/load). */
  replay(): Promise<void>;
  modes(): SessionModeState;
  setMode(mode: PermissionMode): void;
  close(): Promise<void>;
}

const MODE_NAMES: Record<PermissionMode, [string, string]> = {
  ask: ["Ask", "Edits, commands and MCP calls ask first"],
  "accept-edits": ["Accept edits", "File edits inside the project go through; commands ask"],
  "read-only": ["Read only", "Nothing is changed; only read-only commands run"],
  trust: ["Trust", "Everything no rule or guard denies runs without asking"],
};

export async function createAcpSession(options: AcpSessionOptions): Promise<AcpSession> {
  const { id, cwd, client, log } = options;
  const redactor = createRedactor([]);
  let sending: Promise<void> = Promise.resolve();
  /** Updates go out strictly in order; a failed send (the editor went away) is logged, never thrown. */
  const send = (update: SessionUpdate) => {
    sending = sending
      .then(() => client.notify("session/update", { sessionId: id, update }))
      .catch((err: unknown) => log(`could not send an update: ${errorMessage(err)}`));
  };
  let active: AbortController | undefined;
  let heldNotices: Array<Extract<AgentEvent, { type: "notice" }>> = [];
  let runtime: Runtime | undefined;
  const mapper = createUpdateMapper({ root: cwd, contextWindow: () => runtime?.contextWindow ?? 0 });

  const showNotice = (event: Extract<AgentEvent, { type: "notice" }>) =>
    send({ sessionUpdate: "notice", severity: event.level === "warn" ? "warning" : "info", title: event.message });
  const notice = (event: Extract<AgentEvent, { type: "notice" }>) => {
    if (event.level === "debug" && !options.flags.verbose) return;
    log(event.message);
    if (event.level === "debug" || !options.notices) return;
    // Before the editor has the session's id (while it starts), notices wait for the first prompt.
    if (active) showNotice(event);
    else heldNotices.push(event);
  };

  const onEvent = redactingEventSink(redactor, (event) => {
    if (event.type === "notice") return notice(event);
    for (const update of mapper.map(event)) send(update);
  });

  const approve: Approver = async (request, signal) => {
    // The tool call the question is about must reach the editor first.
    await sending;
    try {
      const response = await client.request("session/request_permission", permissionRequest(id, cwd, request), {
        cancellationSignal: signal,
        stopWaitingOnCancel: true,
      });
      return approvalDecision(response);
    } catch (err) {
      if (!signal.aborted) log(`permission request failed, taken as a no: ${errorMessage(err)}`);
      return { approved: false };
    }
  };

  runtime = await createRuntime({
    cwd,
    env: options.env,
    profileName: options.flags.profile,
    modelOverride: options.flags.model,
    permissionMode: options.flags.permissionMode,
    trustProject: options.flags.trustProject,
    sandbox: options.flags.sandbox,
    redactor,
    approve,
    resume: { id },
    mcpServers: options.mcpServers,
    onEvent,
  });
  const rt = runtime;

  const chunk = (kind: "user_message_chunk" | "agent_message_chunk", text: string) =>
    send({ sessionUpdate: kind, content: { type: "text", text: redactor.text(text) } });

  return {
    id,
    runtime: rt,
    async prompt(blocks, signal) {
      if (active) throw new Error("A prompt is already running in this session; cancel it or wait for it.");
      const controller = new AbortController();
      active = controller;
      const onAbort = () => controller.abort();
      signal.addEventListener("abort", onAbort, { once: true });
      for (const held of heldNotices) showNotice(held);
      heldNotices = [];
      try {
        const { task, attachments } = promptTask(cwd, blocks);
        const text = task !== "" ? task : `Look at the attached files: ${attachments.join(", ")}.`;
        const result = await rt.run(text, controller.signal, { attachments });
        if (result.status === "failed") chunk("agent_message_chunk", `\n\nparecode: ${result.message}`);
        await sending;
        if (result.status === "interrupted" || controller.signal.aborted) return "cancelled";
        if (result.reason === "max_turns") return "max_turn_requests";
        return "end_turn";
      } finally {
        signal.removeEventListener("abort", onAbort);
        active = undefined;
      }
    },
    cancel() {
      active?.abort();
    },
    async replay() {
      for (const turn of rt.turns()) {
        chunk("user_message_chunk", turn.task);
        if (turn.answer !== "") chunk("agent_message_chunk", turn.answer);
      }
      await sending;
    },
    modes: () => ({
      currentModeId: rt.permissionMode,
      availableModes: PERMISSION_MODES.map((mode) => ({
        id: mode,
        name: MODE_NAMES[mode][0],
        description: MODE_NAMES[mode][1],
      })),
    }),
    setMode: (mode) => rt.setPermissionMode(mode),
    async close() {
      active?.abort();
      await rt.close();
      await sending;
    },
  };
}
