import { existsSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/core/types.js";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  await server?.close();
  await project?.cleanup();
  runtime = server = project = undefined;
});

/** Prints a compiler-style error while src/a.ts holds the marker, like `tsc --noEmit` would. */
const CHECK_SCRIPT = `if grep -q BROKEN src/a.ts; then
  echo "src/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'."
  exit 2
fi
`;

const BREAK_IT: ScriptedTurn = {
  toolCalls: [
    {
      id: "call_edit",
      name: "edit_file",
      args: { path: "src/a.ts", old_str: "const a: number = 1;", new_str: 'const a: number = "BROKEN";' },
    },
  ],
  usage: { input: 1000, output: 50, cacheRead: 800 },
};

interface Setup {
  files?: Record<string, string>;
  /** TOML after the profile block (hooks tables, settings). */
  config?: string;
  script: ScriptedTurn[];
  trustProject?: boolean;
}

async function setup(options: Setup) {
  project = await makeTempProject({ "src/a.ts": "const a: number = 1;\n", ...options.files });
  server = await startScriptedServer({ script: options.script });
  const configFile = await project.writeConfig(
    `${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}${options.config ?? ""}`,
  );
  const events: AgentEvent[] = [];
  runtime = await createRuntime({
    cwd: project.dir,
    env: project.env,
    permissionMode: "trust",
    trustProject: options.trustProject,
    onEvent: (event) => events.push(event),
  });
  return { runtime, events, configFile, dir: project.dir, server };
}

type ToolMessage = { role: string; tool_call_id?: string; content?: string };

/** The tool messages the model received in request `index` (OpenAI wire). */
function toolMessages(index: number): ToolMessage[] {
  const messages = (server?.requests[index]?.body.messages ?? []) as ToolMessage[];
  return messages.filter((m) => m.role === "tool");
}

const hookEvents = (events: AgentEvent[]) =>
  events.filter((e): e is Extract<AgentEvent, { type: "hook" }> => e.type === "hook");

