/** `parecode mcp …` through the built CLI, against the real everything server. */
import { readFileSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_PATH, makeTempProject, runCli, type TempProject } from "../support/cli.js";
import { EVERYTHING, FAKE } from "../support/mcp-servers.js";

let project: TempProject | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await project?.cleanup();
  project = undefined;
});

function configFile(p: TempProject): string {
  return path.join(p.home, "config", "parecode", "config.toml");
}

describe("parecode mcp add / list / tools / logs / remove", () => {
  it("adds servers to config.toml, starts them for list and tools, shows logs, and removes them", async () => {
    project = await makeTempProject({ "README.md": "# demo\n" });
    const p = project;
    const run = (...args: string[]) => runCli(["mcp", ...args], { cwd: p.dir, env: p.env, timeoutMs: 40_000 });
    await p.writeConfig('# my settings\n[profiles.local]\nendpoint = "http://localhost:11434"\nmodel = "m"\n');

    expect((await run("add", "everything", "--", process.execPath, EVERYTHING, "stdio")).code).toBe(0);
    const added = await run(
      "add",
      "broken",
      "--profile",
      "local",
      "--env",
      "DB_PASSWORD=hunter2-hunter2",
      "--",
      process.execPath,
      FAKE,
      "--exit",
    );
    expect(added).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Added MCP server broken for profile local"),
    });
    expect(await readFile(configFile(p), "utf8")).toBe(`# my settings
[profiles.local]
endpoint = "http://localhost:11434"
model = "m"

[[mcp_servers]]
name = "everything"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING)}, "stdio"]

[[profiles.local.mcp_servers]]
name = "broken"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE)}, "--exit"]
env = { DB_PASSWORD = "hunter2-hunter2" }
`);
    expect((await stat(configFile(p))).mode & 0o777).toBe(0o600);

    const list = await run("list");
    expect(list.code).toBe(1);
    const rows = list.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^SERVER\s+TRANSPORT\s+TOOLS\s+FROM\s+STATUS$/);
    expect(rows[1]).toMatch(/^everything\s+stdio\s+13\s+global\s+ready \(\d+ ms\)$/);
    expect(rows[2]).toMatch(
      /^broken\s+stdio\s+0\s+profile local\s+failed: the server exited before it finished starting/,
    );

    const tools = await run("tools", "everything");
    expect(tools.code).toBe(0);
    expect(tools.stdout).toContain("everything: 13 tools over stdio");
    expect(tools.stdout).toContain(
      "everything__get-sum {a: number, b: number}  [read-only]\n  Returns the sum of two numbers",
    );

    const logs = await run("logs", "broken");
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain("fatal: cannot open the database");
    expect(logs.stdout).toMatch(/failed to start: the server exited before it finished starting/);

    expect(await run("remove", "broken")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Removed MCP server broken (profile local)"),
    });
    expect(await readFile(configFile(p), "utf8")).not.toContain("broken");
    const after = await run("list");
    expect(after.code).toBe(0);
    expect(after.stdout.trim().split("\n")).toHaveLength(2);

    const unknown = await run("tools", "broken");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("There is no MCP server named broken. The configured servers are: everything.");
  });

  it("names the fix for a malformed block at its line", async () => {
    project = await makeTempProject();
    await project.writeConfig('[[mcp_servers]]\nname = "x"\ncommand = "tool"\nurl = "http://h/mcp"\n');
    const run = await runCli(["mcp", "list"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.toml:4: mcp_servers\.url is set together with command/);
  });
});

