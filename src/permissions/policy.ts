/**
 * The permission policy: for every tool call the model makes, allow, deny, or ask a
 * person. It knows modes, tool rules, bash rules (through the command assessor, which
 * parses the shell line and applies the always-denied guard) and the answers given so
 * far. It never talks to a person itself: an "ask" verdict goes back to the agent, which
 * forwards it to whatever front end is attached.
 */
import type { ApprovalRequest, ApprovalScope, PermissionAction, PermissionMode } from "../core/approval.js";
import type { ToolCall } from "../core/types.js";
import { findToolRule } from "./tool-rules.js";
import { type BashRule, describeSource, type RuleSource, type ToolKind, type ToolRule } from "./types.js";

/** The assessor's judgement of one bash command line. */
export interface CommandAssessment {
  action: PermissionAction;
  /** The deciding rule, named for people ("guard: …", `rule "git push" = deny (from …)`, "read-only command: ls"). */
  rule: string;
  /** One line for the model when denied. */
  reason: string;
  /** Every part is a read-only command: read-only mode lets it run. */
  readOnly: boolean;
  /** The ask came from a rule the user wrote (or an unparseable line), not from the default: trust mode still asks. */
  explicitAsk: boolean;
  /** Command prefixes an "always" answer would remember (one per part that asked, e.g. "npm install"). */
  askedPrefixes: string[];
}

export type CommandAssessor = (command: string, rules: readonly BashRule[]) => Promise<CommandAssessment>;

/** What an "always" answer adds. */
export type RememberedRule = { tool: string; command?: string };

export type PolicyVerdict =
  | { action: "allow"; rule: string }
  | { action: "deny"; rule: string; reason: string }
  | {
      action: "ask";
      rule: string;
      kind: ToolKind;
      /** Everything a front end shows except the diff, which a file tool supplies at write time. */
      request: ApprovalRequest;
      remember: RememberedRule[];
    };

export type AskVerdict = Extract<PolicyVerdict, { action: "ask" }>;

export interface PermissionPolicyOptions {
  mode: PermissionMode;
  /** Tool rules from every trusted source (user config, trusted project file, CLI). */
  tools: readonly ToolRule[];
  bash: readonly BashRule[];
  toolKind(name: string): ToolKind;
  assessCommand: CommandAssessor;
  /** Persists an "always, this project" answer (to .parecode/permissions.toml). */
  saveProjectRules?(rules: RememberedRule[]): Promise<void>;
}

export interface PermissionPolicy {
  readonly mode: PermissionMode;
  setMode(mode: PermissionMode): void;
  check(call: Pick<ToolCall, "id" | "name" | "args">): Promise<PolicyVerdict>;
  /** Records an "always" answer so the same request is allowed from now on in that scope. */
  remember(verdict: AskVerdict, scope: Exclude<ApprovalScope, "once">): Promise<void>;
}

export const EDIT_TOOLS: readonly string[] = ["write_file", "edit_file", "patch_file"];

const SESSION: RuleSource = { kind: "session" };