describe("on_edit", () => {
  it("puts the compiler error in the same tool result the model receives, and the task's proof fails", async () => {
    const { runtime, events } = await setup({
      files: { "check.sh": CHECK_SCRIPT },
      config: '\n[profiles.t.hooks]\non_edit = ["sh check.sh"]\n',
      script: [BREAK_IT, { text: "Changed it." }],
    });
    const result = await runtime.run("set a to BROKEN", new AbortController().signal);

    const results = toolMessages(1);
    expect(results).toHaveLength(1);
    expect(results[0].tool_call_id).toBe("call_edit");
    const content = results[0].content ?? "";
    expect(content).toMatch(/^Edited src\/a\.ts/);
    expect(content).toContain(
      "⚙ `sh check.sh` (exit 2):\nsrc/a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    );

    expect(hookEvents(events)).toEqual([
      expect.objectContaining({ hook: "on_edit", command: "sh check.sh", ok: false, exitCode: 2, turn: 1 }),
    ]);
    expect(result.status).toBe("done");
    expect(result.verification).toEqual([{ file: "src/a.ts", status: "failed", check: "on_edit: sh check.sh" }]);
    expect(result.proof).toBe("failed");
  });

  it("a passing check costs the model one short line, and verifies the file", async () => {
    const { runtime } = await setup({
      files: { "check.sh": "exit 0\n" },
      config: '\n[profiles.t.hooks]\non_edit = ["sh check.sh"]\n',
      script: [BREAK_IT, { text: "Changed it." }],
    });
    const result = await runtime.run("edit", new AbortController().signal);
    const content = toolMessages(1)[0].content ?? "";
    expect(content.endsWith("\n\n⚙ `sh check.sh` passed")).toBe(true);
    expect(result.verification).toEqual([{ file: "src/a.ts", status: "verified", check: "on_edit: sh check.sh" }]);
  });

  it("kills a hanging hook at the table's timeout and tells the model so", async () => {
    const { runtime, events } = await setup({
      config: '\n[profiles.t.hooks]\non_edit = ["sleep 60"]\ntimeout = 0.5\n',
      script: [BREAK_IT, { text: "Changed it." }],
    });
    const started = Date.now();
    await runtime.run("edit", new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hookEvents(events)).toEqual([expect.objectContaining({ ok: false, timedOut: true, exitCode: null })]);
    expect(toolMessages(1)[0].content).toContain("⚙ `sleep 60` (timed out, killed):\n[killed after 0.5s]");
  });

  it("/hooks off stops them for the session; session hooks run on request as events with turn 0", async () => {
    const { runtime, events } = await setup({
      files: { "check.sh": CHECK_SCRIPT },
      config: '\n[profiles.t.hooks]\non_edit = ["sh check.sh"]\non_session_start = ["echo session-begins"]\n',
      script: [BREAK_IT, { text: "Changed it." }],
    });
    const runs = await runtime.hooks.run("on_session_start");
    expect(runs).toEqual([expect.objectContaining({ ok: true, output: "session-begins" })]);
    expect(hookEvents(events)).toEqual([
      expect.objectContaining({ turn: 0, hook: "on_session_start", command: "echo session-begins", ok: true }),
    ]);
    expect(runtime.hooks.list().events.find((e) => e.event === "on_edit")?.commands).toEqual(["sh check.sh"]);

    runtime.hooks.setEnabled(false);
    const result = await runtime.run("edit", new AbortController().signal);
    expect(hookEvents(events)).toHaveLength(1);
    expect(toolMessages(1)[0].content).not.toContain("⚙");
    expect(result.proof).toBe("unverified");
  });

  it("runs nothing with hooks_disabled = true, and says so", async () => {
    const { runtime, events } = await setup({
      files: { "check.sh": CHECK_SCRIPT },
      config: 'hooks_disabled = true\n\n[profiles.t.hooks]\non_edit = ["sh check.sh"]\n',
      script: [BREAK_IT, { text: "Changed it." }],
    });
    runtime.hooks.setEnabled(true);
    await runtime.run("edit", new AbortController().signal);
    expect(hookEvents(events)).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "notice", message: expect.stringContaining("hooks_disabled = true") }),
    );
  });
});

describe("hooks from the project's .parecode/config.toml", () => {
  const files = { ".parecode/config.toml": '[hooks]\non_edit = ["echo project-hook-ran"]\n' };
  const config = "\n[profiles.t.hooks]\n";

  it("are ignored in an untrusted folder, with one notice naming --trust-project", async () => {
    const { runtime, events } = await setup({ files, config, script: [BREAK_IT, { text: "ok" }] });
    await runtime.run("edit", new AbortController().signal);
    expect(hookEvents(events)).toEqual([]);
    expect(toolMessages(1)[0].content).not.toContain("project-hook-ran");
    const notices = events.filter((e) => e.type === "notice" && e.message.includes("--trust-project"));
    expect(notices).toHaveLength(1);
  });

  it("run in a trusted folder", async () => {
    const { runtime } = await setup({ files, config, trustProject: true, script: [BREAK_IT, { text: "ok" }] });
    await runtime.run("edit", new AbortController().signal);
    expect(toolMessages(1)[0].content).toContain("⚙ `echo project-hook-ran` passed");
  });
});

