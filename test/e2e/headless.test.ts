/**
 * parecode in scripts and CI, end to end: the built CLI against the scripted model server.
 * Each run checks several things at once, to keep the suite fast.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import {
  CLI_PATH,
  collect,
  makeTempProject,
  parseJsonLines,
  runCli,
  spawnCli,
  type TempProject,
} from "../support/cli.js";
import { commitAll } from "../support/git.js";
import { type RecordedRequest, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { treeState } from "../support/tree-state.js";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

function config(srv: ScriptedServer, extra = "", profileExtra = ""): string {
  return `default_profile = "t"
provider_stall_timeout = 2
${extra}
[profiles.t]
provider = "openai"
endpoint = "${srv.openaiBaseUrl}"
model = "gpt-4o-mini"
api_key = "sk-test-secret-key"
context_tokens = 32000
${profileExtra}
`;
}

type Body = { role: string; content: string };
const messagesOf = (request: RecordedRequest) => request.body.messages as Body[];
const lastUser = (request: RecordedRequest) =>
  messagesOf(request)
    .filter((m) => m.role === "user")
    .at(-1)?.content ?? "";

describe("headless parecode", () => {
  it("text: piped stdin joins the task, a retried stream leaves a clean stdout, typos are named, -C picks the folder", async () => {
    project = await makeTempProject({ "marker.txt": "here\n" });
    server = await startScriptedServer({
      script: [
        { fault: "drop", afterChunks: 3 },
        { toolCalls: [{ name: "list_files", args: { path: "." } }] },
        { text: "The log says the cache is cold." },
      ],
    });
    await project.writeConfig(config(server, "max_iteration = 2", "context_token = 9000"));
    const run = await runCli(
      ["-C", project.dir, "-p", "--append-system-prompt", "Answer in one sentence.", "why is it slow?"],
      { cwd: project.home, env: project.env, input: "cache miss at 12:00\ncache miss at 12:01\n" },
    );

    expect(run.code).toBe(0);
    // The failed attempt's words never reach stdout: only the final answer, once.
    expect(run.stdout).toBe("The log says the cache is cold.\n");
    expect(run.stderr).toMatch(/↻ .*retrying in/);
    expect(run.stderr).toContain("unknown key max_iteration ignored; did you mean max_iterations?");
    expect(run.stderr).toContain("unknown key profiles.t.context_token ignored; did you mean context_tokens?");
    expect(run.stderr).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/); // no progress line in a pipe
    expect(run.stderr).not.toContain("\u001b[2K");
    const task = lastUser(server.requests[1]);
    expect(task).toMatch(
      /^why is it slow\?\n\nInput piped to parecode on stdin:\n```\ncache miss at 12:00\ncache miss at 12:01\n```$/,
    );
    expect(messagesOf(server.requests[1])[0].content).toMatch(/Answer in one sentence\.$/);
    expect(JSON.stringify(messagesOf(server.requests[2]))).toContain("marker.txt"); // ran in -C's folder
    expect(server.requests[1].body.max_tokens).toBe(16_384); // gpt-4o-mini's published limit
  });

  it("json: one result object with Claude Code's fields and reason max_turns at --max-turns", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ script: [{ toolCalls: [{ name: "list_files", args: {} }] }] });
    await project.writeConfig(config(server));
    const run = await runCli(["--output-format", "json", "--max-turns", "1", "look around"], {
      cwd: project.dir,
      env: project.env,
    });

    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(result).toMatchObject({
      type: "result",
      subtype: "error_max_turns",
      is_error: true,
      reason: "max_turns",
      num_turns: 1,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      permission_denials: [],
    });
    expect(result.result).toContain("--max-turns");
    expect(typeof result.session_id).toBe("string");
    expect(typeof result.duration_ms).toBe("number");
    expect(result).toHaveProperty("total_cost_usd");
    expect(server.requests).toHaveLength(1);
  });

  it("stream-json in and out: Claude Code's messages line by line, permissions answered by the program, two tasks", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [
        { text: "I will create it.", toolCalls: [{ name: "bash", args: { command: "echo hi > made.txt" } }] },
        { text: "Made made.txt." },
        { text: "It holds hi." },
      ],
    });
    await project.writeConfig(config(server));
    const child = spawnCli(
      ["--no-sandbox", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"],
      { cwd: project.dir, env: project.env },
    );
    const lines: Array<Record<string, unknown> & { type: string }> = [];
    const send = (message: unknown) => child.stdin?.write(`${JSON.stringify(message)}\n`);
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const results = { count: 0 };
    reader.on("line", (line) => {
      const message = JSON.parse(line);
      lines.push(message);
      if (message.type === "control_request") {
        send({
          type: "control_response",
          response: { subtype: "success", request_id: message.request_id, response: { behavior: "allow" } },
        });
      }
      if (message.type === "result" && ++results.count === 1) {
        send({ type: "user", message: { role: "user", content: [{ type: "text", text: "what is in it?" }] } });
        child.stdin?.end();
      }
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
    send({ type: "user", message: { role: "user", content: "create made.txt" } });
    const code = await closed;
    clearTimeout(guard);

    expect(code, stderr).toBe(0);
    expect(lines.map((l) => `${l.type}${typeof l.subtype === "string" ? `/${l.subtype}` : ""}`)).toEqual([
      "system/init",
      "assistant",
      "control_request",
      "user",
      "assistant",
      "result/success",
      "system/init",
      "assistant",
      "result/success",
    ]);
    const [init, toolUse, control, toolResult, answer, result] = lines;
    expect(init).toMatchObject({ cwd: project.dir, model: "gpt-4o-mini", permissionMode: "ask" });
    expect(init.tools).toEqual(expect.arrayContaining(["bash", "read_file", "edit_file"]));
    expect(toolUse.message).toMatchObject({
      role: "assistant",
      content: [
        { type: "text", text: "I will create it." },
        { type: "tool_use", name: "bash", input: { command: "echo hi > made.txt" } },
      ],
      stop_reason: "tool_use",
    });
    const toolId = (toolUse.message as { content: Array<{ id?: string }> }).content[1].id;
    expect(control).toMatchObject({
      request_id: toolId,
      request: {
        subtype: "can_use_tool",
        tool_name: "bash",
        input: { command: "echo hi > made.txt" },
        tool_use_id: toolId,
      },
    });
    expect(toolResult.message).toMatchObject({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: toolId, is_error: false }],
    });
    expect(answer.message).toMatchObject({
      content: [{ type: "text", text: "Made made.txt." }],
      stop_reason: "end_turn",
    });
    expect(result).toMatchObject({
      is_error: false,
      reason: "done",
      result: "Made made.txt.",
      num_turns: 2,
      permission_denials: [],
    });
    for (const line of lines) if (line.type !== "control_request") expect(line.session_id).toBe(init.session_id);
    expect(lines.at(-1)).toMatchObject({ type: "result", result: "It holds hi." });
    // The second task continues the session: the first reaches the model as carry-over.
    expect(lastUser(server.requests[2])).toContain("[Earlier in this session]");
    expect(lastUser(server.requests[2])).toContain("what is in it?");
  });

  it("--json: the retry says which deltas to drop, tool_end carries the output, and the budget stops the next call", async () => {
    project = await makeTempProject({ "notes.txt": "alpha beta\n" });
    server = await startScriptedServer({
      script: [
        { fault: "drop", afterChunks: 6 },
        { toolCalls: [{ name: "read_file", args: { path: "notes.txt" } }], usage: { input: 1000, output: 5 } },
        { text: "unreachable" },
      ],
    });
    // $0.10 per 1,000 input tokens: the first call costs $0.10; the second would pass $0.15.
    await project.writeConfig(config(server, "", "cost_per_mtok_input = 100\ncost_per_mtok_output = 0"));
    const run = await runCli(["--json", "--max-budget-usd", "0.15", "read the notes"], {
      cwd: project.dir,
      env: project.env,
    });

    expect(run.code, run.stdout).toBe(1);
    const events = parseJsonLines(run.stdout);
    const retry = events.find((e) => e.type === "retry");
    const voided = events
      .slice(0, events.indexOf(retry as (typeof events)[number]))
      .filter((e) => e.type === "text_delta");
    expect(voided.length, run.stdout).toBeGreaterThan(0);
    expect(retry).toMatchObject({ turn: 1, discard: { turn: 1, deltas: voided.length } });
    expect(events.find((e) => e.type === "tool_end")).toMatchObject({
      name: "read_file",
      output: expect.stringContaining("alpha beta"),
    });
    expect(events.at(-1)).toMatchObject({ type: "result", status: "failed", reason: "budget", turns: 1, costUsd: 0.1 });
    expect(server.requests).toHaveLength(2); // the dropped attempt and its retry; no second call
  });

  it("--timeout ends the task with reason timeout and exit 124; on a terminal a status line shows meanwhile", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ script: [{ text: "too late", delayMs: 10_000 }] });
    await project.writeConfig(config(server).replace("provider_stall_timeout = 2", "provider_stall_timeout = 30"));
    const started = Date.now();
    // util-linux `script` runs the CLI on a pseudo-terminal and exits with its code.
    const command = [process.execPath, CLI_PATH, "--timeout", "1", "'say hi'"].join(" ");
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: project.dir,
      env: project.env,
      stdio: "pipe",
    });
    const run = await collect(child, { timeoutMs: 15_000 });

    expect(run.code).toBe(124);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(run.stdout).toContain("\r\u001b[2K⠋ thinking 0s");
    expect(run.stdout).not.toContain("\u001b[2m"); // NO_COLOR: no dimming
    expect(run.stdout).toContain("time limit");
    // The status line is erased before the closing summary, which stays.
    expect(run.stdout).toContain("\r\u001b[2Kparecode: task failed: Stopped: the task's time limit ran out");
    expect(run.stdout).toMatch(/failed \(timeout\) · 1 call/);
  });

  it("--output-schema: a wrong answer is sent back once, and the result carries the parsed JSON", async () => {
    project = await makeTempProject({
      "schema.json": JSON.stringify({
        type: "object",
        required: ["count"],
        properties: { count: { type: "integer" } },
      }),
    });
    server = await startScriptedServer({ script: [{ text: "There are three." }, { text: '{"count": 3}' }] });
    await project.writeConfig(config(server));
    const run = await runCli(["--output-format", "json", "--output-schema", "schema.json", "count the files"], {
      cwd: project.dir,
      env: project.env,
    });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      reason: "done",
      result: '{"count": 3}',
      structured_output: { count: 3 },
    });
    expect(lastUser(server.requests[0])).toContain('matches this JSON Schema:\n{"type":"object","required":["count"]');
    expect(lastUser(server.requests[1])).toContain("does not match the required output format: it is not valid JSON");
  });

  it("a config or usage error with a JSON format is a JSON error object on stdout", async () => {
    project = await makeTempProject();
    await project.writeConfig(
      '[profiles.x]\nendpoint = "http://127.0.0.1:1/v1"\nmodel = "m"\ncontext_tokens = "lots"\n',
    );
    const config = await runCli(["--output-format", "stream-json", "do it"], { cwd: project.dir, env: project.env });
    expect(config.code).toBe(2);
    expect(JSON.parse(config.stdout)).toMatchObject({ type: "error", reason: "config", is_error: true, exit_code: 2 });
    expect(JSON.parse(config.stdout).message).toContain("context_tokens");
    const usage = await runCli(["--json", "--max-turns", "lots", "do it"], { cwd: project.dir, env: project.env });
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      type: "error",
      reason: "usage",
      message: expect.stringContaining("--max-turns"),
    });
  });
});

describe("CLI consistency", () => {
  it("help is help, models lists the profile's server, an unknown --profile is an error", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ ollamaModels: [{ name: "gpt-4o-mini" }, { name: "other-model" }] });
    await project.writeConfig(config(server));
    const help = await runCli(["help"], { cwd: project.dir, env: project.env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--max-budget-usd");
    const models = await runCli(["models", "--profile", "t"], { cwd: project.dir, env: project.env });
    expect(models.code).toBe(0);
    expect(models.stdout).toBe("gpt-4o-mini\nother-model\n");
    const unknown = await runCli(["models", "--profile", "nope"], { cwd: project.dir, env: project.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no profile "nope"');
    expect(server.requests).toHaveLength(0); // nothing was sent to a model
  });
});

describe("parecode --mechanical", () => {
  it("replaces across a fixture project with no model call, matching the expected tree, and parecode undo reverts it", async () => {
    project = await makeTempProject({
      "src/app.ts": 'import { fetchUser } from "./api";\nconst user = fetchUser(1);\n',
      "src/api.ts": "export function fetchUser(id: number) {\n  return { id };\n}\n",
      "src/fetchUserCache.ts": "export const cache = new Map();\n",
      "README.md": "Call fetchUser to get a user.\n",
    });
    commitAll(project.dir);
    server = await startScriptedServer({});
    await project.writeConfig(config(server));
    const before = await treeState(project.dir);
    const run = await runCli(["--mechanical", "--yes", "replace fetchUser with loadUser in src/"], {
      cwd: project.dir,
      env: project.env,
    });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("--- a/src/api.ts\n+++ b/src/api.ts\n");
    expect(run.stdout).toContain("-export function fetchUser(id: number) {\n+export function loadUser(id: number) {\n");
    expect(run.stderr).toContain("3 changes in 2 files: src/api.ts, src/app.ts");
    const mode = before["src/app.ts"].slice(0, 4);
    expect(await treeState(project.dir)).toEqual({
      ...before,
      "src/app.ts": `${mode}import { loadUser } from "./api";\nconst user = loadUser(1);\n`,
      "src/api.ts": `${mode}export function loadUser(id: number) {\n  return { id };\n}\n`,
    });
    expect(server.allRequests).toHaveLength(0);

    const undo = await runCli(["undo", "--yes"], { cwd: project.dir, env: project.env });
    expect(undo.code).toBe(0);
    expect(await treeState(project.dir)).toEqual(before);
  });
});
