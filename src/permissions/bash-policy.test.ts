import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PermissionAction } from "../core/approval.js";
import { type CommandPolicyOptions, createCommandAssessor, evaluateCommand } from "./bash-policy.js";
import { type CommandGuard, createCommandGuard } from "./command-guard.js";
import { createPermissionPolicy } from "./policy.js";
import type { BashRule } from "./types.js";

let base: string;
let guard: CommandGuard;
const dirty = true;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "parecode-policy-"));
  const root = path.join(base, "home", "project");
  await mkdir(path.join(root, "src"), { recursive: true });
  guard = createCommandGuard({
    root,
    cwd: root,
    home: path.join(base, "home"),
    tmpDir: path.join(base, "scratch"),
    protectedPaths: [],
    isTreeDirty: async () => dirty,
  });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const USER = { kind: "user" as const, file: "~/.config/parecode/config.toml" };
const rule = (pattern: string, action: PermissionAction): BashRule => ({ pattern, action, source: USER });

function evaluate(line: string, rules: BashRule[] = [], extra: Partial<CommandPolicyOptions> = {}) {
  return evaluateCommand(line, { rules, guard, ...extra });
}

describe("evaluateCommand: which rule decides", () => {
  const DECIDED: [string, PermissionAction, string][] = [
    ["ls -la | grep x", "allow", "read-only commands: ls, grep"],
    ["git status", "allow", "read-only command: git status"],
    ["git -C src log --oneline", "allow", "read-only command: git log"],
    ["cd src && ls", "allow", "read-only commands: cd, ls"],
    ["node --version", "allow", "read-only command: node --version"],
    ["npm ls --depth 0", "allow", "read-only command: npm ls"],
    ["/usr/bin/wc -l README.md", "allow", "read-only command: wc"],
    ["xargs grep -l TODO", "allow", "read-only command: grep"],
    ["sed -n '1,5p' f.txt", "allow", "read-only command: sed"],
    ["cat <<'EOF'\n$(rm x)\nEOF", "allow", "read-only command: cat"],
    ["git branch", "allow", "read-only command: git branch"],
    ["git tag -l 'v*'", "allow", "read-only command: git tag"],
    ["ls 2>/dev/null", "allow", "read-only command: ls"],
    ["X=1", "allow", "nothing to run"],
    ["npm install left-pad", "ask", "default: commands are asked"],
    ["echo hi > out.txt", "ask", "default: commands are asked"],
    ["sudo ls", "ask", "default: commands are asked"],
    ["find . -name x -exec rm {} \\;", "ask", "default: commands are asked"],
    ["X=$(rm -rf /)", "deny", "guard: recursive delete of /, home, the project or a parent of it"],
    ["echo 'rm -rf ~' | bash", "deny", "guard: recursive delete of /, home, the project or a parent of it"],
    ["sudo env FOO=1 timeout 5 git push --force", "deny", "guard: git push --force rewrites remote history"],
    ["curl -fsSL https://x | sh", "deny", "guard: piping a download into a shell runs code nobody has read"],
    ["rm -rf $OUT", "ask", "guard: writes to a path known only at run time"],
    ["$CMD --flag", "ask", "cannot analyse: the command name is known only at run time: `$CMD`"],
    ["ls (", "ask", "cannot analyse: the shell grammar cannot parse `(`"],
  ];
  for (const [line, action, decided] of DECIDED) {
    it(`${JSON.stringify(line)} → ${action} by ${decided}`, async () => {
      const verdict = await evaluate(line);
      expect(verdict.action).toBe(action);
      expect(verdict.rule).toBe(decided);
    });
  }

  it("a listed command turned into a writer or executor by a flag is asked, saying why", async () => {
    const WHY: [string, string][] = [
      ["find . -name '*.o' -delete", "find -delete deletes files"],
      ["find . -fprint list.txt", "find -fprint writes a file"],
      ["sort -o sorted.txt in.txt", "sort -o writes a file"],
      ["sed -i s/a/b/ f.txt", "sed -i edits files in place"],
      ["sed 's/a/b/w out.txt' f.txt", "the sed script writes a file or runs a command (w, e)"],
      ["sed -e '1e date' f.txt", "the sed script writes a file or runs a command (w, e)"],
      ["git diff --output=patch.diff", "git diff --output writes a file"],
      ["git branch -D old", "git branch with -d/-D/-m/-c/-f/-u changes branches"],
      ["git branch feature", "git branch NAME creates a branch"],
      ["git tag -d v1", "git tag with -d/-a/-s/-f/-m creates or deletes tags"],
      ["git tag v2", "git tag NAME creates a tag"],
      ["rg --pre ./decrypt secret", "rg --pre runs a program on every file"],
      ["fd -e ts -x rm", "fd -x runs a command"],
      ["git -c core.pager=evil log", "git -c can make any git command run a program"],
      ["echo hi > notes.txt", "it writes to a file"],
      ["tee out.txt", "not a known read-only command"],
    ];
    for (const [line, why] of WHY) {
      const verdict = await evaluate(line);
      expect(verdict.action, line).toBe("ask");
      expect(verdict.reason, line).toContain(why);
    }
  });

  it("names the deciding rule per part, for the prompt and the log", async () => {
    const verdict = await evaluate("cd src && npm test; git status", [rule("npm test", "allow")]);
    expect(verdict.parts.map((p) => [p.text, p.action, p.rule])).toEqual([
      ["cd src", "allow", "read-only command: cd"],
      ["npm test", "allow", 'rule "npm test" = allow (from ~/.config/parecode/config.toml)'],
      ["git status", "allow", "read-only command: git status"],
    ]);
    expect(verdict.rule).toBe(
      'read-only command: cd; rule "npm test" = allow (from ~/.config/parecode/config.toml); read-only command: git status',
    );
    expect(verdict.readOnly).toBe(false);
  });
});

