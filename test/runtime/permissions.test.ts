import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalDecision, ApprovalRequest } from "../../src/core/approval.js";
import type { AgentEvent } from "../../src/core/types.js";
import { createRuntime, type RuntimeOptions } from "../../src/runtime/runtime.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = undefined;
  project = undefined;
});

async function setup(script: ScriptedTurn[], files: Record<string, string> = { "notes.txt": "alpha\n" }) {
  server = await startScriptedServer({ script });
  project = await makeTempProject(files);
  await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
  return project;
}

async function run(task: string, options: Partial<RuntimeOptions> = {}) {
  const p = project as TempProject;
  const events: AgentEvent[] = [];
  const runtime = await createRuntime({
    cwd: p.dir,
    env: p.env,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const result = await runtime.run(task, new AbortController().signal);
  return { result, events };
}

/** The tool results the model was sent in the request with this index. */
function toolResults(index: number): string[] {
  const messages = server?.requests[index].body.messages as Array<{ role: string; content: string }>;
  return messages.filter((m) => m.role === "tool").map((m) => m.content);
}

const writeNotes = { name: "write_file", args: { path: "notes.txt", content: "beta\n", overwrite: true } };
const npmInstall = { name: "bash", args: { command: "npm install left-pad" } };

describe("headless: nobody to ask", () => {
  it("denies what would ask, tells the model, and lists every denial in the result", async () => {
    const p = await setup([{ toolCalls: [writeNotes, npmInstall] }, { text: "Could not do it." }]);
    const { result, events } = await run("change notes");
    expect(await readFile(path.join(p.dir, "notes.txt"), "utf8")).toBe("alpha\n");
    expect(result.denials.map((d) => [d.tool, d.target])).toEqual([
      ["write_file", "notes.txt"],
      ["bash", "npm install left-pad"],
    ]);
    expect(result.denials[0].rule).toMatch(/headless/);
    const [first, second] = toolResults(1);
    expect(first).toMatch(/needs approval and this run cannot ask anyone/);
    expect(second).toMatch(/Not run: bash: npm install left-pad needs approval/);
    expect(events.filter((e) => e.type === "permission").map((e) => e.type === "permission" && e.action)).toEqual([
      "deny",
      "deny",
    ]);
  });

  it("read-only mode refuses edits with a reason the model can act on", async () => {
    const p = await setup([{ toolCalls: [writeNotes] }, { text: "ok" }]);
    const { result } = await run("change notes", { permissionMode: "read-only" });
    expect(await readFile(path.join(p.dir, "notes.txt"), "utf8")).toBe("alpha\n");
    expect(result.denials[0].rule).toBe("mode read-only");
    expect(toolResults(1)[0]).toMatch(/^Blocked: read-only mode: write_file is not allowed/);
  });

  it("accept-edits lets edits through and still refuses commands", async () => {
    const p = await setup([{ toolCalls: [writeNotes, npmInstall] }, { text: "ok" }]);
    const { result } = await run("change notes", { permissionMode: "accept-edits" });
    expect(await readFile(path.join(p.dir, "notes.txt"), "utf8")).toBe("beta\n");
    expect(result.denials.map((d) => d.tool)).toEqual(["bash"]);
  });
});

describe("asking a person", () => {
  it("shows the exact diff of an edit, writes on yes, and asks again next time for 'once'", async () => {
    const p = await setup([
      { toolCalls: [writeNotes] },
      { toolCalls: [{ name: "edit_file", args: { path: "notes.txt", old_str: "beta", new_str: "gamma" } }] },
      { text: "done" },
    ]);
    const asked: ApprovalRequest[] = [];
    const { result } = await run("change notes", {
      approve: async (request) => {
        asked.push(request);
        return { approved: true, scope: "once" };
      },
    });
    expect(result.status).toBe("done");
    expect(result.denials).toEqual([]);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({ kind: "edit", tool: "write_file", path: "notes.txt" });
    expect(asked[0].diff).toContain("-alpha");
    expect(asked[0].diff).toContain("+beta");
    expect(asked[1].diff).toContain("+gamma");
    expect(await readFile(path.join(p.dir, "notes.txt"), "utf8")).toBe("gamma\n");
  });

  it("a no with a reason leaves the file alone and hands the reason to the model", async () => {
    const p = await setup([{ toolCalls: [writeNotes] }, { text: "ok" }]);
    const { result } = await run("change notes", {
      approve: async (): Promise<ApprovalDecision> => ({ approved: false, reason: "keep alpha, it is used by tests" }),
    });
    expect(await readFile(path.join(p.dir, "notes.txt"), "utf8")).toBe("alpha\n");
    expect(toolResults(1)[0]).toContain("keep alpha, it is used by tests");
    expect(result.denials).toMatchObject([{ tool: "write_file", rule: "the user said no" }]);
  });

  it("an edit that fails to match never asks", async () => {
    await setup([
      { toolCalls: [{ name: "edit_file", args: { path: "notes.txt", old_str: "zzz", new_str: "y" } }] },
      { text: "ok" },
    ]);
    let asked = 0;
    await run("edit", {
      approve: async () => {
        asked++;
        return { approved: true, scope: "once" };
      },
    });
    expect(asked).toBe(0);
  });

  it("'always, this session' stops asking about the same command prefix within the session", async () => {
    await setup([
      { toolCalls: [npmInstall] },
      { toolCalls: [{ name: "bash", args: { command: "npm --version" } }] },
      { text: "ok" },
    ]);
    const asked: string[] = [];
    const { events } = await run("install", {
      approve: async (request) => {
        asked.push(request.command ?? "");
        return { approved: true, scope: "session" };
      },
    });
    expect(asked).toEqual(["npm install left-pad"]);
    const decisions = events.filter((e) => e.type === "permission");
    expect(decisions.map((e) => e.type === "permission" && `${e.action}:${e.by}`)).toEqual([
      "allow:user",
      "allow:policy",
    ]);
  });

  it("'always, this project' is saved to .parecode/permissions.toml and honoured by the next headless run", async () => {
    const p = await setup([{ toolCalls: [writeNotes] }, { text: "ok" }, { toolCalls: [writeNotes] }, { text: "ok" }]);
    await run("first", { approve: async () => ({ approved: true, scope: "project" }) });
    const saved = await readFile(path.join(p.dir, ".parecode", "permissions.toml"), "utf8");
    expect(saved).toContain('tool = "write_file"');
    const { result } = await run("second");
    expect(result.denials).toEqual([]);
  });
});

describe("workspace trust", () => {
  const looseFile = `[bash]\nallow = ["npm install"]\ndeny = ["npm publish"]\n`;

  it("an untrusted project file may tighten but not loosen; --trust-project applies it", async () => {
    const p = await setup([{ toolCalls: [npmInstall] }, { text: "ok" }, { toolCalls: [npmInstall] }, { text: "ok" }]);
    await mkdir(path.join(p.dir, ".parecode"), { recursive: true });
    await writeFile(path.join(p.dir, ".parecode", "permissions.toml"), looseFile);
    const untrusted = await run("install");
    expect(untrusted.result.denials).toHaveLength(1);
    const notice = untrusted.events.find((e) => e.type === "notice" && e.message.includes("--trust-project"));
    expect(notice).toBeDefined();
    const trusted = await run("install", { trustProject: true });
    expect(trusted.result.denials).toEqual([]);
  });

  it("asks once on a terminal and remembers the answer", async () => {
    const p = await setup([{ toolCalls: [npmInstall] }, { text: "ok" }, { toolCalls: [npmInstall] }, { text: "ok" }]);
    await mkdir(path.join(p.dir, ".parecode"), { recursive: true });
    await writeFile(path.join(p.dir, ".parecode", "permissions.toml"), looseFile);
    const questions: string[][] = [];
    await run("install", {
      confirmWorkspaceTrust: async (q) => {
        questions.push(q.loosening);
        return true;
      },
    });
    expect(questions).toEqual([['allow command "npm install"']]);
    const later = await run("install", { confirmWorkspaceTrust: async () => false });
    expect(later.result.denials).toEqual([]);
  });
});
