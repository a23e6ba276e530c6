import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNativeToolRegistry } from "../tools/index.js";
import type { BeforeTexts } from "./carry-forward.js";
import { type RunCommand, type VerifyContext, verifyStep } from "./verify.js";

let root = "";
afterEach(() => rm(root, { recursive: true, force: true }));

async function project(files: Record<string, string>): Promise<void> {
  root = await mkdtemp(path.join(tmpdir(), "parecode-verify-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
}

/** Commands run by the real bash tool, as the runtime runs them (without the policy in front). */
function bashRunner(commands: string[] = []): RunCommand {
  const tools = createNativeToolRegistry({ root });
  return async (command, signal) => {
    commands.push(command);
    const result = await tools.execute(
      { id: "v", name: "bash", args: { command }, rawArgs: "" },
      { signal, callId: "v", turn: 0 },
    );
    const code = /^exit (\d+)/.exec(result.content);
    return { ok: !result.isError, exitCode: code ? Number(code[1]) : null, output: result.content };
  };
}

function context(files: string[], before: BeforeTexts = new Map(), runCommand = bashRunner()): VerifyContext {
  return { root, files, before, runCommand, signal: new AbortController().signal };
}

describe("verifyStep", () => {
  it("none always passes", async () => {
    await project({});
    expect(await verifyStep({ kind: "none" }, context([]))).toEqual({ ok: true, message: "" });
  });

  it("file_changed compares the file with its text before the step", async () => {
    await project({ "a.ts": "new\n", "b.ts": "same\n" });
    const before = new Map<string, string | null>([
      ["a.ts", "old\n"],
      ["b.ts", "same\n"],
    ]);
    expect(await verifyStep({ kind: "file_changed" }, context(["b.ts", "a.ts"], before))).toEqual({
      ok: true,
      message: "a.ts changed",
    });
    expect(await verifyStep({ kind: "file_changed", path: "b.ts" }, context(["a.ts"], before))).toEqual({
      ok: false,
      message: "b.ts did not change",
    });
    const created = new Map<string, string | null>([["c.ts", null]]);
    expect((await verifyStep({ kind: "file_changed", path: "c.ts" }, context([], created))).ok).toBe(false);
  });

  it("pattern_absent searches the step's files, or the path it names, and quotes what is left", async () => {
    await project({
      "src/a.ts": "log();\nconsole.log(1);\n",
      "src/b.ts": "ok();\n",
      "other/c.ts": "console.log(2);\n",
    });
    const gone = await verifyStep({ kind: "pattern_absent", pattern: "console\\.log" }, context(["src/b.ts"]));
    expect(gone).toEqual({ ok: true, message: "no /console\\.log/ left in src/b.ts" });
    const left = await verifyStep({ kind: "pattern_absent", pattern: "console.log(", path: "src" }, context([]));
    expect(left).toEqual({
      ok: false,
      message: '"console.log(" still found in src: src/a.ts:2: console.log(1);',
    });
  });

  it("command_success runs the command and quotes the end of its output when it fails", async () => {
    await project({});
    expect(await verifyStep({ kind: "command_success", command: "true" }, context([]))).toEqual({
      ok: true,
      message: "`true` passed",
    });
    const failed = await verifyStep({ kind: "command_success", command: "echo broken >&2; exit 3" }, context([]));
    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(/^`echo broken >&2; exit 3` exited 3:\n[\s\S]*broken/);
    const refused = await verifyStep(
      { kind: "command_success", command: "make" },
      context([], new Map(), async () => ({ ok: false, exitCode: null, output: "", refused: "denied by a rule" })),
    );
    expect(refused).toEqual({ ok: false, message: "`make` was not run: denied by a rule" });
  });

  it("build_success runs the project's own check, and says so when there is none", async () => {
    await project({ "package.json": JSON.stringify({ scripts: { build: "exit 0", typecheck: "exit 1" } }) });
    const commands: string[] = [];
    const result = await verifyStep(
      { kind: "build_success" },
      context([], new Map(), async (command) => {
        commands.push(command);
        return { ok: false, exitCode: 1, output: "exit 1\nsrc/a.ts(1,1): error TS1005" };
      }),
    );
    expect(commands).toEqual(["npm run --silent typecheck"]);
    expect(result).toEqual({
      ok: false,
      message: "`npm run --silent typecheck` exited 1:\nexit 1\nsrc/a.ts(1,1): error TS1005",
    });
    await rm(path.join(root, "package.json"));
    expect(await verifyStep({ kind: "build_success" }, context([]))).toEqual({
      ok: true,
      message:
        "build not checked: no build command found (looked for a package.json typecheck/build script, tsconfig.json, Cargo.toml, go.mod or pyproject.toml)",
    });
  });
});
