import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { MCP_EXTENSION } from "../../src/tui/commands/mcp-commands.js";
import { makeTempProject, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { EVERYTHING, FAKE } from "../support/mcp-servers.js";
import { commandContext } from "../support/tui-context.js";

let project: TempProject | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  await project?.cleanup();
  runtime = undefined;
  project = undefined;
});

const mcp = MCP_EXTENSION.commands?.find((c) => c.name === "mcp");
const SECRET = "hunter2-hunter2-db";

async function runtimeWith(toml: string): Promise<Runtime> {
  project = await makeTempProject();
  // Nothing is asked of the model: the profile only has to resolve.
  await project.writeConfig(`${profileToml("t", { provider: "openai", endpoint: "http://127.0.0.1:9/v1" })}${toml}`);
  runtime = await createRuntime({ cwd: project.dir, env: project.env, onEvent: () => undefined });
  return runtime;
}

describe("/mcp", () => {
  it("lists the session's servers, and shows one's status, tools and redacted log", async () => {
    const rt = await runtimeWith(`
[[mcp_servers]]
name = "everything"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING)}, "stdio"]
scope = ["frontend"]

[[mcp_servers]]
name = "broken"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE)}, "--stderr", "connecting with ${SECRET}", "--exit"]
env = { DB_PASSWORD = "${SECRET}" }
`);
    if (!mcp) throw new Error("no /mcp");
    const { ctx, notices } = commandContext(rt);

    await mcp.run(ctx, "");
    const list = notices.at(-1) ?? "";
    expect(list).toMatch(/^everything {2}stdio {2}13 tools {2}ready \(\d+ ms\) · plan steps: frontend$/m);
    expect(list).toMatch(/^broken {6}stdio {2}0 tools {2}failed: the server exited before it finished starting/m);
    expect(list).toMatch(/Tool schemas cost \d+ tokens per request \(budget 2000\)\./);

    await mcp.run(ctx, "status everything");
    expect(notices.at(-1)).toMatch(/^status {5}ready \(\d+ ms\)\ntransport {2}stdio\nfrom {7}global\ntools {6}13\n/);
    expect(notices.at(-1)).toContain("offered to plan steps of kind frontend");

    await mcp.run(ctx, "tools everything");
    expect(notices.at(-1)).toContain("everything__get-sum  [read-only]  Returns the sum of two numbers");
    expect(notices.at(-1)?.split("\n")).toHaveLength(13);

    await mcp.run(ctx, "logs broken");
    const log = notices.at(-1) ?? "";
    expect(log).toContain("fatal: cannot open the database");
    expect(log).toContain("connecting with [REDACTED]");
    expect(log).not.toContain(SECRET);

    await mcp.run(ctx, "status broken");
    expect(notices.at(-1)).toContain("See why with /mcp logs broken.");
    await mcp.run(ctx, "tools broken");
    expect(notices.at(-1)).toMatch(/^MCP server broken offers no tools \(failed: /);

    await mcp.run(ctx, "logs nope");
    expect(notices.at(-1)).toBe(
      "There is no MCP server named nope in this session; the servers are: everything, broken.",
    );
    await mcp.run(ctx, "logs");
    expect(notices.at(-1)).toMatch(/^\/mcp logs needs a server's name/);
    await mcp.run(ctx, "restart everything");
    expect(notices.at(-1)).toBe("Use /mcp, /mcp status NAME, /mcp tools NAME or /mcp logs NAME.");
  });

  it("says how to add a server when none is configured", async () => {
    const rt = await runtimeWith("");
    if (!mcp) throw new Error("no /mcp");
    const { ctx, notices } = commandContext(rt);
    await mcp.run(ctx, "");
    expect(notices).toEqual([
      "No MCP servers are configured for this profile. Add one with: parecode mcp add NAME -- COMMAND [ARGS...]",
    ]);
  });
});
