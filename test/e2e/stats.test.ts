import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempProject, runCli, type TempProject } from "../support/cli.js";
import { telemetryFixture } from "../support/telemetry-fixture.js";

let project: TempProject | undefined;

afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function withTelemetry(): Promise<TempProject> {
  project = await makeTempProject();
  const lines = telemetryFixture().map((record) => JSON.stringify(record));
  // A line cut off by a crash, in the middle of the file.
  lines.splice(2, 0, '{"v":1,"ts":"2026-');
  await mkdir(path.join(project.dir, ".parecode"), { recursive: true });
  await writeFile(path.join(project.dir, ".parecode", "telemetry.jsonl"), `${lines.join("\n")}\n`);
  return project;
}

describe("parecode stats", () => {
  it("--json summarises per day and per model, skipping a corrupt line with a warning", async () => {
    const p = await withTelemetry();
    const run = await runCli(["stats", "--json"], { cwd: p.dir, env: p.env });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("parecode: .parecode/telemetry.jsonl:3: skipped, not valid JSON (cut off or edited?)\n");
    const stats = JSON.parse(run.stdout);
    expect(stats).toMatchObject({
      file: ".parecode/telemetry.jsonl",
      skippedLines: 1,
      days: 7,
      total: { tasks: 4, inputTokens: 10_000, outputTokens: 1000, unpricedTasks: 1, failedTasks: 1 },
    });
    expect(stats.byDay).toHaveLength(7);
    expect(stats.byDay.at(-1)).toMatchObject({ tasks: 2, compressedPct: 25 });
    expect(stats.byModel.map((row: { key: string }) => row.key)).toEqual(["claude-sonnet-4-5", "qwen3:14b", "gpt-4.1"]);

    const month = JSON.parse((await runCli(["stats", "--days", "31", "--json"], { cwd: p.dir, env: p.env })).stdout);
    expect(month.total.tasks).toBe(5);
  });

  it("prints a plain table on a pipe, and says so when there is nothing yet", async () => {
    const p = await withTelemetry();
    const run = await runCli(["stats"], { cwd: p.dir, env: p.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("4 tasks · 11.0k tokens");
    expect(run.stdout).toMatch(/^claude-sonnet-4-5\s+2\s+4\.4k\s+\$0\.0180\s+2\.2k\s+25%$/m);
    expect(run.stdout).not.toMatch(/[█▏▎▍▌▋▊▉]/);
    expect(run.stdout).not.toContain("\u001b[");

    const empty = await makeTempProject();
    try {
      const none = await runCli(["stats"], { cwd: empty.dir, env: empty.env });
      expect(none.code).toBe(0);
      expect(none.stdout).toContain("No telemetry in this project yet");
    } finally {
      await empty.cleanup();
    }
  });

  it("rejects a bad --days with the usage", async () => {
    project = await makeTempProject();
    const run = await runCli(["stats", "--days", "week"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: parecode stats [--days N] [--json]");
  });
});
