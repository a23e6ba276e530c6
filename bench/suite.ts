/**
 * The token benchmark: each task in bench/tasks runs through the built CLI (one-shot,
 * `--json`) against the scripted model server (OpenAI wire), driven by the task's
 * competent policy. Per task we record input tokens over every request (counted by
 * request-tokens.ts), output tokens of what the policy sent, tool calls, re-reads, loop
 * interventions, and whether the result on disk (or the answer) is right.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { canonicalJson, repeatNote } from "../src/context/loop-detector.js";
import { makeTempProject, parseJsonLines, runCli } from "../test/support/cli.js";
import { startScriptedServer } from "../test/support/scripted-server.js";
import { countRequestTokens, countTurnTokens } from "./request-tokens.js";
import { createScriptedAgent } from "./scripted-agent.js";
import type { BenchTask } from "./task-kit.js";

export interface TaskResult {
  id: string;
  passed: boolean;
  problems: string[];
  /** Model calls the task made. */
  requests: number;
  /** Sum over every request (request-tokens.ts). */
  inputTokens: number;
  firstRequestTokens: number;
  outputTokens: number;
  toolCalls: number;
  /** read_file calls repeating an earlier read_file call's exact arguments. */
  reReads: number;
  /** Tool results carrying the loop detector's repeat note. */
  loopInterventions: number;
  durationMs: number;
}

export interface BaselineEntry {
  inputTokens: number;
  passed: boolean;
}

export interface Baseline {
  note: string;
  tasks: Record<string, BaselineEntry>;
}

/** Input tokens may grow this much over the baseline before the bench fails. */
export const REGRESSION_TOLERANCE = 0.1;

export const BASELINE_PATH = fileURLToPath(new URL("./baseline.json", import.meta.url));
export const RESULTS_PATH = fileURLToPath(new URL("./results/latest.json", import.meta.url));

/** "[repeated call" — the start of every note the loop detector puts on a cached result. */
const REPEAT_MARK = repeatNote().split(":")[0];

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null;

export async function runTask(task: BenchTask): Promise<TaskResult> {
  const agent = createScriptedAgent(task.agent);
  const server = await startScriptedServer({ policy: agent.policy });
  const project = await makeTempProject(await task.files());
  const started = Date.now();
  try {
    await project.writeConfig(
      `[profiles.bench]\nprovider = "openai"\nendpoint = "${server.openaiBaseUrl}"\nmodel = "bench"\napi_key = "k"\n`,
    );
    const run = await runCli(["--json", "--yes", task.prompt], {
      cwd: project.dir,
      env: project.env,
      timeoutMs: 60_000,
    });
    const durationMs = Date.now() - started;
    const events = parseJsonLines(run.stdout);
    const result = events.find((e) => e.type === "result");
    const problems: string[] = [];
    const policyError = agent.error();
    if (policyError) problems.push(`policy: ${policyError}`);
    if (!result) problems.push(`no result event (exit ${run.code}): ${run.stderr.trim().slice(0, 400)}`);
    else if (result.status !== "done") problems.push(`status ${String(result.status)}: ${String(result.message)}`);
    const answer = typeof result?.message === "string" ? result.message : "";
    if (problems.length === 0) problems.push(...(await task.check({ dir: project.dir, answer })));

    const counts = await Promise.all(server.requests.map((r) => countRequestTokens(r.body)));
    let outputTokens = 0;
    for (const turn of agent.sent) outputTokens += await countTurnTokens(turn);
    return {
      id: task.id,
      passed: problems.length === 0,
      problems,
      requests: server.requests.length,
      inputTokens: counts.reduce((sum, c) => sum + c.total, 0),
      firstRequestTokens: counts[0]?.total ?? 0,
      outputTokens,
      toolCalls: typeof result?.toolCalls === "number" ? result.toolCalls : 0,
      reReads: countReReads(events),
      loopInterventions: countLoopInterventions(server.requests.map((r) => r.body)),
      durationMs,
    };
  } finally {
    await server.close();
    await project.cleanup();
  }
}

/** read_file calls whose (canonical) arguments an earlier read_file call already used. */
export function countReReads(events: Array<Json & { type: string }>): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const event of events) {
    if (event.type !== "tool_start" || event.name !== "read_file") continue;
    const key = canonicalJson(event.args);
    if (seen.has(key)) repeats++;
    seen.add(key);
  }
  return repeats;
}

/** Distinct tool results (by call id, over all requests) that carry the repeat note. */
export function countLoopInterventions(bodies: Json[]): number {
  const flagged = new Set<string>();
  for (const body of bodies) {
    for (const message of Array.isArray(body.messages) ? body.messages : []) {
      if (!isRecord(message) || message.role !== "tool") continue;
      const text = typeof message.content === "string" ? message.content : JSON.stringify(message.content);
      if (text.includes(REPEAT_MARK)) flagged.add(String(message.tool_call_id));
    }
  }
  return flagged.size;
}

export async function runSuite(tasks: BenchTask[], onResult?: (r: TaskResult) => void): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  for (const task of tasks) {
    const result = await runTask(task);
    onResult?.(result);
    results.push(result);
  }
  return results;
}

export async function readBaseline(): Promise<Baseline | undefined> {
  try {
    return JSON.parse(await readFile(BASELINE_PATH, "utf8")) as Baseline;
  } catch {
    return undefined;
  }
}

export async function writeBaseline(results: TaskResult[]): Promise<void> {
  const baseline: Baseline = {
    note: "Input tokens per benchmark task (o200k, bench/request-tokens.ts). Regenerate: npm run bench -- --update-baseline",
    tasks: Object.fromEntries(results.map((r) => [r.id, { inputTokens: r.inputTokens, passed: r.passed }])),
  };
  await writeFile(BASELINE_PATH, `${JSON.stringify(baseline, null, 2)}\n`);
}

export interface Regression {
  id: string;
  reason: string;
}

/** More than REGRESSION_TOLERANCE more input tokens, or a task that passed and no longer does. */
export function compareWithBaseline(results: TaskResult[], baseline: Baseline): Regression[] {
  const out: Regression[] = [];
  for (const r of results) {
    const base = baseline.tasks[r.id];
    if (!base) continue;
    if (base.passed && !r.passed) out.push({ id: r.id, reason: "passed in the baseline, fails now" });
    const limit = Math.floor(base.inputTokens * (1 + REGRESSION_TOLERANCE));
    if (r.inputTokens > limit) {
      out.push({ id: r.id, reason: `${r.inputTokens} input tokens > ${limit} (baseline ${base.inputTokens} + 10%)` });
    }
  }
  return out;
}

export function formatTable(results: TaskResult[], baseline?: Baseline): string {
  const header = ["task", "pass", "reqs", "input", "output", "calls", "re-reads", "loops", "vs baseline"];
  const rows = results.map((r) => {
    const base = baseline?.tasks[r.id];
    const delta = base ? `${(((r.inputTokens - base.inputTokens) / base.inputTokens) * 100).toFixed(1)}%` : "new";
    return [
      r.id,
      r.passed ? "ok" : "FAIL",
      String(r.requests),
      String(r.inputTokens),
      String(r.outputTokens),
      String(r.toolCalls),
      String(r.reReads),
      String(r.loopInterventions),
      base && !delta.startsWith("-") ? `+${delta}` : delta,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
