import { describe, expect, it } from "vitest";
import { isCheckCommand } from "./check-commands.js";

describe("isCheckCommand", () => {
  it.each([
    "npm test",
    "npm run build",
    "npm run test:unit -- --run",
    "CI=1 npm t",
    "pnpm typecheck",
    "yarn lint",
    "npx tsc --noEmit",
    "npx --no-install vitest run src/a.test.ts",
    "node_modules/.bin/tsc -p .",
    "cargo test -q",
    "cargo clippy --all-targets",
    "go test ./...",
    "go build ./...",
    "pytest -x tests/test_a.py",
    "python -m pytest",
    "uv run pytest",
    "ruff check .",
    "make test",
    "./gradlew test",
    "mvn -q verify",
    "cd web && npm test",
    "npm test && echo ok",
    "set -o pipefail; npm test | tail -20",
  ])("%j is a check", (command) => {
    expect(isCheckCommand(command)).toBe(true);
  });

  it.each([
    "ls -la",
    "cat package.json",
    "npm install",
    "npm run dev",
    "cargo run",
    "go run .",
    "git status",
    "grep -r test src",
    "echo npm test",
    "npm test | tail -5",
    "npm test; echo done",
    "npm test || true",
    "python script.py",
    "make",
  ])("%j is not (or its exit code does not tell)", (command) => {
    expect(isCheckCommand(command)).toBe(false);
  });
});