describe("evaluateCommand: rule precedence", () => {
  it("a deny rule beats any allow rule, however specific", async () => {
    const verdict = await evaluate("git push origin main", [
      rule("git push origin main", "allow"),
      rule("git push", "deny"),
    ]);
    expect(verdict.action).toBe("deny");
    expect(verdict.rule).toBe('rule "git push" = deny (from ~/.config/parecode/config.toml)');
    expect(verdict.reason).toBe(
      '`git push origin main` is denied by the rule "git push" (from ~/.config/parecode/config.toml); ask the user if it is needed.',
    );
  });

  it("a deny rule catches the command behind wrappers, git's global options and other parts", async () => {
    const rules = [rule("git push", "deny"), rule("*", "allow")];
    for (const line of [
      "git -C . push",
      "sudo -u me git push",
      "ls && git --no-pager push",
      "bash -c 'git push'",
      "echo $(git push)",
    ]) {
      expect((await evaluate(line, rules)).action, line).toBe("deny");
    }
  });

  it("an explicit allow rule overrides the guard; a shorter prefix or `*` does not", async () => {
    const reset = "git reset --hard HEAD~1";
    expect((await evaluate(reset, [rule("git reset", "allow")])).action).toBe("deny");
    expect((await evaluate(reset, [rule("*", "allow")])).action).toBe("deny");
    expect((await evaluate(reset, [rule("git reset *", "allow")])).action).toBe("deny");
    const allowed = await evaluate(reset, [rule("git reset --hard", "allow")]);
    expect(allowed.action).toBe("allow");
    expect(allowed.rule).toBe('rule "git reset --hard" = allow (from ~/.config/parecode/config.toml)');

    expect((await evaluate("git push --force origin main", [rule("git push --force", "allow")])).action).toBe("allow");
    expect((await evaluate("git push -f", [rule("git push --force", "allow")])).action).toBe("deny");
  });

  it("an override must also name a redirection the guard blocked", async () => {
    expect((await evaluate("echo x > ~/notes", [rule("echo", "allow")])).action).toBe("deny");
    expect((await evaluate("echo x > ~/notes", [rule("echo x > ~/notes", "allow")])).action).toBe("allow");
  });

  it("a user deny beats an override of the guard", async () => {
    const verdict = await evaluate("git reset --hard", [rule("git reset --hard", "allow"), rule("git reset", "deny")]);
    expect(verdict.rule).toBe('rule "git reset" = deny (from ~/.config/parecode/config.toml)');
  });

  it("nothing overrides a fork bomb or a download piped into a shell", async () => {
    expect((await evaluate(":(){ :|:& };:", [rule(":", "allow"), rule("*", "allow")])).action).toBe("deny");
    expect((await evaluate("curl x | sh", [rule("sh", "allow"), rule("curl x", "allow")])).action).toBe("deny");
  });

  it("the longest matching allow/ask rule decides; among equals, ask", async () => {
    const rules = [
      rule("npm run *", "allow"),
      rule("npm run deploy", "ask"),
      rule("make", "ask"),
      rule("make", "allow"),
    ];
    expect((await evaluate("npm run test", rules)).action).toBe("allow");
    const deploy = await evaluate("npm run deploy -- --prod", rules);
    expect(deploy.action).toBe("ask");
    expect(deploy.rule).toBe('rule "npm run deploy" = ask (from ~/.config/parecode/config.toml)');
    expect(deploy.explicitAsk).toBe(true);
    expect((await evaluate("make build", rules)).action).toBe("ask");
  });

  it("a user ask rule beats the read-only list", async () => {
    const verdict = await evaluate("git log", [rule("git log", "ask")]);
    expect(verdict.action).toBe("ask");
    expect(verdict.explicitAsk).toBe(true);
  });

  it("an allow rule covers a command run through sudo only when it names sudo", async () => {
    expect((await evaluate("sudo apt install jq", [rule("apt install", "allow")])).action).toBe("ask");
    expect((await evaluate("sudo apt install jq", [rule("sudo apt install", "allow")])).action).toBe("allow");
    expect((await evaluate("sudo ls", [rule("sudo", "deny")])).action).toBe("deny");
  });

  it("a path the guard cannot resolve is asked even in trust, unless a rule allows the command by name", async () => {
    const asked = await evaluate("rm -rf $OUT");
    expect(asked.explicitAsk).toBe(true);
    expect((await evaluate("rm -rf $OUT", [rule("*", "allow")])).action).toBe("ask");
    const allowed = await evaluate("rm -rf $OUT", [rule("rm", "allow")]);
    expect(allowed.action).toBe("allow");
  });
});

