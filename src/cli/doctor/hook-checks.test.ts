import { describe, expect, it } from "vitest";
import { commandWord } from "./hook-checks.js";

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
