/** What a benchmark task is, and the fixture helpers the task files share. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentScript } from "./scripted-agent.js";

export interface CheckInput {
  /** The project directory after the run. */
  dir: string;
  /** The agent's final answer (the result event's message). */
  answer: string;
}

export interface BenchTask {
  /** Stable key in baseline.json, e.g. "02-remove-console-logs". */
  id: string;
  prompt: string;
  /** The fixture project: relative path → content. */
  files(): Promise<Record<string, string>>;
  /** The competent model for this task. */
  agent: AgentScript;
  /** What is wrong with the result; empty when the task was done right. */
  check(input: CheckInput): Promise<string[]>;
}

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Every file under bench/fixtures/NAME/PART, keyed by path relative to that folder. */
export async function loadFixture(
  name: string,
  part: "project" | "expected" = "project",
): Promise<Record<string, string>> {
  const base = path.join(FIXTURES, name, part);
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    files[path.relative(base, abs).split(path.sep).join("/")] = await readFile(abs, "utf8");
  }
  return files;
}

/** Each expected file must be on disk with exactly this content. */
export async function compareFiles(dir: string, expected: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const [rel, want] of Object.entries(expected)) {
    let got: string;
    try {
      got = await readFile(path.join(dir, rel), "utf8");
    } catch {
      problems.push(`${rel} is missing`);
      continue;
    }
    if (got !== want) problems.push(`${rel} differs from the expected result:\n${firstDifference(want, got)}`);
  }
  return problems;
}

function firstDifference(want: string, got: string): string {
  const a = want.split("\n");
  const b = got.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `  line ${i + 1}: expected ${JSON.stringify(a[i])}, got ${JSON.stringify(b[i])}`;
  }
  return "  (same lines, different line endings)";
}

/** The result must start with `prefix` ("Edited ", "Patched ", ...); a policy stops rather than guess on. */
export function expectResult(content: string, prefix: string, what: string): string {
  if (!content.startsWith(prefix)) throw new Error(`${what} failed: ${content.slice(0, 300)}`);
  return content;
}

/** expectResult for each result of a batch of calls. */
export function expectAll(contents: string[], prefix: string, what: string): void {
  contents.forEach((content, i) => {
    expectResult(content, prefix, `${what} ${i + 1}`);
  });
}
