import { describe, expect, it } from "vitest";
import { UsageError } from "../core/errors.js";
import { parseCli } from "./args.js";

describe("parseCli", () => {
  it("joins positional words into one task and reads the flags", () => {
    expect(parseCli(["--profile", "claude", "-v", "fix", "the", "bug"])).toEqual({
      kind: "task",
      task: "fix the bug",
      profile: "claude",
      model: undefined,
      json: false,
      verbose: true,
      permissionMode: undefined,
      yes: false,
      trustProject: false,
      sandbox: undefined,
    });
  });

  it("reads the permission flags and refuses contradictions", () => {
    expect(parseCli(["--permission-mode", "accept-edits", "task"])).toMatchObject({ permissionMode: "accept-edits" });
    expect(parseCli(["--trust", "-y", "--trust-project", "--no-sandbox", "task"])).toMatchObject({
      permissionMode: "trust",
      yes: true,
      trustProject: true,
      sandbox: "off",
    });
    expect(() => parseCli(["--permission-mode", "yolo", "t"])).toThrow(/ask, accept-edits, read-only, trust/);
    expect(() => parseCli(["--trust", "--permission-mode", "ask", "t"])).toThrow(UsageError);
    expect(() => parseCli(["--sandbox", "--no-sandbox", "t"])).toThrow(/contradict/);
  });

  it("leaves the task undefined when none is given so stdin can supply it", () => {
    expect(parseCli(["--json"])).toMatchObject({ kind: "task", task: undefined, json: true });
  });

  it("recognises --version, --help and the profiles command", () => {
    expect(parseCli(["--version"])).toEqual({ kind: "version" });
    expect(parseCli(["-h"])).toEqual({ kind: "help" });
    expect(parseCli(["profiles"])).toEqual({ kind: "profiles", profile: undefined });
  });

  it("parses parecode tool NAME --json ARGS with --json taking a value", () => {
    expect(parseCli(["tool", "read_file", "--json", '{"path":"a.ts"}'])).toEqual({
      kind: "tool",
      name: "read_file",
      argsJson: '{"path":"a.ts"}',
    });
  });

  it("rejects unknown flags with a usage error that points at --help", () => {
    expect(() => parseCli(["--nope"])).toThrow(UsageError);
    expect(() => parseCli(["--nope"])).toThrow(/--help/);
    expect(() => parseCli(["tool"])).toThrow(/Usage: parecode tool NAME/);
  });
});

describe("parseCli init", () => {
  it("parses parecode init and its --force flag", () => {
    expect(parseCli(["init"])).toEqual({ kind: "init", force: false });
    expect(parseCli(["init", "--force"])).toEqual({ kind: "init", force: true });
    expect(() => parseCli(["init", "--nope"])).toThrow(/Usage: parecode init/);
  });
});

describe("parseCli stats", () => {
  it("defaults to the last 7 days and reads --days and --json", () => {
    expect(parseCli(["stats"])).toEqual({ kind: "stats", days: 7, json: false });
    expect(parseCli(["stats", "--days", "30", "--json"])).toEqual({ kind: "stats", days: 30, json: true });
    expect(() => parseCli(["stats", "--days", "0"])).toThrow(/--days must be a whole number/);
  });
});
