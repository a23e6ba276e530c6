/** MCP server scopes through the runtime: a task of one kind sees only the servers offered to that kind. */
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { EVERYTHING, FAKE } from "../support/mcp-servers.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let project: TempProject | undefined;
let server: ScriptedServer | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  await server?.close();
  await project?.cleanup();
  runtime = undefined;
  server = undefined;
  project = undefined;
});

const toolsOf = (s: ScriptedServer, index: number) =>
  (s.requests[index].body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);

const toolResult = (s: ScriptedServer, index: number) =>
  (s.requests[index].body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "tool")?.content;

describe("MCP scopes", () => {
  it("offers a scoped server only to tasks of its kinds; unscoped servers and unscoped tasks see everything", async () => {
    server = await startScriptedServer({
      script: [
        { toolCalls: [{ name: "everything__echo", args: { message: "hi" } }] },
        { text: "backend done" },
        { toolCalls: [{ name: "everything__echo", args: { message: "hi" } }] },
        { text: "frontend done" },
        { text: "plain done" },
        { text: "step done" },
      ],
    });
    project = await makeTempProject();
    await project.writeConfig(`mcp_lazy = "never"
${profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl })}
[[mcp_servers]]
name = "everything"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING)}, "stdio"]
scope = ["frontend", "docs"]

[[mcp_servers]]
name = "fake"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE)}, "--tools", "1"]
`);
    runtime = await createRuntime({
      cwd: project.dir,
      env: project.env,
      permissionMode: "trust",
      onEvent: () => undefined,
    });
    const signal = new AbortController().signal;

    const backend = await runtime.run("check the API", signal, { mcpScope: "backend" });
    expect(backend.message).toBe("backend done");
    expect(toolsOf(server, 0).filter((t) => t.startsWith("everything__"))).toEqual([]);
    expect(toolsOf(server, 0)).toContain("fake__pid");
    expect(toolsOf(server, 0)).toContain("read_file");
    expect(toolResult(server, 1)).toMatch(/^everything__echo is not offered in this run/);

    await runtime.run("style the page", signal, { mcpScope: "frontend" });
    expect(toolsOf(server, 2)).toContain("everything__echo");
    expect(toolsOf(server, 2)).toContain("fake__pid");
    expect(toolResult(server, 3)).toBe("Echo: hi");

    await runtime.run("anything", signal);
    expect(toolsOf(server, 4)).toContain("everything__echo");

    await runtime.runIsolated(
      { task: "a step", model: runtime.profile.model, mcpScope: "backend", onEvent: () => undefined },
      signal,
    );
    expect(toolsOf(server, 5).filter((t) => t.startsWith("everything__"))).toEqual([]);
    expect(toolsOf(server, 5)).toContain("fake__pid");

    const view = runtime.mcp;
    expect(view?.servers().map((s) => [s.name, s.status, s.scope])).toEqual([
      ["everything", "ready", ["frontend", "docs"]],
      ["fake", "ready", undefined],
    ]);
  });
});