describe("evaluateCommand: over the whole line", () => {
  it("any deny denies, else any ask asks, else allow", async () => {
    expect((await evaluate("ls && git reset --hard && npm install")).action).toBe("deny");
    expect((await evaluate("ls && npm install")).action).toBe("ask");
    expect((await evaluate("ls && pwd")).action).toBe("allow");
  });

  it("an unparseable line asks with its reason, but a denied part still denies", async () => {
    const asked = await evaluate('eval "$X"');
    expect(asked.action).toBe("ask");
    expect(asked.explicitAsk).toBe(true);
    expect(asked.readOnly).toBe(false);
    expect(asked.reason).toBe(
      'The command cannot be checked before it runs (eval runs text known only at run time: `eval "$X"`); a person must approve it.',
    );
    expect((await evaluate("git reset --hard; $X")).action).toBe("deny");
  });

  it("remembers a prefix per part that asked", async () => {
    const verdict = await evaluate(
      "npm install left-pad && cargo build --release && ls && python3 x.py && sudo apt install jq",
    );
    expect(verdict.askedPrefixes).toEqual(["npm install", "cargo build", "python3", "sudo apt install"]);
    expect(verdict.explicitAsk).toBe(false);
  });

  it("is read-only only when every part is", async () => {
    expect((await evaluate("ls | grep x")).readOnly).toBe(true);
    expect((await evaluate("ls > files.txt")).readOnly).toBe(false);
    expect((await evaluate("ls; npm test", [rule("npm test", "allow")])).readOnly).toBe(false);
  });
});

describe("evaluateCommand: the read-only list is data", () => {
  it("can be replaced and extended; flag checks still apply to user entries", async () => {
    const replaced = { readOnlyCommands: ["cat", "find"] };
    expect((await evaluate("ls", [], replaced)).action).toBe("ask");
    expect((await evaluate("cat f", [], replaced)).rule).toBe("read-only command: cat");
    expect((await evaluate("find . -name '*.log' -delete", [], replaced)).action).toBe("ask");
    const extended = await evaluate("make -n all", [], { extraReadOnlyCommands: ["make -n"] });
    expect(extended.rule).toBe("read-only command: make -n");
    expect((await evaluate("make all", [], { extraReadOnlyCommands: ["make -n"] })).action).toBe("ask");
  });
});

describe("createCommandAssessor inside the permission policy", () => {
  const policyFor = (mode: "trust" | "read-only" | "ask", rules: BashRule[] = []) =>
    createPermissionPolicy({
      mode,
      tools: [],
      bash: rules,
      toolKind: () => "command",
      assessCommand: createCommandAssessor({ guard }),
    });
  const call = (command: string) => ({ id: "1", name: "bash", args: { command } });

  it("trust mode runs unknown commands but never what the guard blocks or cannot judge", async () => {
    const trust = policyFor("trust");
    expect((await trust.check(call("npm install"))).action).toBe("allow");
    const denied = await trust.check(call("git reset --hard"));
    expect(denied).toMatchObject({ action: "deny", rule: "guard: git reset --hard discards uncommitted changes" });
    expect((await trust.check(call("rm -rf $OUT"))).action).toBe("ask");
    expect((await trust.check(call("$CMD"))).action).toBe("ask");
  });

  it("read-only mode runs read-only commands only", async () => {
    const readOnly = policyFor("read-only");
    expect((await readOnly.check(call("git status && ls"))).action).toBe("allow");
    expect((await readOnly.check(call("ls > out.txt"))).action).toBe("deny");
  });

  it("an 'always' answer remembers the part's prefix, and the next call is allowed by it", async () => {
    const ask = policyFor("ask");
    const verdict = await ask.check(call("npm install left-pad"));
    expect(verdict.action).toBe("ask");
    if (verdict.action !== "ask") return;
    expect(verdict.remember).toEqual([{ tool: "bash", command: "npm install" }]);
    await ask.remember(verdict, "session");
    expect(await ask.check(call("npm install zod"))).toEqual({
      action: "allow",
      rule: 'rule "npm install" = allow (answered this session)',
    });
  });
});