describe("parecode mcp serve", () => {
  async function connect(p: TempProject, flags: string[] = []): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_PATH, "mcp", "serve", ...flags],
      cwd: p.dir,
      env: p.env as Record<string, string>,
      stderr: "pipe",
    });
    const c = new Client({ name: "test-host", version: "1.0.0" });
    await c.connect(transport);
    return c;
  }

  const textOf = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

  it("offers the native tools to an MCP client; in ask mode reads and read-only commands run, the rest is refused", async () => {
    project = await makeTempProject({ "notes.txt": "hello world\n" });
    client = await connect(project);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "read_file",
      "edit_file",
      "write_file",
      "patch_file",
      "search",
      "list_files",
      "bash",
      "recall",
    ]);
    expect(tools.find((t) => t.name === "read_file")?.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === "edit_file")?.annotations?.readOnlyHint).toBe(false);

    const read = await client.callTool({ name: "read_file", arguments: { path: "notes.txt" } });
    expect(read.isError).toBe(false);
    expect(textOf(read)).toMatch(/^1#[a-z]{4}:hello world$/m);

    const edit = await client.callTool({
      name: "edit_file",
      arguments: { path: "notes.txt", old_str: "world", new_str: "there" },
    });
    expect(edit.isError).toBe(true);
    expect(textOf(edit)).toBe(
      "edit_file was refused: edit_file notes.txt needs approval in ask mode (mode ask: file edits are asked) and parecode mcp serve cannot ask anyone. Ask the user to restart it with --permission-mode accept-edits, or to allow it with a rule under [permissions] in config.toml.",
    );
    const touch = await client.callTool({ name: "bash", arguments: { command: "touch made-by-bash" } });
    expect(touch.isError).toBe(true);
    expect(textOf(touch)).toMatch(
      /^bash was refused: bash: touch made-by-bash needs approval in ask mode .*--permission-mode trust/,
    );
    const cat = await client.callTool({ name: "bash", arguments: { command: "cat notes.txt | wc -l" } });
    expect(cat.isError).toBe(false);
    expect(textOf(cat)).toMatch(/\b1\b/);
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("hello world\n");
    await expect(stat(path.join(project.dir, "made-by-bash"))).rejects.toThrow();

    const outside = await client.callTool({ name: "read_file", arguments: { path: "../home/config" } });
    expect(outside.isError).toBe(true);
  });

  it("lets the mode decide edits and commands, while the guard refuses rm -rf ~ in every mode", async () => {
    project = await makeTempProject({ "notes.txt": "hello world\n", ".keep": "" });
    const p = project;
    const marker = path.join(p.home, "still-here");
    await writeFile(marker, "x");
    const cases = [
      { flags: ["--permission-mode", "read-only"], edits: false, commands: false },
      { flags: ["--allow-writes"], edits: true, commands: false },
      { flags: ["--permission-mode", "trust"], edits: true, commands: true },
    ];
    for (const [i, c] of cases.entries()) {
      client = await connect(p, c.flags);
      const edit = await client.callTool({
        name: "write_file",
        arguments: { path: `mode-${i}.txt`, content: "x\n" },
      });
      expect({ flags: c.flags, allowed: !edit.isError }).toEqual({ flags: c.flags, allowed: c.edits });
      const touch = await client.callTool({ name: "bash", arguments: { command: `touch bash-${i}` } });
      expect({ flags: c.flags, allowed: !touch.isError }).toEqual({ flags: c.flags, allowed: c.commands });
      const ls = await client.callTool({ name: "bash", arguments: { command: "ls" } });
      expect(ls.isError).toBe(false);
      expect(textOf(ls)).toContain("notes.txt");
      const wipe = await client.callTool({ name: "bash", arguments: { command: "rm -rf ~" } });
      expect(wipe.isError).toBe(true);
      expect(textOf(wipe)).toMatch(/^bash was refused: Blocked by the guard \(recursive-delete\): `rm -rf ~`/);
      await client.close();
      client = undefined;
    }
    expect(readFileSync(marker, "utf8")).toBe("x");
    const written = (await readdir(p.dir)).sort();
    expect(written).toEqual([".keep", "bash-2", "mode-1.txt", "mode-2.txt", "notes.txt"]);
  });

  it("takes the mode and the deny rules from [permissions] in config.toml", async () => {
    project = await makeTempProject({ "notes.txt": "hello world\n" });
    await project.writeConfig('[permissions]\nmode = "trust"\n[permissions.bash]\ndeny = ["touch"]\n');
    client = await connect(project);
    const edit = await client.callTool({
      name: "edit_file",
      arguments: { path: "notes.txt", old_str: "world", new_str: "there" },
    });
    expect(edit.isError).toBe(false);
    expect(textOf(edit)).toContain("Edited notes.txt");
    expect(await readFile(path.join(project.dir, "notes.txt"), "utf8")).toBe("hello there\n");
    const touch = await client.callTool({ name: "bash", arguments: { command: "touch denied" } });
    expect(touch.isError).toBe(true);
    expect(textOf(touch)).toMatch(/is denied by the rule "touch"/);
    await expect(stat(path.join(project.dir, "denied"))).rejects.toThrow();
    const missing = await client.callTool({ name: "edit_file", arguments: { path: "notes.txt" } });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/missing required parameter "old_str"/);
  });

  it("keeps secrets of the environment out of what it returns", async () => {
    project = await makeTempProject();
    project.env.DEPLOY_TOKEN = "tok-3f9a8b7c6d5e4f3a2b1c";
    client = await connect(project, ["--permission-mode", "trust"]);
    const echo = await client.callTool({ name: "bash", arguments: { command: "echo tok-3f9a8b7c6d5e4f3a2b1c" } });
    expect(textOf(echo)).not.toContain("tok-3f9a8b7c6d5e4f3a2b1c");
    expect(textOf(echo)).toContain("[REDACTED]");
  });
});

describe("startup", () => {
  /** Every module the entry loads before running anything: static imports only, followed through chunks. */
  function staticImports(file: string, seen = new Set<string>()): Set<string> {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"|^\s*import\s*"([^"]+)"/gm)) {
      const spec = match[1] ?? match[2];
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (spec.startsWith(".")) staticImports(path.resolve(path.dirname(file), spec), seen);
    }
    return seen;
  }

  it("never loads the MCP SDK before a command needs it", () => {
    const loaded = [...staticImports(CLI_PATH)];
    expect(loaded.filter((spec) => spec.startsWith("node:"))).not.toHaveLength(0);
    expect(loaded.filter((spec) => spec.includes("modelcontextprotocol") || spec === "zod")).toEqual([]);
  });
});
