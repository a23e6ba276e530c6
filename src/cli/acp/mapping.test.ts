import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../../core/approval.js";
import { parseCli } from "../args.js";
import { editorMcpServers } from "./mcp-servers.js";
import { approvalDecision, permissionRequest } from "./permission.js";
import { promptTask } from "./prompt.js";
import { createUpdateMapper, diffContent } from "./updates.js";

const ROOT = path.resolve("/work/project");

describe("ACP mapping", () => {
  it("turns a unified diff into the old and new sides of its hunks", () => {
    const unified = [
      "--- a/src/x.ts",
      "+++ b/src/x.ts",
      "@@ -1,3 +1,3 @@",
      " a",
      "-b",
      "+B",
      " c",
      "@@ -10,2 +10,3 @@",
      " j",
      "+k",
      " l",
    ].join("\n");
    expect(diffContent(ROOT, "src/x.ts", unified)).toEqual({
      type: "diff",
      path: path.join(ROOT, "src/x.ts"),
      oldText: "a\nb\nc\n…\nj\nl",
      newText: "a\nB\nc\n…\nj\nk\nl",
    });
    expect(diffContent(ROOT, "n.txt", "--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+hi")).toMatchObject({
      oldText: null,
      newText: "hi",
    });
    expect(diffContent(ROOT, "n.txt", "no hunks here")).toBeUndefined();
  });

  it("maps the answer the editor picked onto parecode's approval scopes; anything else is a no", () => {
    const pick = (optionId: string) => approvalDecision({ outcome: { outcome: "selected", optionId } });
    expect(pick("allow-once")).toEqual({ approved: true, scope: "once" });
    expect(pick("allow-session")).toEqual({ approved: true, scope: "session" });
    expect(pick("allow-project")).toEqual({ approved: true, scope: "project" });
    expect(pick("reject")).toEqual({ approved: false });
    expect(pick("something-else")).toEqual({ approved: false });
    expect(approvalDecision({ outcome: { outcome: "cancelled" } })).toEqual({ approved: false });
  });

  it("asks about a command with the command, the rule and what 'always' remembers", () => {
    const request: ApprovalRequest = {
      callId: "c7",
      tool: "bash",
      kind: "command",
      title: "bash: npm install left-pad",
      command: "npm install left-pad",
      rule: "mode ask: commands are asked",
      remember: "bash commands starting with `npm install`",
    };
    const asked = permissionRequest("s1", ROOT, request);
    expect(asked.toolCall).toMatchObject({ toolCallId: "c7", kind: "execute", status: "pending", locations: [] });
    expect(asked.toolCall.content).toEqual([
      {
        type: "content",
        content: { type: "text", text: "$ npm install left-pad\nAsked because: mode ask: commands are asked" },
      },
    ]);
    expect(asked.options[1].name).toBe("Allow bash commands starting with `npm install` this session");
  });

  it("reads a prompt: text is the task, project files are attached, embedded text is quoted", () => {
    const task = promptTask(ROOT, [
      { type: "text", text: "fix the bug" },
      { type: "resource_link", name: "app.ts", uri: `file://${path.join(ROOT, "src/app.ts")}` },
      { type: "resource_link", name: "elsewhere", uri: "file:///etc/hosts" },
      { type: "resource", resource: { uri: `file://${path.join(ROOT, "b.ts")}`, text: "let x = 1;" } },
      { type: "image", data: "AAAA", mimeType: "image/png" },
    ]);
    expect(task.attachments).toEqual(["src/app.ts"]);
    expect(task.task).toBe(
      "fix the bug\n\n[elsewhere](file:///etc/hosts)\n\nb.ts:\n```\nlet x = 1;\n```\n\n(an image block was attached; parecode reads text only)",
    );
  });

  it("streams tool calls from pending to their end, with the approved diff kept for the result", () => {
    const mapper = createUpdateMapper({ root: ROOT, contextWindow: () => 8000 });
    expect(
      mapper.map({
        type: "tool_start",
        turn: 1,
        callId: "e1",
        name: "edit_file",
        args: { path: "a.txt" },
        summary: "edit_file a.txt",
      }),
    ).toEqual([
      {
        sessionUpdate: "tool_call",
        toolCallId: "e1",
        title: "edit_file a.txt",
        kind: "edit",
        status: "pending",
        rawInput: { path: "a.txt" },
        locations: [{ path: path.join(ROOT, "a.txt") }],
      },
    ]);
    mapper.map({
      type: "approval_request",
      turn: 1,
      request: {
        callId: "e1",
        tool: "edit_file",
        kind: "edit",
        title: "edit_file a.txt",
        path: "a.txt",
        diff: "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-x\n+y",
        rule: "mode ask",
        remember: "file edits",
      },
    });
    expect(
      mapper.map({
        type: "permission",
        turn: 1,
        callId: "e1",
        tool: "edit_file",
        action: "allow",
        by: "user",
        rule: "r",
      }),
    ).toEqual([{ sessionUpdate: "tool_call_update", toolCallId: "e1", status: "in_progress" }]);
    const [end] = mapper.map({
      type: "tool_end",
      turn: 1,
      callId: "e1",
      name: "edit_file",
      display: "edited",
      isError: false,
      durationMs: 3,
      output: "Edited a.txt",
    });
    expect(end).toMatchObject({
      status: "completed",
      content: [
        { type: "diff", oldText: "x", newText: "y" },
        { type: "content", content: { type: "text", text: "Edited a.txt" } },
      ],
    });
    expect(
      mapper.map({
        type: "request",
        turn: 2,
        estimatedInputTokens: 900,
        systemTokens: 1,
        toolSchemaTokens: 1,
        messageCount: 2,
      }),
    ).toEqual([{ sessionUpdate: "usage_update", used: 900, size: 8000 }]);
    expect(mapper.map({ type: "notice", level: "info", message: "x" })).toEqual([]);
  });

  it("takes an editor's MCP servers with names safe for server__tool", () => {
    expect(
      editorMcpServers([
        { name: "my files", command: "/bin/fs", args: ["--stdio"], env: [{ name: "TOKEN", value: "t" }] },
        {
          type: "http",
          name: "my files",
          url: "https://x/mcp",
          headers: [{ name: "Authorization", value: "Bearer t" }],
        },
        { name: "a__b", command: "x", args: [], env: [] },
      ]),
    ).toEqual([
      expect.objectContaining({
        name: "my-files",
        command: ["/bin/fs", "--stdio"],
        env: { TOKEN: "t" },
        origin: "editor",
      }),
      expect.objectContaining({ name: "my-files-2", url: "https://x/mcp", headers: { Authorization: "Bearer t" } }),
      expect.objectContaining({ name: "a_b", command: ["x"] }),
    ]);
  });

  it("parses parecode acp's flags", () => {
    expect(parseCli(["acp"])).toEqual({ kind: "acp", trustProject: false, verbose: false });
    expect(parseCli(["acp", "--profile", "p", "--permission-mode", "accept-edits", "--no-sandbox", "-v"])).toEqual({
      kind: "acp",
      profile: "p",
      permissionMode: "accept-edits",
      sandbox: "off",
      trustProject: false,
      verbose: true,
    });
    expect(() => parseCli(["acp", "--permission-mode", "yolo"])).toThrow(/must be one of/);
    expect(() => parseCli(["acp", "task"])).toThrow(/parecode acp: /);
  });
});
