import { afterEach, describe, expect, it } from "vitest";
import { makeTempProject, parseJsonLines, runCli, type TempProject } from "../support/cli.js";
import { profileToml } from "../support/config-fixture.js";
import { type ScriptedServer, type ScriptedTurn, startScriptedServer } from "../support/scripted-server.js";

/*
 * Proof of completion through the built CLI: an edit followed by a passing test command
 * is verified, by a failing one fails (exit 4, "done" is not reported plainly), and an
 * edit nothing checked stays unverified.
 */

let server: ScriptedServer | undefined;
let project: TempProject | undefined;

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  server = project = undefined;
});

const edit = (value: string): ScriptedTurn => ({
  toolCalls: [
    {
      name: "edit_file",
      args: { path: "src/a.js", old_str: "export const a = 1;", new_str: `export const a = ${value};` },
    },
  ],
});
const npmTest: ScriptedTurn = { toolCalls: [{ name: "bash", args: { command: "npm test" } }] };

async function run(script: ScriptedTurn[], args: string[] = ["--json"]) {
  project = await makeTempProject({
    "package.json": JSON.stringify({ name: "p", private: true, scripts: { test: "node test.js" } }),
    "test.js":
      'const fs = require("node:fs");\nif (fs.readFileSync("src/a.js", "utf8").includes("BROKEN")) {\n  console.error("FAIL a is broken");\n  process.exit(1);\n}\nconsole.log("ok 1 - a");\n',
    "src/a.js": "export const a = 1;\n",
  });
  server = await startScriptedServer({ script: [...script, { text: "Finished." }] });
  await project.writeConfig(profileToml("t", { provider: "openai", endpoint: server.openaiBaseUrl }));
  const cli = await runCli([...args, "--yes", "change a"], { cwd: project.dir, env: project.env, timeoutMs: 60_000 });
  const result = parseJsonLines(args.includes("--json") ? cli.stdout : "").find((e) => e.type === "result");
  return { cli, result };
}

describe("proof of completion", () => {
  it("an edit followed by a passing npm test is verified", async () => {
    const { cli, result } = await run([edit("2"), npmTest]);
    expect(cli.code).toBe(0);
    expect(result).toMatchObject({
      status: "done",
      verification: [{ file: "src/a.js", status: "verified", check: "npm test" }],
      proof: "verified",
    });
  });

  it("an edit followed by a failing npm test fails: exit 4, shown before the summary", async () => {
    const json = await run([edit('"BROKEN"'), npmTest]);
    expect(json.cli.code).toBe(4);
    expect(json.result).toMatchObject({
      status: "done",
      verification: [{ file: "src/a.js", status: "failed", check: "npm test" }],
      proof: "failed",
    });
    await server?.close();
    await project?.cleanup();

    const plain = await run([edit('"BROKEN"'), npmTest], []);
    expect(plain.cli.code).toBe(4);
    expect(plain.cli.stderr).toContain("✗ src/a.js  failed: npm test");
    expect(plain.cli.stderr).toContain("parecode: done, but a check failed after the last edit");
    expect(plain.cli.stderr).toMatch(/done \(checks failed\) · /);
  });

  it("an edit nothing checked is unverified, and a check run before the edit does not count", async () => {
    const { cli, result } = await run([npmTest, edit("3")]);
    expect(cli.code).toBe(0);
    expect(result).toMatchObject({
      verification: [{ file: "src/a.js", status: "unverified" }],
      proof: "unverified",
    });
  });
});