describe("auto-detection", () => {
  const files = {
    "package.json": JSON.stringify({ scripts: { typecheck: "node typecheck.js" } }),
    "typecheck.js": "process.exit(0);\n",
  };

  it("writes the detected hooks into the profile once, keeping the config's comments, mode 0600", async () => {
    const first = await setup({ files, script: [BREAK_IT, { text: "ok" }] });
    const written = await readFile(first.configFile, "utf8");
    const original = profileToml("t", { provider: "openai", endpoint: first.server.openaiBaseUrl });
    expect(written.startsWith(original)).toBe(true);
    expect(written.slice(original.length)).toContain(
      '[profiles.t.hooks]\non_edit = ["npm run typecheck"]\n# on_task_done = []\n',
    );
    expect(statSync(first.configFile).mode & 0o777).toBe(0o600);
    expect(first.events).toContainEqual(
      expect.objectContaining({
        type: "notice",
        level: "info",
        message: expect.stringContaining("Hooks detected from package.json"),
      }),
    );

    // The detected hook runs after an edit.
    await first.runtime.run("edit", new AbortController().signal);
    expect(toolMessages(1)[0].content).toContain("⚙ `npm run typecheck` passed");

    // A comment the user adds survives, and a new session detects nothing again.
    await writeFile(first.configFile, `# mine\n${written}`);
    await first.runtime.close();
    const events: AgentEvent[] = [];
    runtime = await createRuntime({ cwd: first.dir, env: project?.env ?? {}, onEvent: (e) => events.push(e) });
    expect(await readFile(first.configFile, "utf8")).toBe(`# mine\n${written}`);
    expect(events.some((e) => e.type === "notice" && e.message.includes("detected"))).toBe(false);
  });

  it("records an empty project too, so it is probed once", async () => {
    const { configFile, dir } = await setup({ script: [] });
    const written = await readFile(configFile, "utf8");
    expect(written).toContain("[profiles.t.hooks]\n# on_edit = []");
    await runtime?.close();
    runtime = await createRuntime({ cwd: dir, env: project?.env ?? {}, onEvent: () => undefined });
    expect(await readFile(configFile, "utf8")).toBe(written);
  });
});

describe("telemetry and cost", () => {
  it("appends one record per task with counts and names only, and keeps a running session cost", async () => {
    const { runtime, dir } = await setup({
      files: { "check.sh": "exit 0\n" },
      // A local server is free; the configured price keeps gpt-4.1-mini's cached-input ratio.
      config:
        'cost_per_mtok_input = 0.4\ncost_per_mtok_output = 1.6\n\n[profiles.t.hooks]\non_edit = ["sh check.sh"]\n',
      script: [BREAK_IT, { text: "Changed it.", usage: { input: 1200, output: 30 } }],
    });
    const task = "please set a to the secret word BROKEN";
    const result = await runtime.run(task, new AbortController().signal);

    const text = await readFile(path.join(dir, ".parecode", "telemetry.jsonl"), "utf8");
    expect(text).not.toContain("secret word");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]);
    expect(record).toMatchObject({
      v: 1,
      status: "done",
      profile: "t",
      model: "gpt-4.1-mini",
      provider: "openai",
      turns: 2,
      toolCalls: 1,
      inputTokens: 2200,
      outputTokens: 80,
      cacheReadTokens: 800,
      cacheWriteTokens: 0,
      filesChanged: 1,
      verifiedFiles: 1,
      failedFiles: 0,
      proof: "verified",
      hookRuns: 1,
      hookFailures: 0,
      compressionRatio: 0,
    });
    // gpt-4.1-mini: 1,400 uncached × $0.40 + 800 cached × $0.10 + 80 × $1.60 per million.
    expect(record.costUsd).toBeCloseTo((1400 * 0.4 + 800 * 0.1 + 80 * 1.6) / 1e6, 9);
    expect(record.costUsd).toBe(result.costUsd);
    expect(record.peakContextPct).toBeGreaterThan(0);
    expect(record.peakContextPct).toBeLessThan(100);
    expect(Date.now() - Date.parse(record.ts)).toBeLessThan(60_000);
    expect(await readFile(path.join(dir, ".parecode", ".gitignore"), "utf8")).toBe("telemetry.jsonl\n");

    expect(runtime.costs()).toMatchObject({
      tasks: 1,
      usage: { inputTokens: 2200, outputTokens: 80, cacheReadTokens: 800 },
      costUsd: result.costUsd,
      unpricedTasks: 0,
      byModel: [expect.objectContaining({ model: "gpt-4.1-mini", tasks: 1 })],
    });
    runtime.resetCosts();
    expect(runtime.costs()).toMatchObject({ tasks: 0, costUsd: 0, byModel: [] });
    expect(existsSync(path.join(dir, ".parecode", "telemetry.jsonl"))).toBe(true);
  });
});
