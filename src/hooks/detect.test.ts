import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseHooksTable } from "./config.js";
import { detectProjectHooks } from "./detect.js";

let base: string;
let bin: string;

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), "parecode-detect-"));
  bin = path.join(base, "bin");
  mkdirSync(bin);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Programs "installed" on a PATH that holds nothing else. */
function installed(...programs: string[]): NodeJS.ProcessEnv {
  for (const program of programs) {
    const file = path.join(bin, program);
    writeFileSync(file, "#!/bin/sh\nexit 0\n");
    chmodSync(file, 0o755);
  }
  return { PATH: bin };
}

function project(files: Record<string, string>, at = "project"): string {
  const dir = path.join(base, at);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
    if (name.endsWith("/.bin/tsc")) chmodSync(path.join(dir, name), 0o755);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("detectProjectHooks", () => {
  it("Cargo.toml: cargo check on every edit, the tests' tail at the end", () => {
    const found = detectProjectHooks(project({ "Cargo.toml": "[package]\n" }), installed("cargo"));
    expect(found.found).toEqual(["Cargo.toml"]);
    expect(found.hooks.on_edit).toEqual(["cargo check -q"]);
    expect(found.hooks.on_task_done).toEqual(["cargo test -q 2>&1 | tail -5"]);
  });

  it("proposes nothing whose program is not installed", () => {
    const dir = project({ "Cargo.toml": "", "go.mod": "module x\n", "pyproject.toml": "" });
    expect(detectProjectHooks(dir, installed()).found).toEqual([]);
  });

  it("go.mod: go build; pyproject.toml or setup.py with ruff on PATH: ruff check", () => {
    expect(detectProjectHooks(project({ "go.mod": "module x\n" }), installed("go")).hooks.on_edit).toEqual([
      "go build ./...",
    ]);
    const python = detectProjectHooks(project({ "setup.py": "" }, "py"), installed("ruff"));
    expect(python).toMatchObject({ found: ["setup.py"], hooks: { on_edit: ["ruff check ."] } });
  });

  it("tsconfig.json: the project's own tsc, never a global one", () => {
    const env = installed("npm", "npx", "tsc");
    expect(detectProjectHooks(project({ "tsconfig.json": "{}" }, "bare"), env).found).toEqual([]);
    const local = project({ "tsconfig.json": "{}", "node_modules/.bin/tsc": "#!/bin/sh\n" }, "local");
    expect(detectProjectHooks(local, env).hooks.on_edit).toEqual(["node_modules/.bin/tsc --noEmit"]);
  });

  it("a workspace package finds the root's tsc through npx --no-install", () => {
    project({ "node_modules/.bin/tsc": "#!/bin/sh\n" }, "mono");
    const pkg = project({ "tsconfig.json": "{}" }, "mono/packages/web");
    expect(detectProjectHooks(pkg, installed("npx")).hooks.on_edit).toEqual(["npx --no-install tsc --noEmit"]);
  });

  it("package.json: the typecheck script on edit and lint at the end; lint alone runs on edit", () => {
    const env = installed("npm");
    const both = project({ "package.json": '{"scripts":{"typecheck":"tsc","lint":"eslint ."}}' }, "both");
    expect(detectProjectHooks(both, env).hooks).toMatchObject({
      on_edit: ["npm run typecheck"],
      on_task_done: ["npm run lint"],
    });
    const lint = project({ "package.json": '{"scripts":{"lint":"eslint ."}}' }, "lint");
    expect(detectProjectHooks(lint, env).hooks.on_edit).toEqual(["npm run lint"]);
    const none = project({ "package.json": '{"scripts":{"test":"vitest"}}' }, "none");
    expect(detectProjectHooks(none, env).found).toEqual([]);
  });
});

describe("parseHooksTable", () => {
  it("reads the commands and the timeout, and reports every mistake with its fix", () => {
    const parsed = parseHooksTable(
      { on_edit: ["tsc --noEmit", "  "], on_task_done: "npm test", on_save: ["x"], on_edits: ["y"], timeout: 2.5 },
      "profiles.local.hooks",
      "under [profiles.local] in config.toml",
    );
    expect(parsed.hooks.on_edit).toEqual(["tsc --noEmit"]);
    expect(parsed.hooks.on_task_done).toEqual([]);
    expect(parsed.timeoutSeconds).toBe(2.5);
    expect(parsed.problems).toEqual([
      {
        at: "profiles.local.hooks.on_task_done",
        problem: "profiles.local.hooks.on_task_done is not a list of commands",
        fix: 'Write it like on_task_done = ["npm run lint"] under [profiles.local] in config.toml.',
        severity: "fail",
      },
      expect.objectContaining({ at: "profiles.local.hooks.on_save", severity: "warn" }),
      expect.objectContaining({
        problem: "profiles.local.hooks.on_edits is not a hook event; did you mean on_edit?",
        severity: "warn",
      }),
    ]);
  });
});
