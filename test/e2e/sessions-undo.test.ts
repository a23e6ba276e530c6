import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dataDir, sessionsDir } from "../../src/config/paths.js";
import { type CreateCheckpointResult, createCheckpoint } from "../../src/git/checkpoints.js";
import { createSessionStore } from "../../src/sessions/index.js";
import { CLI_PATH, collect, makeTempProject, runCli, type TempProject } from "../support/cli.js";
import { commitAll, git } from "../support/git.js";
import { simulateTask, treeState, writeTaskFixture } from "../support/tree-state.js";

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function checkpoint(p: TempProject, label: string): Promise<void> {
  const result: CreateCheckpointResult = await createCheckpoint(p.dir, { dataDir: dataDir(p.env), label });
  if (result.status !== "created") throw new Error(result.message);
}

/** Runs the CLI inside a pseudo-terminal (util-linux `script`), typing `answer` at its prompt. */
function runOnTerminal(p: TempProject, args: string[], answer: string) {
  const command = [process.execPath, CLI_PATH, ...args].join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: p.dir, env: p.env, stdio: "pipe" });
  return collect(child, { input: answer });
}

describe.each([
  ["in a git repository", true],
  ["outside git", false],
])("parecode diff and undo %s", (_name, useGit) => {
  it("diffs since the last checkpoint, undoes only with --yes off a terminal, and undoes the undo", async () => {
    project = await makeTempProject();
    project.dir = await realpath(project.dir);
    await writeTaskFixture(project.dir);
    if (useGit) commitAll(project.dir);
    const before = await treeState(project.dir);
    await checkpoint(project, "refactor the app");
    await simulateTask(project.dir);
    const afterTask = await treeState(project.dir);
    const env = project.env;

    const diff = await runCli(["diff"], { cwd: project.dir, env });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(
      /^Changes since the checkpoint before "refactor the app" \(.*just now\): 3 modified, 2 added, 1 deleted, 1 mode changed\n/,
    );
    expect(diff.stdout).toContain("diff --git a/config.ini b/config.ini\n--- a/config.ini\n+++ b/config.ini\n");
    expect(diff.stdout).toContain("-debug=false\n+debug=true\n");
    expect(diff.stdout).toContain("diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n");

    const refused = await runCli(["undo"], { cwd: project.dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain("  remove    NOTES.md\n");
    expect(refused.stdout).toContain("  recreate  old.txt\n");
    expect(refused.stderr).toContain("Nothing changed: add --yes to undo when not at a terminal.");
    expect(await treeState(project.dir)).toEqual(afterTask);

    const undone = await runCli(["undo", "--yes"], { cwd: project.dir, env });
    expect(undone.stderr).toBe("");
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('Restored 7 files to how they were before "refactor the app"');
    expect(undone.stdout).toContain("Removed empty folders: src/generated, src/generated/deep");
    expect(await treeState(project.dir)).toEqual(before);

    const list = await runCli(["undo", "--list"], { cwd: project.dir, env });
    expect(list.stdout).toMatch(
      / {2}1 {2}.*before "undo of: refactor the app"\n {2}2 {2}.*before "refactor the app"\n$/,
    );

    const redone = await runCli(["undo", "--yes"], { cwd: project.dir, env });
    expect(redone.code).toBe(0);
    expect(await treeState(project.dir)).toEqual(afterTask);
    if (useGit) expect(git(project.dir, "status", "--porcelain")).toContain("?? NOTES.md");
  });
});

describe("parecode undo on a terminal", () => {
  it("asks y/N: no leaves the files, yes restores them", async () => {
    project = await makeTempProject({ "a.txt": "original\n" });
    commitAll(project.dir);
    await checkpoint(project, "edit a");
    await writeFile(path.join(project.dir, "a.txt"), "edited\n");

    const declined = await runOnTerminal(project, ["undo"], "n\n");
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain("Change this file? [y/N]");
    expect(declined.stdout).toContain("Nothing changed.");
    expect(await readFile(path.join(project.dir, "a.txt"), "utf8")).toBe("edited\n");

    const accepted = await runOnTerminal(project, ["undo"], "y\n");
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("Restored 1 file");
    expect(await readFile(path.join(project.dir, "a.txt"), "utf8")).toBe("original\n");
  });

  it("says so when there is no checkpoint yet", async () => {
    project = await makeTempProject({ "a.txt": "a\n" });
    const run = await runCli(["diff"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No checkpoints for this folder yet");
  });
});

describe("parecode sessions", () => {
  it("lists, shows, exports, renames and deletes sessions through the binary", async () => {
    project = await makeTempProject();
    const store = createSessionStore(sessionsDir(project.env));
    const session = store.create({ root: project.dir, profile: "work", model: "gpt-x" });
    session.appendTask("fix the parser bug");
    session.append({ type: "assistant_message", turn: 1, text: "Fixed the off-by-one.", toolCalls: [] });
    session.append({
      type: "result",
      status: "done",
      message: "Fixed the off-by-one.",
      turns: 1,
      toolCalls: 2,
      usage: { inputTokens: 1200, outputTokens: 80 },
      costUsd: 0.0125,
      filesChanged: ["src/parse.ts"],
      durationMs: 900,
      denials: [],
      verification: [],
      proof: "none",
    });
    session.close();
    const elsewhere = store.create({ root: path.join(project.home, "other") });
    elsewhere.appendTask("unrelated");
    const env = project.env;
    const cli = (...args: string[]) => runCli(args, { cwd: project?.dir as string, env });

    const list = await cli("sessions", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID +UPDATED +TURNS +COST +TITLE\n/);
    expect(list.stdout).toContain(`${session.id}  `);
    expect(list.stdout).toMatch(/ 1 +\$0\.0125 +fix the parser bug\n$/);
    expect(list.stdout).not.toContain(elsewhere.id);
    expect((await cli("sessions", "list", "--all")).stdout).toContain(elsewhere.id);

    const tail = session.id.split("-")[2].slice(0, 4);
    const show = await cli("sessions", "show", tail);
    expect(show.stdout).toContain(`Session ${session.id}: fix the parser bug`);
    expect(show.stdout).toContain("Profile: work, model gpt-x");
    expect(show.stdout).toContain("  1. [done] fix the parser bug  (2 tool calls, changed src/parse.ts)");

    const exported = await cli("sessions", "export", session.id, "--output", "session.md");
    expect(exported.code).toBe(0);
    const markdown = await readFile(path.join(project.dir, "session.md"), "utf8");
    expect(markdown).toContain("# fix the parser bug");
    expect(markdown).toContain("**Changed:** `src/parse.ts`");
    expect((await cli("sessions", "export", session.id)).stdout).toBe(markdown);

    expect((await cli("sessions", "rename", tail, "Parser", "fix")).stdout).toBe(
      `Renamed session ${session.id} to "Parser fix".\n`,
    );
    expect((await cli("sessions", "list")).stdout).toContain("Parser fix");

    const refused = await cli("sessions", "delete", tail);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("add --yes to confirm when not at a terminal");
    expect(existsSync(session.file)).toBe(true);
    const deleted = await cli("sessions", "delete", tail, "--yes");
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe(`Deleted session ${session.id} "Parser fix" (1 turn).\n`);
    expect(existsSync(session.file)).toBe(false);

    const unknown = await cli("sessions", "show", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No session matches "nope"');
  });
});
