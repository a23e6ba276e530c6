import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempProject, runCli, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { commitAll, git } from "../support/git.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  project = undefined;
  server = undefined;
});

async function setup(script: Parameters<typeof startScriptedServer>[0], extra = "") {
  server = await startScriptedServer(script);
  project = await makeTempProject({ "notes.txt": "alpha\n" });
  await project.writeConfig(`${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}${extra}`);
  return { server, project };
}

function userMessages(s: ScriptedServer, index: number): string {
  const messages = s.requests[index].body.messages as Array<{ role: string; content: string }>;
  return messages
    .filter((m) => m.role === "user")
    .map((m) => m.content)
    .join("\n");
}

async function sessionFiles(p: TempProject): Promise<string[]> {
  const dir = path.join(p.home, "data", "parecode", "sessions");
  return (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).map((name) => path.join(dir, name));
}

describe("one-shot runs are sessions", () => {
  it("-c continues the latest session of this folder with the earlier task in the carry-over", async () => {
    const { server, project } = await setup({
      script: [{ text: "The capital of France is Paris." }, { text: "About two million people." }],
    });
    const first = await runCli(["what is the capital of France?"], { cwd: project.dir, env: project.env });
    expect(first.code).toBe(0);
    const second = await runCli(["-c", "and how many people live there?"], { cwd: project.dir, env: project.env });
    expect(second.code).toBe(0);
    const carried = userMessages(server, 1);
    expect(carried).toContain("what is the capital of France?");
    expect(carried).toContain("Paris");
    expect(carried).toContain("and how many people live there?");
    // One session file holds both tasks.
    const files = await sessionFiles(project);
    expect(files).toHaveLength(1);
    expect(await readFile(files[0], "utf8")).toContain("and how many people live there?");
  });

  it("a session file cut mid-line still resumes, with a warning naming the damage", async () => {
    const { server, project } = await setup({ script: [{ text: "First answer here." }, { text: "Second." }] });
    await runCli(["first question"], { cwd: project.dir, env: project.env });
    const [file] = await sessionFiles(project);
    // A crash while writing: the last line is cut off halfway.
    await writeFile(file, `${await readFile(file, "utf8")}{"type":"event","id":"x","par`);
    const run = await runCli(["-c", "second question"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/skipped|cut|damaged|incomplete/i);
    expect(userMessages(server, 1)).toContain("first question");
  });

  it("--resume with an unknown id is a usage error listing where to look", async () => {
    const { project } = await setup({ script: [] });
    const run = await runCli(["--resume", "nope", "task"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/parecode sessions list|No session/i);
  });
});

describe("checkpoints around one-shot tasks", () => {
  it("takes a checkpoint before a task, so parecode undo puts the files back", async () => {
    const { project } = await setup({
      script: [
        { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "beta\n", overwrite: true } }] },
        { text: "Changed." },
      ],
    });
    commitAll(project.dir);
    const run = await runCli(["--yes", "change notes"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(0);
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("beta\n");
    const diff = await runCli(["diff"], { cwd: project.dir, env: project.env });
    expect(diff.stdout).toContain("+beta");
    const undo = await runCli(["undo", "--yes"], { cwd: project.dir, env: project.env });
    expect(undo.code).toBe(0);
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("alpha\n");
    // The user's branch and index were never touched by the checkpoint.
    expect(git(project.dir, "log", "--oneline").trim().split("\n")).toHaveLength(1);
  });

  it("auto_commit commits a finished task's files on the current branch", async () => {
    const { project } = await setup(
      {
        script: [
          { toolCalls: [{ name: "write_file", args: { path: "notes.txt", content: "gamma\n", overwrite: true } }] },
          { text: "Changed." },
        ],
      },
      'auto_commit = true\nauto_commit_prefix = "agent: "\n',
    );
    commitAll(project.dir);
    git(project.dir, "config", "user.name", "t");
    git(project.dir, "config", "user.email", "t@t.invalid");
    const run = await runCli(["--yes", "make it gamma"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Committed 1 file as [0-9a-f]+: agent: make it gamma/);
    expect(git(project.dir, "log", "-1", "--format=%s").trim()).toBe("agent: make it gamma");
  });
});
