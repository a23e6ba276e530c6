/**
 * Plan mode against one conversation, on the same multi-step task: four changes across
 * five files. Both run through the built CLI against the scripted server with a competent
 * model. In plan mode the planner reads nothing (the project map is enough) and each step
 * edits the files attached to it; without a plan the model reads each file, then edits
 * it, all in one growing conversation. We record input tokens per step and in total, and
 * how the plan's estimate compares with what it measured.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { makeTempProject, parseJsonLines, runCli } from "../test/support/cli.js";
import { type RecordedRequest, type ScriptedTurn, startScriptedServer } from "../test/support/scripted-server.js";
import { countRequestTokens } from "./request-tokens.js";
import { createScriptedAgent } from "./scripted-agent.js";
import { expectResult } from "./task-kit.js";

const FILES: Record<string, string> = {
  "src/config.ts": `/** Settings for the HTTP client. */
export const DEFAULT_TIMEOUT = 5000;
export const BASE_URL = "https://api.example.com";

export function withBase(path: string): string {
  return BASE_URL + path;
}
`,
  "src/client.ts": `import { DEFAULT_TIMEOUT, withBase } from "./config.js";
import { log } from "./logger.js";

export async function get(path: string): Promise<Response> {
  log("GET " + path);
  return fetch(withBase(path), { signal: AbortSignal.timeout(DEFAULT_TIMEOUT) });
}

export async function post(path: string, body: unknown): Promise<Response> {
  log("POST " + path);
  return fetch(withBase(path), {
    method: "POST",
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(DEFAULT_TIMEOUT),
  });
}
`,
  "src/logger.ts": `export function log(message: string): void {
  console.log(message);
}

