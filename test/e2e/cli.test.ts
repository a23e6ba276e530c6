import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collect, makeTempProject, parseJsonLines, runCli, spawnCli, type TempProject } from "../support/cli.js";
import { commitAll } from "../support/git.js";
import { type RecordedRequest, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

type Wire = "openai" | "anthropic" | "ollama";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

function configFor(wire: Wire, srv: ScriptedServer, extra = ""): string {
  const endpoint = { openai: srv.openaiBaseUrl, anthropic: `${srv.url}/v1`, ollama: srv.url }[wire];
  return `default_profile = "test"
provider_stall_timeout = 1
${extra}
[profiles.test]
provider = "${wire}"
endpoint = "${endpoint}"
model = "${{ openai: "test-model", anthropic: "claude-test", ollama: "qwen3:14b" }[wire]}"
api_key = "sk-test-secret-key"
context_tokens = 32000
`;
}

/** Text of every tool result the agent sent back, in either wire format. */
function toolResultsIn(request: RecordedRequest): string[] {
  const messages = (request.body.messages ?? []) as Array<Record<string, unknown>>;
  const out: string[] = [];
  for (const message of messages) {
    if (message.role === "tool") out.push(String(message.content));
    if (Array.isArray(message.content)) {
      for (const block of message.content as Array<Record<string, unknown>>) {
        if (block.type === "tool_result") {
          out.push(typeof block.content === "string" ? block.content : JSON.stringify(block.content));
        }
      }
    }
  }
  return out;
}

describe.each<Wire>(["openai", "anthropic", "ollama"])("one-shot CLI over the %s wire format", (wire) => {
  it("completes a task that needs two tool calls and reports the result as JSON", async () => {
    project = await makeTempProject({ "notes.txt": "alpha\nbeta\n" });
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "read_file", args: { path: "notes.txt" } }] },
        { toolCalls: [{ name: "edit_file", args: { path: "notes.txt", old_str: "beta", new_str: "gamma" } }] },
        { text: "Replaced beta with gamma in notes.txt." },
      ],
    });
    await project.writeConfig(configFor(wire, server));
    const run = await runCli(["--json", "--yes", "replace beta with gamma in notes.txt"], {
      cwd: project.dir,
      env: project.env,
    });

    expect(run.code).toBe(0);
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("alpha\ngamma\n");
    const events = parseJsonLines(run.stdout);
    const result = events.at(-1);
    expect(result?.type).toBe("result");
    expect(result).toMatchObject({ status: "done", toolCalls: 2, filesChanged: ["notes.txt"] });
    expect((result?.usage as { inputTokens: number } | undefined)?.inputTokens).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(3);
    expect(toolResultsIn(server.requests[1]).join("\n")).toContain("beta");
    // The key is sent to the server but never printed.
    expect(run.stdout + run.stderr).not.toContain("sk-test-secret-key");
  });

  // How the CLI reports a retry, a stall or a signal does not depend on the wire format:
  // one run covers each (retries and stalls per wire format: src/providers/adapters.test.ts).
  it.runIf(wire === "openai")("retries a 429 and then succeeds", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [{ fault: "status", status: 429, retryAfterSeconds: 0 }, { text: "All good." }],
    });
    await project.writeConfig(configFor(wire, server));
    const run = await runCli(["--json", "say hi"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    const events = parseJsonLines(run.stdout);
    expect(events.some((e) => e.type === "retry")).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "result", status: "done", message: "All good." });
  });

  it.runIf(wire === "openai")("aborts a stalled stream and retries it", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ script: [{ fault: "stall", afterChunks: 1 }, { text: "Recovered." }] });
    await project.writeConfig(configFor(wire, server));
    const run = await runCli(["say hi"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Recovered.");
    expect(run.stderr).toMatch(/retrying/);
    expect(server.requests).toHaveLength(2);
  });

  it("executes a tool call the model wrote as text", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [
        {
          text: 'I will create it.\n<tool_call>{"name": "write_file", "arguments": {"path": "hello.txt", "content": "hi\\n"}}</tool_call>',
        },
        { text: "Created hello.txt." },
      ],
    });
    await project.writeConfig(configFor(wire, server));
    const run = await runCli(["--yes", "create hello.txt"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expect(await readFile(path.join(project.dir, "hello.txt"), "utf8")).toBe("hi\n");
    expect(run.stdout).not.toContain("<tool_call>");
  });

  it("turns malformed tool arguments into an error the next turn fixes", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      policy: (request, index) => {
        if (index === 0) return { toolCalls: [{ name: "write_file", args: '{"path": "fixed.txt", "content": ' }] };
        if (index === 1) {
          const results = toolResultsIn(request).join("\n");
          if (!/JSON/i.test(results)) return { text: "The agent did not report the malformed JSON." };
          return { toolCalls: [{ name: "write_file", args: { path: "fixed.txt", content: "ok\n" } }] };
        }
        return { text: "Wrote fixed.txt." };
      },
    });
    await project.writeConfig(configFor(wire, server));
    const run = await runCli(["--json", "--yes", "write fixed.txt"], { cwd: project.dir, env: project.env });

    expect(run.code).toBe(0);
    expect(await readFile(path.join(project.dir, "fixed.txt"), "utf8")).toBe("ok\n");
    const toolEnds = parseJsonLines(run.stdout).filter((e) => e.type === "tool_end");
    expect(toolEnds.map((e) => e.isError)).toEqual([true, false]);
    expect(parseJsonLines(run.stdout).at(-1)).toMatchObject({ status: "done", message: "Wrote fixed.txt." });
  });

  it.runIf(wire === "openai")("exits 130 on SIGINT and leaves no child process behind", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [{ toolCalls: [{ name: "bash", args: { command: "sleep 60 & echo $! > sleeper.pid; wait" } }] }],
      fallbackText: "unreachable",
    });
    await project.writeConfig(configFor(wire, server));
    // Unsandboxed: the pid written by `$!` must be the host's (the sandbox's own pid
    // namespace ends its processes by itself, tested in bash-sandbox.test.ts).
    const child = spawnCli(["--yes", "--no-sandbox", "run the sleeper"], { cwd: project.dir, env: project.env });
    const done = collect(child, { timeoutMs: 20_000 });
    const pidFile = path.join(project.dir, "sleeper.pid");
    const deadline = Date.now() + 15_000;
    while (!existsSync(pidFile) || (await readFile(pidFile, "utf8")).trim() === "") {
      if (Date.now() > deadline) throw new Error("the bash tool never started the sleeper");
      await new Promise((r) => setTimeout(r, 50));
    }
    const sleeperPid = Number((await readFile(pidFile, "utf8")).trim());
    child.kill("SIGINT");
    const run = await done;

    expect(run.code).toBe(130);
    expect(await goneWithin(sleeperPid, 2_000)).toBe(true);
  });
});

