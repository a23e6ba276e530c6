import { describe, expect, it } from "vitest";
import type { PermissionMode } from "../core/approval.js";
import { type CommandAssessment, createPermissionPolicy, type PolicyVerdict } from "./policy.js";
import type { BashRule, ToolKind, ToolRule } from "./types.js";

const KINDS: Record<string, ToolKind> = {
  read_file: "read",
  write_file: "edit",
  edit_file: "edit",
  bash: "command",
  github__create_issue: "mcp",
};

/** A command assessor by table, standing in for the shell grammar (tested on its own). */
function assess(command: string, rules: readonly BashRule[]): Promise<CommandAssessment> {
  const first = command.split(" ")[0];
  const base = { reason: "", readOnly: false, explicitAsk: false, askedPrefixes: [first] };
  const rule = rules.find((r) => command.startsWith(r.pattern));
  if (rule)
    return Promise.resolve({
      ...base,
      action: rule.action,
      rule: `rule ${rule.pattern}`,
      explicitAsk: rule.action === "ask",
    });
  if (command.startsWith("git reset --hard")) {
    return Promise.resolve({
      ...base,
      action: "deny",
      rule: "guard: git reset --hard",
      reason: "blocked: discards work",
    });
  }
  if (first === "ls")
    return Promise.resolve({ ...base, action: "allow", rule: "read-only command: ls", readOnly: true });
  return Promise.resolve({ ...base, action: "ask", rule: "default: commands are asked" });
}

function policy(mode: PermissionMode, tools: ToolRule[] = [], bash: BashRule[] = []) {
  return createPermissionPolicy({
    mode,
    tools,
    bash,
    toolKind: (name) => KINDS[name] ?? "other",
    assessCommand: assess,
  });
}

const call = (name: string, args: Record<string, unknown>) => ({ id: "c1", name, args });
const edit = call("edit_file", { path: "src/a.ts", old_str: "a", new_str: "b" });
const npmInstall = call("bash", { command: "npm install left-pad" });
const ls = call("bash", { command: "ls -la" });
const reset = call("bash", { command: "git reset --hard HEAD" });
const mcp = call("github__create_issue", { title: "x" });
const read = call("read_file", { path: "a.ts" });

async function actions(mode: PermissionMode): Promise<string[]> {
  const p = policy(mode);
  const verdicts: PolicyVerdict[] = [];
  for (const c of [read, edit, npmInstall, ls, reset, mcp]) verdicts.push(await p.check(c));
  return verdicts.map((v) => v.action);
}

describe("modes", () => {
  it("ask: edits, commands and MCP calls ask; reads and read-only commands run; the guard denies", async () => {
    expect(await actions("ask")).toEqual(["allow", "ask", "ask", "allow", "deny", "ask"]);
  });
  it("accept-edits: edits go through, commands and MCP still ask", async () => {
    expect(await actions("accept-edits")).toEqual(["allow", "allow", "ask", "allow", "deny", "ask"]);
  });
  it("read-only: every gated tool is denied, read-only commands still run", async () => {
    expect(await actions("read-only")).toEqual(["allow", "deny", "deny", "allow", "deny", "deny"]);
  });
  it("trust: everything runs that no rule or guard denies", async () => {
    expect(await actions("trust")).toEqual(["allow", "allow", "allow", "allow", "deny", "allow"]);
  });

  it("tells the model why read-only mode refused, and names the rule", async () => {
    const verdict = await policy("read-only").check(edit);
    expect(verdict).toMatchObject({ action: "deny", rule: "mode read-only" });
    expect(verdict.action === "deny" && verdict.reason).toMatch(/read-only mode: edit_file is not allowed/);
  });
});

describe("rules", () => {
  const user = { kind: "user" as const, file: "~/.config/parecode/config.toml" };

  it("a deny rule wins in every mode, trust included", async () => {
    const p = policy("trust", [{ pattern: "github__*", action: "deny", source: user }]);
    const verdict = await p.check(mcp);
    expect(verdict.action).toBe("deny");
    expect(verdict.rule).toContain("github__*");
    expect(verdict.rule).toContain("~/.config/parecode/config.toml");
  });

  it("an explicit ask rule asks even in trust mode; mcp:* and * match", async () => {
    expect((await policy("trust", [{ pattern: "mcp:*", action: "ask", source: user }]).check(mcp)).action).toBe("ask");
    expect((await policy("trust", [{ pattern: "*", action: "ask", source: user }]).check(edit)).action).toBe("ask");
    expect((await policy("trust", [{ pattern: "mcp:*", action: "ask", source: user }]).check(edit)).action).toBe(
      "allow",
    );
  });

  it("an allow rule lets a tool through in ask mode but never in read-only mode", async () => {
    const rules: ToolRule[] = [{ pattern: "edit_file", action: "allow", source: user }];
    expect((await policy("ask", rules).check(edit)).action).toBe("allow");
    expect((await policy("read-only", rules).check(edit)).action).toBe("deny");
  });

  it("bash rules by prefix: an explicit ask survives trust mode, allow skips the question", async () => {
    const bash: BashRule[] = [
      { pattern: "npm publish", action: "ask", source: user },
      { pattern: "npm install", action: "allow", source: user },
    ];
    const p = policy("trust", [], bash);
    expect((await p.check(call("bash", { command: "npm publish" }))).action).toBe("ask");
    expect((await policy("ask", [], bash).check(npmInstall)).action).toBe("allow");
  });

  it("bash = allow in [permissions.tools] lets ordinary commands run but not guarded ones", async () => {
    const p = policy("ask", [{ pattern: "bash", action: "allow", source: user }]);
    expect((await p.check(npmInstall)).action).toBe("allow");
    expect((await p.check(reset)).action).toBe("deny");
  });
});

describe("remembered answers", () => {
  it("'always, this session' for a command allows the same prefix afterwards, not other commands", async () => {
    const p = policy("ask");
    const verdict = await p.check(npmInstall);
    expect(verdict.action).toBe("ask");
    if (verdict.action !== "ask") return;
    expect(verdict.request).toMatchObject({
      kind: "command",
      command: "npm install left-pad",
      title: "bash: npm install left-pad",
    });
    await p.remember(verdict, "session");
    expect((await p.check(call("bash", { command: "npm run build" }))).action).toBe("allow");
    expect((await p.check(call("bash", { command: "make" }))).action).toBe("ask");
  });

  it("'always' for an edit allows every file edit tool; a project answer is saved", async () => {
    const saved: unknown[] = [];
    const p = createPermissionPolicy({
      mode: "ask",
      tools: [],
      bash: [],
      toolKind: (name) => KINDS[name] ?? "other",
      assessCommand: assess,
      saveProjectRules: async (rules) => {
        saved.push(...rules);
      },
    });
    const verdict = await p.check(edit);
    if (verdict.action !== "ask") throw new Error("expected ask");
    expect(verdict.request.remember).toContain("file edits");
    await p.remember(verdict, "project");
    expect((await p.check(call("write_file", { path: "b.ts", content: "" }))).action).toBe("allow");
    expect(saved).toEqual([{ tool: "write_file" }, { tool: "edit_file" }, { tool: "patch_file" }]);
  });

  it("a remembered answer never overrides a deny rule", async () => {
    const p = policy("ask", [{ pattern: "edit_file", action: "deny", source: { kind: "project", file: "x" } }]);
    const writeVerdict = await p.check(call("write_file", { path: "b.ts", content: "" }));
    if (writeVerdict.action !== "ask") throw new Error("expected ask");
    await p.remember(writeVerdict, "session");
    expect((await p.check(edit)).action).toBe("deny");
  });
});
