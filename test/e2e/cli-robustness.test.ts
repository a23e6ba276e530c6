import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterEach, describe, expect, it } from "vitest";
import { buildSystemPrompt } from "../../src/agent/system-prompt.js";
import { collect, makeTempProject, parseJsonLines, runCli, spawnCli, type TempProject } from "../support/cli.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

function config(srv: ScriptedServer, extra = ""): string {
  return `default_profile = "test"
provider_stall_timeout = 1
${extra}
[profiles.test]
provider = "openai"
endpoint = "${srv.openaiBaseUrl}"
model = "test-model"
api_key = "sk-test-secret-key"
context_tokens = 8000
`;
}

const STACK_TRACE = /\n\s+at |Unhandled 'error'|internal error/;

describe("CLI output streams", () => {
  it("keeps going without a stack trace when stdout is closed early (| head -1)", async () => {
    project = await makeTempProject({ "notes.txt": "alpha\n" });
    server = await startScriptedServer({
      script: [
        { text: "Let me look. ".repeat(20), toolCalls: [{ name: "read_file", args: { path: "notes.txt" } }] },
        { toolCalls: [{ name: "edit_file", args: { path: "notes.txt", old_str: "alpha", new_str: "beta" } }] },
        { text: "Done. ".repeat(50) },
      ],
    });
    await project.writeConfig(config(server));
    const child = spawnCli(["--json", "--yes", "edit notes.txt"], { cwd: project.dir, env: project.env });
    // Read the first line, then close our end of the pipe as `head -1` does.
    child.stdout?.once("data", () => child.stdout?.destroy());
    const run = await collect(child);

    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("beta\n");
  });

  it("exits 130 at once on a second Ctrl+C", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [{ toolCalls: [{ name: "bash", args: { command: "trap '' INT TERM; sleep 30" } }] }],
      fallbackText: "unreachable",
    });
    await project.writeConfig(config(server));
    const child = spawnCli(["--json", "--yes", "wait"], { cwd: project.dir, env: project.env });
    const done = collect(child, { timeoutMs: 15_000 });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const deadline = Date.now() + 10_000;
    while (!out.includes('"tool_start"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const run = await done;

    expect(run.code).toBe(130);
    // Cut short rather than wound down: the command ignores SIGTERM, so a run that waited
    // for it would have ended with a result event.
    expect(run.stdout).not.toContain('"type":"result"');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe("parecode init failures", () => {
  it("says why it cannot write conventions, without an internal-error report", async () => {
    project = await makeTempProject({ "package.json": "{}" });
    // A file where the .parecode folder should be: mkdir fails as it would without write permission.
    await writeFile(path.join(project.dir, ".parecode"), "not a folder\n");
    const run = await runCli(["init"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(".parecode/conventions.md");
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).not.toContain("please report it");
  });
});

describe("parecode --json result", () => {
  it("sums the per-call usage into the result", async () => {
    project = await makeTempProject({ "a.txt": "a\n" });
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "read_file", args: { path: "a.txt" } }], usage: { input: 120, output: 9 } },
        { text: "ok", usage: { input: 150, output: 3 } },
      ],
    });
    await project.writeConfig(config(server));
    const run = await runCli(["--json", "read a"], { cwd: project.dir, env: project.env });
    const events = parseJsonLines(run.stdout);
    const result = events.at(-1);
    expect(result).toMatchObject({ type: "result", status: "done", usage: { inputTokens: 270, outputTokens: 12 } });
  });
});

describe("the preamble cap with non-English conventions", () => {
  it("keeps Chinese conventions within 15% of an 8k window on the very first request", async () => {
    const line = "本项目使用严格的类型检查，所有函数都必须有明确的返回类型。测试文件放在同一目录下。\n";
    project = await makeTempProject({ "AGENTS.md": line.repeat(120) });
    server = await startScriptedServer({ script: [{ text: "好的。" }] });
    await project.writeConfig(config(server));
    const run = await runCli(["say hi"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    const messages = server.requests[0].body.messages as Array<{ role: string; content: string }>;
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    expect(system).toContain("本项目使用严格的类型检查");
    const bare = buildSystemPrompt({ platform: process.platform, preamble: "" });
    // The preamble's cap is 15% of the window (1,200 tokens), counted in real o200k tokens.
    expect(countTokens(system) - countTokens(bare)).toBeLessThanOrEqual(1_200);
  });
});
