import { describe, expect, it } from "vitest";
import { commandWord, hookChecks } from "./hook-checks.js";

describe("commandWord", () => {
  it.each([
    ["npm run lint", "npm"],
    ["  eslint --fix .", "eslint"],
    ["CI=1 NODE_ENV='test x' vitest run", "vitest"],
    ['"./my tools/check.sh" --all', "./my tools/check.sh"],
    ["./scripts/lint.sh&&echo ok", "./scripts/lint.sh"],
    ["cargo fmt;cargo clippy", "cargo"],
    ["(cd web && npm test)", "("],
    ["", undefined],
    ["   ", undefined],
  ])("%j starts %j", (command, word) => {
    expect(commandWord(command)).toBe(word);
  });
});

describe("hookChecks", () => {
  const ctx = (raw: Record<string, unknown>) => ({
    cwd: "/",
    env: { PATH: process.env.PATH, HOME: "/nonexistent" },
    network: false,
    config: { path: "/nonexistent/config.toml", exists: true, raw },
    signal: new AbortController().signal,
  });

  it("reads the top-level [hooks] too, with the runtime's parser: timeout is a setting, not an event", async () => {
    const [result] = await hookChecks(
      ctx({
        profiles: { local: { endpoint: "http://x", model: "m", hooks: { on_edit: ["git status"], timeout: 60 } } },
        hooks: { on_task_done: ["definitely-missing-linter --all"] },
      }),
    );
    expect(result).toMatchObject({
      status: "fail",
      message:
        'hook command not found: definitely-missing-linter is not on PATH (in "definitely-missing-linter --all")',
      fix: "Install definitely-missing-linter, or change the command under [hooks] in ~/config.toml.",
    });
    expect(result.details?.found).toEqual([{ profile: "local", event: "on_edit", command: "git status" }]);
  });
});