/** A killed process may linger briefly as a zombie until its new parent reaps it; that counts as gone. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!isRunning(pid)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("CLI without a model", () => {
  it("prints its version", async () => {
    project = await makeTempProject();
    const run = await runCli(["--version"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^parecode \d+\.\d+\.\d+/);
  });

  it("explains every way to configure a provider when none is available", async () => {
    project = await makeTempProject();
    const run = await runCli(["do something"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(2);
    for (const hint of [
      "ANTHROPIC_API_KEY",
      "OPENAI_API_KEY",
      "OPENROUTER_API_KEY",
      "GEMINI_API_KEY",
      "config.toml",
      "ollama",
    ]) {
      expect(run.stderr).toContain(hint);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("names the file, line and key of an invalid config", async () => {
    project = await makeTempProject();
    const file = await project.writeConfig(
      '[profiles.local]\nendpoint = "http://127.0.0.1:1/v1"\nmodel = "m"\ncontext_tokens = "lots"\n',
    );
    const run = await runCli(["do something"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(2);
    // Paths under the home folder are shown with ~, as a user would type them.
    expect(run.stderr).toContain(`${file.replace(project.home, "~")}:4`);
    expect(run.stderr).toContain("context_tokens");
  });

  it("writes conventions with parecode init and leaves them unchanged on a re-run", async () => {
    project = await makeTempProject({
      "package.json": JSON.stringify({ name: "demo", scripts: { test: "vitest run" } }),
      "AGENTS.md": "Never edit generated files.\n",
    });
    const first = await runCli(["init"], { cwd: project.dir, env: project.env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Wrote .*\.parecode\/conventions\.md/);
    const text = await readFile(path.join(project.dir, ".parecode/conventions.md"), "utf8");
    expect(text).toContain("npm test");
    expect(text).toContain("Never edit generated files.");
    const again = await runCli(["init"], { cwd: project.dir, env: project.env });
    expect(again.stdout).toMatch(/^Unchanged: /);
  });

  it("runs one tool with parecode tool and exits 1 when the tool reports an error", async () => {
    project = await makeTempProject({ "a.txt": "alpha\n" });
    const ok = await runCli(["tool", "read_file", "--json", '{"path":"a.txt"}'], {
      cwd: project.dir,
      env: project.env,
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^1#\w{4}:alpha$/m);
    const bad = await runCli(["tool", "read_file", "--json", '{"path":"../outside.txt"}'], {
      cwd: project.dir,
      env: project.env,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("outside the project");
  });

  it("rejects an unknown flag with exit 2", async () => {
    project = await makeTempProject();
    const run = await runCli(["--bogus"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--help");
  });
});

describe("CLI provider discovery", () => {
  it("uses a running Ollama when nothing is configured, and says which models it found", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [{ text: "Hello from a local model." }],
      ollamaModels: [{ name: "llama3.1:8b" }, { name: "qwen3:14b", contextLength: 40960 }],
    });
    const env = { ...project.env, OLLAMA_HOST: server.url };
    const run = await runCli(["say hi"], { cwd: project.dir, env });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Hello from a local model.");
    expect(run.stderr).toContain("qwen3:14b");
    expect(run.stderr).toContain("llama3.1:8b");
    expect(server.requests[0].body.model).toBe("qwen3:14b");
  });

  it("lists profiles from config and environment without showing keys", async () => {
    project = await makeTempProject();
    await project.writeConfig(
      'default_profile = "work"\n[profiles.work]\nendpoint = "https://api.anthropic.com/v1"\nmodel = "claude-sonnet-4-5"\napi_key = "sk-ant-very-secret"\n',
    );
    const env = { ...project.env, OPENAI_API_KEY: "sk-openai-secret" };
    const run = await runCli(["profiles"], { cwd: project.dir, env });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/work\b.*anthropic.*claude-sonnet-4-5/);
    expect(run.stdout).toMatch(/openai\b.*openai/);
    expect(run.stdout).not.toContain("secret");
    // The folder's own .parecode/config.toml lays its model over the user's.
    await mkdir(path.join(project.dir, ".parecode"), { recursive: true });
    await writeFile(
      path.join(project.dir, ".parecode", "config.toml"),
      '[profiles.work]\nmodel = "claude-haiku-4-5"\n',
    );
    const layered = await runCli(["profiles"], { cwd: project.dir, env });
    expect(layered.stdout).toMatch(/work\b.*anthropic.*claude-haiku-4-5/);
  });
});

describe("CLI input and output modes", () => {
  it("reads the task from stdin and prints token counts with -v", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ script: [{ text: "Hello from stdin.", usage: { input: 321, output: 7 } }] });
    await project.writeConfig(configFor("openai", server));
    const run = await runCli(["-v"], { cwd: project.dir, env: project.env, input: "greet me\n" });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Hello from stdin.");
    expect(run.stderr).toContain("321 in / 7 out tokens");
    const sent = server.requests[0].body.messages as Array<{ role: string; content: unknown }>;
    expect(JSON.stringify(sent.at(-1))).toContain("greet me");
  });

  it("exits 130 promptly when interrupted while the model is still answering", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ script: [{ fault: "stall", afterChunks: 1 }] });
    await project.writeConfig(
      configFor("openai", server, "provider_max_retries = 0").replace(
        "provider_stall_timeout = 1",
        "provider_stall_timeout = 60",
      ),
    );
    const child = spawnCli(["--json", "say hi"], { cwd: project.dir, env: project.env });
    const done = collect(child, { timeoutMs: 10_000 });
    const deadline = Date.now() + 5_000;
    while (server.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const interruptedAt = Date.now();
    child.kill("SIGINT");
    const run = await done;

    expect(run.code).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(5_000);
    expect(parseJsonLines(run.stdout).at(-1)).toMatchObject({ type: "result", status: "interrupted" });
  });

  it("lists files changed by bash in a git repository, not only those the edit tools touched", async () => {
    project = await makeTempProject({ "a.txt": "one\n", "b.txt": "two\n" });
    commitAll(project.dir);
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "bash", args: { command: "sed -i 's/two/TWO/' b.txt && echo new > c.txt" } }] },
        { text: "Done." },
      ],
    });
    await project.writeConfig(configFor("openai", server));
    const run = await runCli(["--json", "--yes", "shout b"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(0);
    expect(parseJsonLines(run.stdout).at(-1)).toMatchObject({ status: "done", filesChanged: ["b.txt", "c.txt"] });
  });

  it("caps bash timeouts at bash_max_timeout from the config", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({
      script: [{ toolCalls: [{ name: "bash", args: { command: "sleep 5", timeout: 30 } }] }, { text: "It timed out." }],
    });
    await project.writeConfig(configFor("openai", server, "bash_max_timeout = 1"));
    const run = await runCli(["--yes", "sleep"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(0);
    const results = server.requests[1].body.messages as Array<{ role: string; content: string }>;
    expect(results.find((m) => m.role === "tool")?.content).toMatch(/timed out after 1s.*\(timeout capped at 1s\)/);
  });

  it("exits 1 when the task fails, with the provider's reason", async () => {
    project = await makeTempProject();
    server = await startScriptedServer({ script: [{ fault: "status", status: 401 }] });
    await project.writeConfig(configFor("openai", server));
    const run = await runCli(["say hi"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/api_key|API key/i);
    expect(run.stdout + run.stderr).not.toContain("sk-test-secret-key");
  });
});
