import { makeTempProject, runCli } from "../test/support/cli.js";
import { startScriptedServer } from "../test/support/scripted-server.js";
import { countRequestTokens } from "./request-tokens.js";

export interface FirstRequestTokens {
  systemTokens: number;
  toolSchemaTokens: number;
  taskTokens: number;
  totalTokens: number;
}

/**
 * Runs a one-line task through the built CLI and counts (o200k, as request-tokens.ts
 * counts every request) what its first request carried: the system prompt, the tool
 * schemas as sent on the wire, and the task message.
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
    const counted = await countRequestTokens(server.requests[0].body);
    return {
      systemTokens: counted.system,
      toolSchemaTokens: counted.tools,
      taskTokens: counted.messages + counted.toolCalls,
      totalTokens: counted.total,
    };
  } finally {
    await server.close();
    await project.cleanup();
  }
}
