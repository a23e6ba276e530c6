import { describe, expect, it } from "vitest";
import { UsageError } from "../core/errors.js";
import { parseCli, takeDirectory } from "./args.js";

describe("parseCli", () => {
  it("joins positional words into one task and reads the flags", () => {
    expect(parseCli(["--profile", "claude", "-v", "fix", "the", "bug"])).toEqual({
      kind: "task",
      task: "fix the bug",
      quick: false,
      profile: "claude",
      model: undefined,
      json: false,
      outputFormat: "text",
      inputFormat: "text",
      print: false,
      verbose: true,
      permissionMode: undefined,
      yes: false,
      trustProject: false,
      sandbox: undefined,
      resume: undefined,
      maxTurns: undefined,
      maxBudgetUsd: undefined,
      timeoutSeconds: undefined,
      outputSchema: undefined,
      appendSystemPrompt: undefined,
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
    expect(parseCli(["-c", "more"])).toMatchObject({ task: "more", resume: { latest: true } });
    expect(parseCli(["--resume", "2026", "more"])).toMatchObject({ resume: { id: "2026" } });
    expect(() => parseCli(["-c", "--resume", "x", "t"])).toThrow(/contradict/);
  });

  it("parses parecode plan with a task or --resume, and --quick for a task", () => {
    expect(parseCli(["plan", "add", "auth", "--yes"])).toMatchObject({
      kind: "plan",
      task: "add auth",
      resume: false,
      yes: true,
    });
    expect(parseCli(["plan", "--resume", "--profile", "p"])).toMatchObject({
      kind: "plan",
      task: undefined,
      resume: true,
      profile: "p",
    });
    expect(() => parseCli(["plan"])).toThrow(
      'No task to plan.\nUsage: parecode plan "task" [--yes] | parecode plan --resume [--yes]',
    );
    expect(() => parseCli(["plan", "--resume", "x"])).toThrow(/--resume continues the saved plan and takes no task/);
    expect(() => parseCli(["plan", "--quick", "x"])).toThrow(UsageError);
    expect(parseCli(["--quick", "fix", "typo"])).toMatchObject({ kind: "task", task: "fix typo", quick: true });
    expect(parseCli(["plan the migration"])).toMatchObject({ kind: "task", task: "plan the migration" });
    // Flags quick mode could only ignore are refused instead.
    expect(() => parseCli(["--quick", "--output-schema", "s.json", "x"])).toThrow(
      /cannot ask again for a --output-schema/,
    );
    expect(() => parseCli(["--quick", "-c", "x"])).toThrow(/without history, so -c\/--resume would be ignored/);
    expect(() => parseCli(["--quick", "--resume", "abc", "x"])).toThrow(UsageError);
  });

  it("leaves the task undefined when none is given so stdin can supply it", () => {
    expect(parseCli(["--json"])).toMatchObject({ kind: "task", task: undefined, json: true, outputFormat: "events" });
  });

  it("recognises --version, --help, help, profiles [list], models and completion, and leaves other words to the task", () => {
    expect(parseCli(["--version"])).toEqual({ kind: "version" });
    expect(parseCli(["-h"])).toEqual({ kind: "help" });
    expect(parseCli(["help"])).toEqual({ kind: "help" });
    expect(parseCli(["help", "undo"])).toEqual({ kind: "help", topic: "undo" });
    expect(parseCli(["profiles"])).toEqual({ kind: "profiles" });
    expect(parseCli(["profiles", "list"])).toEqual({ kind: "profiles" });
    expect(parseCli(["models", "--profile", "work"])).toEqual({ kind: "models", profile: "work", json: false });
    expect(parseCli(["completion", "zsh"])).toEqual({ kind: "completion", shell: "zsh" });
    expect(() => parseCli(["completion"])).toThrow(/bash\|zsh\|fish/);
    // A word that names no command, or a command word in a longer sentence, is a task.
    expect(parseCli(["help", "me", "fix", "it"])).toMatchObject({ kind: "task", task: "help me fix it" });
    expect(parseCli(["profiles", "are", "slow"])).toMatchObject({ kind: "task", task: "profiles are slow" });
    expect(parseCli(["refactor", "the", "parser"])).toMatchObject({ kind: "task", task: "refactor the parser" });
  });

  it("reads the headless flags under the names claude -p and codex exec use", () => {
    expect(
      parseCli([
        "-p",
        "--output-format",
        "stream-json",
        "--input-format",
        "stream-json",
        "--max-turns",
        "5",
        "--max-budget-usd",
        "0.25",
        "--timeout",
        "90",
        "--output-schema",
        "s.json",
        "--append-system-prompt",
        "Be brief.",
        "go",
      ]),
    ).toMatchObject({
      kind: "task",
      task: "go",
      print: true,
      outputFormat: "stream-json",
      inputFormat: "stream-json",
      maxTurns: 5,
      maxBudgetUsd: 0.25,
      timeoutSeconds: 90,
      outputSchema: "s.json",
      appendSystemPrompt: "Be brief.",
    });
    expect(parseCli(["--output-format", "json", "t"])).toMatchObject({ outputFormat: "json", json: false });
    expect(() => parseCli(["--output-format", "xml", "t"])).toThrow(/text, json, stream-json/);
    expect(() => parseCli(["--json", "--output-format", "json", "t"])).toThrow(/contradict/);
    expect(() => parseCli(["--input-format", "stream-json", "t"])).toThrow(/needs --output-format stream-json/);
    expect(() => parseCli(["--max-turns", "0", "t"])).toThrow(/--max-turns must be a whole number from 1/);
    expect(() => parseCli(["--max-budget-usd", "free", "t"])).toThrow(/--max-budget-usd must be a number/);
    expect(() => parseCli(["--timeout", "0", "t"])).toThrow(/--timeout must be a number greater than 0/);
  });

  it("reads --mechanical with its instruction and takes -C DIR out wherever it stands", () => {
    expect(parseCli(["--mechanical", "--yes", "replace", "a", "with", "b"])).toEqual({
      kind: "mechanical",
      instruction: "replace a with b",
      yes: true,
      outputFormat: "text",
    });
    expect(() => parseCli(["--mechanical"])).toThrow(/Usage: parecode --mechanical/);
    expect(parseCli(["--mechanical", "--json", "rename", "a", "to", "b"])).toMatchObject({ outputFormat: "events" });
    // Nothing else has a say in a mechanical edit: such a flag is a mistake, not silently dropped.
    expect(() => parseCli(["--mechanical", "--permission-mode", "read-only", "--yes", "replace a with b"])).toThrow(
      "--mechanical takes only --yes and an output format (--json, --output-format); leave out --permission-mode.",
    );
    expect(() => parseCli(["--mechanical", "--quick", "--model", "m", "replace a with b"])).toThrow(
      /leave out --quick, --model\.$/,
    );
    expect(takeDirectory(["-C", "web", "doctor", "--json"])).toEqual({ dir: "web", rest: ["doctor", "--json"] });
    expect(takeDirectory(["--json", "--cd=web", "task"])).toEqual({ dir: "web", rest: ["--json", "task"] });
    expect(takeDirectory(["task", "--", "-C", "x"])).toEqual({ dir: undefined, rest: ["task", "--", "-C", "x"] });
    expect(() => takeDirectory(["-C"])).toThrow(/needs a directory/);
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

describe("parseCli sessions, diff and undo", () => {
  it("parses each sessions action and rejects incomplete ones with the usage line", () => {
    expect(parseCli(["sessions"])).toEqual({ kind: "sessions", action: "list", all: false });
    expect(parseCli(["sessions", "list", "--all"])).toEqual({ kind: "sessions", action: "list", all: true });
    expect(parseCli(["sessions", "show", "k3f"])).toMatchObject({ kind: "sessions", action: "show", id: "k3f" });
    expect(parseCli(["sessions", "export", "k3f", "--output", "s.md"])).toMatchObject({
      action: "export",
      id: "k3f",
      output: "s.md",
    });
    expect(parseCli(["sessions", "rename", "k3f", "parser", "work"])).toEqual({
      kind: "sessions",
      action: "rename",
      id: "k3f",
      name: "parser work",
    });
    expect(parseCli(["sessions", "delete", "k3f", "--yes"])).toMatchObject({ action: "delete", yes: true });
    expect(() => parseCli(["sessions", "delete"])).toThrow(/Usage: parecode sessions list/);
    expect(() => parseCli(["sessions", "rename", "k3f"])).toThrow(UsageError);
    expect(() => parseCli(["sessions", "frobnicate", "x"])).toThrow(UsageError);
  });

  it("parses diff and undo with an optional checkpoint, and tells how to run a task that starts with the word", () => {
    expect(parseCli(["diff"])).toEqual({ kind: "diff", target: undefined });
    expect(parseCli(["diff", "2"])).toEqual({ kind: "diff", target: "2" });
    expect(parseCli(["undo"])).toEqual({ kind: "undo", target: undefined, yes: false, list: false });
    expect(parseCli(["undo", "3", "--yes"])).toEqual({ kind: "undo", target: "3", yes: true, list: false });
    expect(parseCli(["undo", "--list"])).toMatchObject({ kind: "undo", list: true });
    expect(() => parseCli(["diff", "the", "two", "files"])).toThrow(/quote it: parecode "diff …"/);
    expect(() => parseCli(["undo", "my", "change"])).toThrow(/quote it/);
    // A quoted task is one argument and stays a task.
    expect(parseCli(["undo the last rename"])).toMatchObject({ kind: "task", task: "undo the last rename" });
  });
});

describe("parseCli stats", () => {
  it("defaults to the last 7 days and reads --days and --json", () => {
    expect(parseCli(["stats"])).toEqual({ kind: "stats", days: 7, json: false });
    expect(parseCli(["stats", "--days", "30", "--json"])).toEqual({ kind: "stats", days: 30, json: true });
    expect(() => parseCli(["stats", "--days", "0"])).toThrow(/--days must be a whole number/);
  });
});
