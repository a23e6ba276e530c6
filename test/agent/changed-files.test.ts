import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAgentTask } from "../../src/agent/agent.js";
import type { Profile } from "../../src/config/types.js";
import { createModelClient } from "../../src/providers/index.js";
import { createNativeToolRegistry } from "../../src/tools/index.js";
import { commitAll } from "../support/git.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

let server: ScriptedServer | undefined;
let base: string;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(base, { recursive: true, force: true });
});

describe("files changed, run from a subfolder of a repository", () => {
  it("lists each changed file once, relative to the folder parecode runs in, and nothing outside it", async () => {
    base = await mkdtemp(path.join(tmpdir(), "agent-subfolder-"));
    await mkdir(path.join(base, "src"));
    await writeFile(path.join(base, "README.md"), "top\n");
    await writeFile(path.join(base, "src", "app.txt"), "one\n");
    commitAll(base);
    // Dirty before the task, outside the root: must not show up either.
    await writeFile(path.join(base, "README.md"), "edited by the user\n");
    const root = path.join(base, "src");

    server = await startScriptedServer({
      script: [
        {
          toolCalls: [
            { name: "write_file", args: { path: "NOTES.md", content: "notes\n" } },
            { name: "bash", args: { command: "sed -i 's/one/two/' app.txt && echo x > ../outside.txt" } },
          ],
        },
        { text: "Wrote the notes." },
      ],
    });
    const profile: Profile = {
      name: "t",
      provider: "openai",
      endpoint: server.openaiBaseUrl,
      model: "m",
      apiKey: "k",
      contextTokens: 32_000,
      source: "config",
    };
    const result = await runAgentTask(
      "write notes",
      {
        root,
        client: createModelClient(profile, { providerMaxRetries: 0 }),
        tools: createNativeToolRegistry({ root }),
        model: "m",
        profileName: "t",
        provider: "openai",
        systemPrompt: "test",
        contextTokens: 32_000,
        maxIterations: 5,
        costUsd: () => 0,
      },
      { signal: new AbortController().signal, onEvent: () => undefined },
    );

    expect(await readFile(path.join(base, "outside.txt"), "utf8")).toBe("x\n");
    expect(result.status).toBe("done");
    expect(result.filesChanged).toEqual(["NOTES.md", "app.txt"]);
  });
});