export function warn(message: string): void {
  console.warn(message);
}
`,
  "src/retry.ts": `export async function retry<T>(run: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await run();
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
`,
  "README.md": `# client

A small HTTP client.

## Options

- timeout: how long a request may take.
`,
};

interface Edit {
  path: string;
  old: string;
  new: string;
}

interface BenchStep {
  description: string;
  instruction: string;
  files: string[];
  verify: Record<string, unknown>;
  category: string;
  edits: Edit[];
}

export const PLAN_TASK =
  "Rename DEFAULT_TIMEOUT to REQUEST_TIMEOUT_MS everywhere, give retry a maxRetries option, prefix log lines with [client], and document maxRetries in the README.";

const STEPS: BenchStep[] = [
  {
    description: "Rename DEFAULT_TIMEOUT to REQUEST_TIMEOUT_MS",
    instruction:
      "Rename the constant DEFAULT_TIMEOUT to REQUEST_TIMEOUT_MS in src/config.ts and every use in src/client.ts.",
    files: ["DEFAULT_TIMEOUT", "src/client.ts"],
    verify: { kind: "pattern_absent", pattern: "DEFAULT_TIMEOUT", path: "src" },
    category: "standard",
    edits: [
      {
        path: "src/config.ts",
        old: "export const DEFAULT_TIMEOUT = 5000;",
        new: "export const REQUEST_TIMEOUT_MS = 5000;",
      },
      {
        path: "src/client.ts",
        old: 'import { DEFAULT_TIMEOUT, withBase } from "./config.js";',
        new: 'import { REQUEST_TIMEOUT_MS, withBase } from "./config.js";',
      },
      {
        path: "src/client.ts",
        old: "  return fetch(withBase(path), { signal: AbortSignal.timeout(DEFAULT_TIMEOUT) });",
        new: "  return fetch(withBase(path), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });",
      },
      {
        path: "src/client.ts",
        old: "    signal: AbortSignal.timeout(DEFAULT_TIMEOUT),",
        new: "    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),",
      },
    ],
  },
  {
    description: "Give retry a maxRetries option",
    instruction: "In src/retry.ts add a second parameter maxRetries = 3 to retry and loop up to it instead of 3.",
    files: ["retry"],
    verify: { kind: "pattern_absent", pattern: "attempt < 3", path: "src/retry.ts" },
    category: "quick",
    edits: [
      {
        path: "src/retry.ts",
        old: "export async function retry<T>(run: () => Promise<T>): Promise<T> {",
        new: "export async function retry<T>(run: () => Promise<T>, maxRetries = 3): Promise<T> {",
      },
      {
        path: "src/retry.ts",
        old: "  for (let attempt = 0; attempt < 3; attempt++) {",
        new: "  for (let attempt = 0; attempt < maxRetries; attempt++) {",
      },
    ],
  },
  {
    description: "Prefix log lines with [client]",
    instruction: 'In src/logger.ts make log and warn prefix their message with "[client] ".',
    files: ["src/logger.ts"],
    verify: { kind: "file_changed", path: "src/logger.ts" },
    category: "quick",
    edits: [
      { path: "src/logger.ts", old: "  console.log(message);", new: '  console.log("[client] " + message);' },
      { path: "src/logger.ts", old: "  console.warn(message);", new: '  console.warn("[client] " + message);' },
    ],
  },
  {
    description: "Document maxRetries",
    instruction: "Add a maxRetries entry to the Options list in README.md.",
    files: ["README.md"],
    verify: { kind: "file_changed", path: "README.md" },
    category: "quick",
    edits: [
      {
        path: "README.md",
        old: "- timeout: how long a request may take.",
        new: "- timeout: how long a request may take.\n- maxRetries: how often retry() tries again (default 3).",
      },
    ],
  },
];

export interface PlanBenchResult {
  passed: boolean;
  problems: string[];
  planningTokens: number;
  /** Input tokens per step, in order. */
  stepTokens: number[];
  /** Planning and steps together. */
  totalTokens: number;
  requests: number;
  estimate?: { low: number; high: number; ratio: number };
  withoutPlan: { passed: boolean; problems: string[]; tokens: number; requests: number };
}

type WireMessage = { role: string; content: string | null };
const userText = (r: RecordedRequest) =>
  (r.body.messages as WireMessage[]).find((m) => m.role === "user")?.content ?? "";
const systemText = (r: RecordedRequest) => (r.body.messages as WireMessage[])[0]?.content ?? "";
const stepOf = (r: RecordedRequest) => Number(/^Step (\d+) of \d+:/.exec(userText(r))?.[1] ?? 0);

/** Planner and executor: plans from the project map alone, then does each step from its attached files. */
function planPolicy(): (request: RecordedRequest) => ScriptedTurn {
  return (request) => {
    const messages = request.body.messages as WireMessage[];
    if (userText(request).startsWith("Break this task into steps")) {
      const steps = STEPS.map(({ edits: _edits, ...step }) => ({ ...step, tool_budget: 6, bash: false }));
      return { text: JSON.stringify({ steps }) };
    }
    const step = STEPS[stepOf(request) - 1];
    if (!step) return { text: "unknown step" };
    if (messages.at(-1)?.role === "tool") return { text: `Done: ${step.description}.` };
    const system = systemText(request);
    const missing = step.edits.find((edit) => !system.includes(edit.old));
    if (missing) return { text: `Cannot see ${missing.path}.` };
    return {
      toolCalls: step.edits.map((edit) => ({
        name: "edit_file",
        args: { path: edit.path, old_str: edit.old, new_str: edit.new },
      })),
    };
  };
}

async function checkResult(dir: string): Promise<string[]> {
  const problems: string[] = [];
  const expected: Record<string, string> = { ...FILES };
  for (const step of STEPS) {
    for (const edit of step.edits) expected[edit.path] = expected[edit.path].replace(edit.old, edit.new);
  }
  for (const [rel, want] of Object.entries(expected)) {
    const got = await readFile(path.join(dir, rel), "utf8").catch(() => "(missing)");
    if (got !== want) problems.push(`${rel} is not as expected`);
  }
  return problems;
}

async function config(project: { writeConfig(toml: string): Promise<string> }, url: string): Promise<void> {
  await project.writeConfig(
    `parallel_steps = 1\n[profiles.bench]\nprovider = "openai"\nendpoint = "${url}"\nmodel = "bench"\napi_key = "k"\n`,
  );
}

export async function measurePlanTask(): Promise<PlanBenchResult> {
  const server = await startScriptedServer({ policy: planPolicy() });
  const project = await makeTempProject(FILES);
  let result: Omit<PlanBenchResult, "withoutPlan">;
  try {
    await config(project, server.openaiBaseUrl);
    const run = await runCli(["plan", PLAN_TASK, "--yes", "--json"], {
      cwd: project.dir,
      env: project.env,
      timeoutMs: 60_000,
    });
    const events = parseJsonLines(run.stdout);
    const problems =
      run.code === 0 ? await checkResult(project.dir) : [`exit ${run.code}: ${run.stderr.slice(0, 400)}`];
    const counted = await Promise.all(
      server.requests.map(async (r) => ({ step: stepOf(r), tokens: (await countRequestTokens(r.body)).total })),
    );
    const stepTokens = STEPS.map((_, i) => counted.filter((c) => c.step === i + 1).reduce((s, c) => s + c.tokens, 0));
    const planningTokens = counted.filter((c) => c.step === 0).reduce((s, c) => s + c.tokens, 0);
    const done = events.find((e) => e.type === "plan_done") as { estimate?: PlanBenchResult["estimate"] } | undefined;
    result = {
      passed: problems.length === 0,
      problems,
      planningTokens,
      stepTokens,
      totalTokens: planningTokens + stepTokens.reduce((a, b) => a + b, 0),
      requests: server.requests.length,
      estimate: done?.estimate,
    };
  } finally {
    await server.close();
    await project.cleanup();
  }
  return { ...result, withoutPlan: await measureWithoutPlan() };
}

/** The same task in one conversation: read each file once, make its edits, answer. */
async function measureWithoutPlan(): Promise<PlanBenchResult["withoutPlan"]> {
  const byFile = new Map<string, Edit[]>();
  for (const step of STEPS)
    for (const edit of step.edits) byFile.set(edit.path, [...(byFile.get(edit.path) ?? []), edit]);
  const agent = createScriptedAgent(async (model) => {
    for (const [file, edits] of byFile) {
      const text = await model.call("read_file", { path: file });
      for (const edit of edits)
        if (!text.includes(edit.old.split("\n")[0])) throw new Error(`${file} lacks ${edit.old}`);
      const results = await model.calls(
        edits.map((edit) => ({ name: "edit_file", args: { path: file, old_str: edit.old, new_str: edit.new } })),
      );
      for (const content of results) expectResult(content, "Edited ", `edit ${file}`);
    }
    return "Renamed the timeout, added maxRetries, prefixed the log lines and documented maxRetries.";
  });
  const server = await startScriptedServer({ policy: agent.policy });
  const project = await makeTempProject(FILES);
  try {
    await config(project, server.openaiBaseUrl);
    const run = await runCli(["--json", "--yes", PLAN_TASK], { cwd: project.dir, env: project.env, timeoutMs: 60_000 });
    const problems =
      run.code === 0 ? await checkResult(project.dir) : [`exit ${run.code}: ${run.stderr.slice(0, 400)}`];
    const policyError = agent.error();
    if (policyError) problems.push(`policy: ${policyError}`);
    const counts = await Promise.all(server.requests.map((r) => countRequestTokens(r.body)));
    return {
      passed: problems.length === 0,
      problems,
      tokens: counts.reduce((sum, c) => sum + c.total, 0),
      requests: server.requests.length,
    };
  } finally {
    await server.close();
    await project.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measurePlanTask(), null, 2));
}