export function createPermissionPolicy(options: PermissionPolicyOptions): PermissionPolicy {
  let mode = options.mode;
  const sessionTools: ToolRule[] = [];
  const sessionBash: BashRule[] = [];

  const toolRuleName = (rule: ToolRule) => `rule ${rule.pattern} = ${rule.action} (${describeSource(rule.source)})`;

  const checkCommand = async (call: Pick<ToolCall, "id" | "name" | "args">, toolRule: ToolRule | undefined) => {
    const command = typeof call.args.command === "string" ? call.args.command : "";
    const assessment = await options.assessCommand(command, [...sessionBash, ...options.bash]);
    if (assessment.action === "deny") return deny(assessment.rule, assessment.reason);
    if (mode === "read-only") {
      if (assessment.readOnly) return allow(assessment.rule);
      return deny(
        "mode read-only",
        `read-only mode: only read-only commands run, and this one is not (${assessment.rule}). Describe the change instead of making it.`,
      );
    }
    if (assessment.action === "allow") return allow(assessment.rule);
    if (!assessment.explicitAsk) {
      if (toolRule?.action === "allow") return allow(toolRuleName(toolRule));
      if (mode === "trust") return allow("mode trust");
    }
    const prefixes = assessment.askedPrefixes.length > 0 ? assessment.askedPrefixes : [firstWord(command)];
    return ask(call, "command", assessment.rule, {
      command,
      remember: prefixes.map((prefix) => ({ tool: "bash", command: prefix })),
      rememberText: `bash commands starting with ${prefixes.map((p) => `\`${p}\``).join(", ")}`,
    });
  };

  const checkGated = (call: Pick<ToolCall, "id" | "name" | "args">, kind: ToolKind, toolRule: ToolRule | undefined) => {
    if (mode === "read-only") {
      return deny(
        "mode read-only",
        `read-only mode: ${call.name} is not allowed. Describe the change instead of making it.`,
      );
    }
    if (toolRule?.action === "allow") return allow(toolRuleName(toolRule));
    const askRule = toolRule?.action === "ask" ? toolRuleName(toolRule) : undefined;
    if (!askRule) {
      if (mode === "trust") return allow("mode trust");
      if (kind === "edit" && mode === "accept-edits") return allow("mode accept-edits");
    }
    const path = typeof call.args.path === "string" ? call.args.path : undefined;
    const isEdit = kind === "edit";
    return ask(call, kind, askRule ?? `mode ${mode}: ${isEdit ? "file edits" : `${call.name} calls`} are asked`, {
      path,
      remember: isEdit ? EDIT_TOOLS.map((tool) => ({ tool })) : [{ tool: call.name }],
      rememberText: isEdit ? "file edits (write_file, edit_file, patch_file)" : `${call.name} calls`,
    });
  };

  return {
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
    },
    async check(call) {
      const kind = options.toolKind(call.name);
      const toolRule = findToolRule([...sessionTools, ...options.tools], call.name, kind === "mcp");
      if (toolRule?.action === "deny") {
        return deny(toolRuleName(toolRule), `${call.name} is denied by a permission rule (${toolRule.pattern}).`);
      }
      if (kind === "read") return allow(toolRule ? toolRuleName(toolRule) : "read-only tool");
      if (kind === "command") return checkCommand(call, toolRule);
      return checkGated(call, kind, toolRule);
    },
    async remember(verdict, scope) {
      for (const rule of verdict.remember) {
        if (rule.command !== undefined) sessionBash.push({ pattern: rule.command, action: "allow", source: SESSION });
        else sessionTools.push({ pattern: rule.tool, action: "allow", source: SESSION });
      }
      if (scope === "project") await options.saveProjectRules?.(verdict.remember);
    },
  };
}

function allow(rule: string): PolicyVerdict {
  return { action: "allow", rule };
}

function deny(rule: string, reason: string): PolicyVerdict {
  return { action: "deny", rule, reason };
}

interface AskDetails {
  command?: string;
  path?: string;
  remember: RememberedRule[];
  rememberText: string;
}

function ask(
  call: Pick<ToolCall, "id" | "name" | "args">,
  kind: ToolKind,
  rule: string,
  details: AskDetails,
): AskVerdict {
  const requestKind: ApprovalRequest["kind"] =
    kind === "command" ? "command" : kind === "edit" ? "edit" : kind === "mcp" ? "mcp" : "tool";
  const title =
    details.command !== undefined
      ? `bash: ${details.command}`
      : details.path !== undefined
        ? `${call.name} ${details.path}`
        : call.name;
  const request: ApprovalRequest = {
    callId: call.id,
    tool: call.name,
    kind: requestKind,
    title,
    rule,
    remember: details.rememberText,
  };
  if (details.command !== undefined) request.command = details.command;
  if (details.path !== undefined) request.path = details.path;
  if (requestKind === "mcp" || requestKind === "tool") request.args = compactArgs(call.args);
  return { action: "ask", rule, kind, request, remember: details.remember };
}

/** Most characters of arguments an approval shows. */
const MAX_ARGS_CHARS = 400;

function compactArgs(args: Record<string, unknown>): string {
  const text = JSON.stringify(args) ?? "{}";
  return text.length <= MAX_ARGS_CHARS ? text : `${text.slice(0, MAX_ARGS_CHARS - 1)}…`;
}

function firstWord(command: string): string {
  return command.trim().split(/\s+/)[0] ?? command;
}
