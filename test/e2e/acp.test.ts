/** `parecode acp` driven by the ACP SDK's own client over the built CLI's stdio, against the scripted model. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import {
  type ClientConnection,
  client,
  ndJsonStream,
  PROTOCOL_VERSION,
  type RequestPermissionRequest,
  type SessionNotification,
  type SessionUpdate,
} from "@agentclientprotocol/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PATH, makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { EVERYTHING } from "../support/mcp-servers.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;
const editors: Editor[] = [];

afterEach(async () => {
  for (const editor of editors.splice(0)) await editor.stop();
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

interface Editor {
  connection: ClientConnection;
  updates: SessionNotification[];
  asked: RequestPermissionRequest[];
  /** Everything the agent wrote on stdout, as it came. */
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `parecode acp` and connects a client that answers permission requests with `answers`, in order. */
function startEditor(p: TempProject, answers: string[] = [], flags: string[] = []): Editor {
  const child: ChildProcess = spawn(process.execPath, [CLI_PATH, "acp", ...flags], {
    cwd: p.dir,
    env: p.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString("utf8");
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString("utf8");
  });
  const updates: SessionNotification[] = [];
  const asked: RequestPermissionRequest[] = [];
  const app = client({ name: "test-editor" })
    .onNotification("session/update", ({ params }) => {
      updates.push(params);
    })
    .onRequest("session/request_permission", ({ params }) => {
      asked.push(params);
      const optionId = answers.shift();
      return { outcome: optionId ? { outcome: "selected", optionId } : { outcome: "cancelled" } };
    });
  const connection = app.connect(
    ndJsonStream(
      Writable.toWeb(child.stdin as NonNullable<ChildProcess["stdin"]>) as WritableStream<Uint8Array>,
      Readable.toWeb(child.stdout as NonNullable<ChildProcess["stdout"]>) as ReadableStream<Uint8Array>,
    ),
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const editor: Editor = {
    connection,
    updates,
    asked,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      connection.close();
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  editors.push(editor);
  return editor;
}

async function setup(script: Parameters<typeof startScriptedServer>[0], files: Record<string, string> = {}) {
  server = await startScriptedServer(script);
  project = await makeTempProject(files);
  await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
  return project;
}

async function initialize(editor: Editor) {
  return editor.connection.agent.request("initialize", {
    protocolVersion: PROTOCOL_VERSION,
    clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
    clientInfo: { name: "test-editor", version: "1.0.0" },
  });
}

const ofKind = <K extends SessionUpdate["sessionUpdate"]>(editor: Editor, kind: K) =>
  editor.updates
    .map((n) => n.update)
    .filter((u): u is Extract<SessionUpdate, { sessionUpdate: K }> => u.sessionUpdate === kind);

const textOf = (updates: Array<{ content: { type: string; text?: string } }>) =>
  updates.map((u) => (u.content.type === "text" ? u.content.text : "")).join("");

describe("parecode acp", () => {
  it("runs a prompt with tool calls; the editor approves one edit and rejects another, and sees every step", async () => {
    const p = await setup(
      {
        script: [
          {
            toolCalls: [
              { id: "read1", name: "read_file", args: { path: "a.txt" } },
              { id: "edit1", name: "edit_file", args: { path: "a.txt", old_str: "one", new_str: "uno" } },
            ],
          },
          { toolCalls: [{ id: "write1", name: "write_file", args: { path: "b.txt", content: "new\n" } }] },
          { text: "Changed a.txt; writing b.txt was declined." },
        ],
      },
      { "a.txt": "one\ntwo\n" },
    );
    const editor = startEditor(p, ["allow-once", "reject"]);
    const init = await initialize(editor);
    expect(init.agentCapabilities).toMatchObject({ loadSession: true, promptCapabilities: { embeddedContext: true } });
    expect(init.agentInfo?.name).toBe("parecode");

    const created = await editor.connection.agent.request("session/new", { cwd: p.dir, mcpServers: [] });
    expect(created.modes?.currentModeId).toBe("ask");
    expect(created.modes?.availableModes.map((m) => m.id)).toEqual(["ask", "accept-edits", "read-only", "trust"]);
    const done = await editor.connection.agent.request("session/prompt", {
      sessionId: created.sessionId,
      prompt: [{ type: "text", text: "change a.txt and create b.txt" }],
    });
    expect(done.stopReason).toBe("end_turn");

    expect(await readFile(path.join(p.dir, "a.txt"), "utf8")).toBe("uno\ntwo\n");
    expect(existsSync(path.join(p.dir, "b.txt"))).toBe(false);

    expect(editor.asked.map((a) => [a.sessionId, a.toolCall.toolCallId, a.toolCall.title, a.toolCall.kind])).toEqual([
      [created.sessionId, "edit1", "edit_file a.txt", "edit"],
      [created.sessionId, "write1", "write_file b.txt", "edit"],
    ]);
    expect(editor.asked[0].options.map((o) => [o.optionId, o.kind])).toEqual([
      ["allow-once", "allow_once"],
      ["allow-session", "allow_always"],
      ["allow-project", "allow_always"],
      ["reject", "reject_once"],
    ]);
    expect(editor.asked[0].toolCall.content?.[0]).toEqual({
      type: "diff",
      path: path.join(p.dir, "a.txt"),
      oldText: "one\ntwo",
      newText: "uno\ntwo",
    });
    expect(editor.asked[1].toolCall.content?.[0]).toMatchObject({ type: "diff", oldText: null, newText: "new" });

    expect(editor.updates.every((n) => n.sessionId === created.sessionId)).toBe(true);
    const calls = ofKind(editor, "tool_call");
    expect(calls.map((c) => [c.toolCallId, c.kind, c.status])).toEqual([
      ["read1", "read", "pending"],
      ["edit1", "edit", "pending"],
      ["write1", "edit", "pending"],
    ]);
    expect(calls[1].locations).toEqual([{ path: path.join(p.dir, "a.txt") }]);
    const ends = ofKind(editor, "tool_call_update").filter((u) => u.status === "completed" || u.status === "failed");
    expect(ends.map((u) => [u.toolCallId, u.status])).toEqual([
      ["read1", "completed"],
      ["edit1", "completed"],
      ["write1", "failed"],
    ]);
    expect(ends[1].content?.[0]).toMatchObject({ type: "diff", newText: "uno\ntwo" });
    const declined = ends[2].content?.at(-1);
    expect(declined?.type === "content" && declined.content.type === "text" ? declined.content.text : "").toMatch(
      /^The user declined write_file b\.txt\./,
    );
    const order = editor.updates
      .map((n) => n.update)
      .filter((u) => "toolCallId" in u && u.toolCallId === "edit1")
      .map((u) => ("status" in u ? u.status : undefined));
    expect(order).toEqual(["pending", "in_progress", "completed"]);
    expect(textOf(ofKind(editor, "agent_message_chunk"))).toBe("Changed a.txt; writing b.txt was declined.");
    expect(ofKind(editor, "usage_update")[0]).toMatchObject({ size: 32_000 });
    expect(ofKind(editor, "usage_update")[0].used).toBeGreaterThan(0);

    // The model was told the edit happened and the write was declined.
    const lastMessages = (server as ScriptedServer).requests[2].body.messages as Array<{
      role: string;
      content: string;
    }>;
    expect(lastMessages.filter((m) => m.role === "tool").at(-1)?.content).toMatch(
      /^The user declined write_file b\.txt/,
    );

    // Nothing but JSON-RPC on stdout.
    for (const line of editor
      .stdout()
      .split("\n")
      .filter((l) => l !== "")) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    }
  });

  it("cancels the running task on session/cancel, and the session takes the next prompt", async () => {
    const p = await setup({
      script: [{ toolCalls: [{ id: "slow", name: "bash", args: { command: "sleep 30" } }] }, { text: "still here" }],
    });
    const editor = startEditor(p);
    await initialize(editor);
    const { sessionId } = await editor.connection.agent.request("session/new", { cwd: p.dir, mcpServers: [] });
    await editor.connection.agent.request("session/set_mode", { sessionId, modeId: "trust" });
    const started = Date.now();
    const prompt = editor.connection.agent.request("session/prompt", {
      sessionId,
      prompt: [{ type: "text", text: "wait a long time" }],
    });
    while (!ofKind(editor, "tool_call_update").some((u) => u.toolCallId === "slow" && u.status === "in_progress")) {
      if (Date.now() - started > 20_000) throw new Error(`the command never started\n${editor.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cancelledAt = Date.now();
    await editor.connection.agent.notify("session/cancel", { sessionId });
    expect((await prompt).stopReason).toBe("cancelled");
    // The 30 s command was stopped, not waited for.
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    expect(editor.asked).toEqual([]);
    expect(
      ofKind(editor, "tool_call_update").find((u) => u.toolCallId === "slow" && u.status === "failed"),
    ).toBeDefined();

    const next = await editor.connection.agent.request("session/prompt", {
      sessionId,
      prompt: [{ type: "text", text: "are you there?" }],
    });
    expect(next.stopReason).toBe("end_turn");
    expect(textOf(ofKind(editor, "agent_message_chunk"))).toContain("still here");
  });

  it("lists recorded sessions and loads one, replaying its conversation", async () => {
    const p = await setup(
      {
        script: [
          { text: "The answer is 42." },
          { fault: "status", status: 401, body: { error: { message: "bad key" } } },
        ],
      },
      { "notes.md": "# notes\n" },
    );
    const first = startEditor(p);
    await initialize(first);
    const { sessionId } = await first.connection.agent.request("session/new", { cwd: p.dir, mcpServers: [] });
    await first.connection.agent.request("session/prompt", {
      sessionId,
      prompt: [
        { type: "text", text: "what is the answer?" },
        { type: "resource_link", name: "notes.md", uri: `file://${path.join(p.dir, "notes.md")}` },
      ],
    });
    // The linked file was attached: its text reached the model.
    const system = ((server as ScriptedServer).requests[0].body.messages as Array<{ role: string; content: string }>)[0]
      .content;
    expect(system).toContain("# notes");
    const empty = await first.connection.agent.request("session/new", { cwd: p.dir, mcpServers: [] });
    await first.stop();

    const second = startEditor(p);
    await initialize(second);
    const listed = await second.connection.agent.request("session/list", { cwd: p.dir });
    expect(listed.sessions.map((s) => s.sessionId)).toEqual([sessionId]);
    expect(listed.sessions[0].sessionId).not.toBe(empty.sessionId);
    await second.connection.agent.request("session/load", { sessionId, cwd: p.dir, mcpServers: [] });
    expect(textOf(ofKind(second, "user_message_chunk"))).toBe("what is the answer?");
    expect(textOf(ofKind(second, "agent_message_chunk"))).toBe("The answer is 42.");
    await expect(
      second.connection.agent.request("session/load", { sessionId: "no-such-session", cwd: p.dir, mcpServers: [] }),
    ).rejects.toMatchObject({ code: -32002 });

    // A task that fails ends the turn with the reason in the editor's chat.
    const failed = await second.connection.agent.request("session/prompt", {
      sessionId,
      prompt: [{ type: "text", text: "and now?" }],
    });
    expect(failed.stopReason).toBe("end_turn");
    expect(textOf(ofKind(second, "agent_message_chunk"))).toMatch(/The answer is 42\.\n\nparecode: .*401/);
  });

  it("starts the MCP servers the editor passes, and asks before their tools run", async () => {
    const p = await setup({
      script: [
        { toolCalls: [{ id: "m1", name: "everything__echo", args: { message: "from the editor's server" } }] },
        { text: "echoed" },
      ],
    });
    const editor = startEditor(p, ["allow-session"]);
    await initialize(editor);
    const { sessionId } = await editor.connection.agent.request("session/new", {
      cwd: p.dir,
      mcpServers: [{ name: "everything", command: process.execPath, args: [EVERYTHING, "stdio"], env: [] }],
    });
    const done = await editor.connection.agent.request("session/prompt", {
      sessionId,
      prompt: [{ type: "text", text: "echo something" }],
    });
    expect(done.stopReason).toBe("end_turn");
    const s = server as ScriptedServer;
    const offered = (s.requests[0].body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    expect(offered).toContain("everything__echo");
    expect(editor.asked.map((a) => [a.toolCall.toolCallId, a.toolCall.title, a.toolCall.kind])).toEqual([
      ["m1", "everything__echo", "other"],
    ]);
    const messages = s.requests[1].body.messages as Array<{ role: string; content: string }>;
    expect(messages.find((m) => m.role === "tool")?.content).toBe("Echo: from the editor's server");
  });
});
