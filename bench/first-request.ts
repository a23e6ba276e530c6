import { countTokens } from "../src/context/tokens.js";
import { makeTempProject, runCli } from "../test/support/cli.js";
import { startScriptedServer } from "../test/support/scripted-server.js";

export interface FirstRequestTokens {
  systemTokens: number;
  toolSchemaTokens: number;
  taskTokens: number;
  totalTokens: number;
}

/**
 * Runs a one-line task through the built CLI and counts (o200k) what its first request
 * carried: the system prompt, the tool schemas as sent on the wire, and the whole body's
 * messages plus tools.
 */
export async function measureFirstRequest(task = "What does this project do?"): Promise<FirstRequestTokens> {
  const server = await startScriptedServer({ script: [{ text: "It is a test." }] });
  const project = await makeTempProject({ "README.md": "# demo\n" });
  try {
    await project.writeConfig(
      `[profiles.bench]\nprovider = "openai"\nendpoint = "${server.openaiBaseUrl}"\nmodel = "bench"\napi_key = "k"\n`,
    );
    const run = await runCli([task], { cwd: project.dir, env: project.env });
    if (run.code !== 0) throw new Error(`bench task failed: ${run.stderr}`);
    const body = server.requests[0].body as {
      messages: Array<{ role: string; content: string }>;
      tools?: unknown[];
    };
    const system = body.messages.filter((m) => m.role === "system" || m.role === "developer");
    const rest = body.messages.filter((m) => m.role !== "system" && m.role !== "developer");
    const systemTokens = await countTokens(system.map((m) => m.content).join("\n"));
    const toolSchemaTokens = body.tools ? await countTokens(JSON.stringify(body.tools)) : 0;
    const taskTokens = await countTokens(rest.map((m) => m.content).join("\n"));
    return { systemTokens, toolSchemaTokens, taskTokens, totalTokens: systemTokens + toolSchemaTokens + taskTokens };
  } finally {
    await server.close();
    await project.cleanup();
  }
}
