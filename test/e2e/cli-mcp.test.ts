import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempProject, parseJsonLines, runCli, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { EVERYTHING } from "../support/mcp-servers.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  project = undefined;
  server = undefined;
});

async function setup() {
  server = await startScriptedServer({
    script: [{ toolCalls: [{ name: "everything__echo", args: { message: "hello from mcp" } }] }, { text: "Echoed." }],
  });
  project = await makeTempProject();
  await project.writeConfig(
    `${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}
[[mcp_servers]]
name = "everything"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING)}, "stdio"]
`,
  );
  return { project, server };
}

describe("MCP servers in a one-shot run", () => {
  it("offers a configured server's tools to the model and returns their results once approved", async () => {
    const { project, server } = await setup();
    const run = await runCli(["--json", "--yes", "echo something"], {
      cwd: project.dir,
      env: project.env,
      timeoutMs: 40_000,
    });
    expect(run.code).toBe(0);
    const tools = (server.requests[0].body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    expect(tools).toContain("everything__echo");
    expect(tools).toContain("read_file");
    const messages = server.requests[1].body.messages as Array<{ role: string; content: string }>;
    expect(messages.find((m) => m.role === "tool")?.content).toBe("Echo: hello from mcp");
  });

  it("asks before an MCP tool call: headless, it is refused and the run exits 3", async () => {
    const { project } = await setup();
    const run = await runCli(["--json", "echo something"], { cwd: project.dir, env: project.env, timeoutMs: 40_000 });
    expect(run.code).toBe(3);
    const result = parseJsonLines(run.stdout).at(-1) as unknown as { denials: Array<{ tool: string }> };
    expect(result.denials.map((d) => d.tool)).toEqual(["everything__echo"]);
  });

  it("a rule can allow one server's tools", async () => {
    const { project } = await setup();
    await project.writeConfig(
      `${await readFile(path.join(project.home, "config", "parecode", "config.toml"), "utf8")}
[permissions.tools]
"everything__*" = "allow"
`,
    );
    const run = await runCli(["--json", "echo something"], { cwd: project.dir, env: project.env, timeoutMs: 40_000 });
    expect(run.code).toBe(0);
  });
});
