/**
 * Judges one bash command line: parses it, then decides each command it would run.
 * Per command, in order: a user deny rule → deny; the guard → deny, unless a user allow
 * rule spells the blocked command out; the longest matching user allow/ask rule; the
 * read-only list → allow; otherwise ask. Over the line: any deny → deny, else any ask
 * (or a line that cannot be parsed) → ask, else allow. Every verdict names the rule
 * that decided, for the prompt, `-v` and the session log.
 */
import type { PermissionAction } from "../core/approval.js";
import type { CommandGuard, GuardFinding, GuardRuleId } from "./command-guard.js";
import { matchWords, patternLength, patternMatches, patternWords } from "./command-words.js";
import { overrideWords } from "./guard-findings.js";
import { isHarmlessDevice } from "./guard-paths.js";
import type { CommandAssessment, CommandAssessor } from "./policy.js";
import { judgeReadOnly, READ_ONLY_COMMANDS } from "./read-only-commands.js";
import { parseShell } from "./shell-parse.js";
import type { ShellCommand } from "./shell-types.js";
import { type BashRule, describeSource } from "./types.js";

export interface CommandPolicyOptions {
  /** User rules from every trusted source, session answers included. */
  rules: readonly BashRule[];
  guard: CommandGuard;
  /** Replaces the built-in read-only list (the user's `read_only_commands`). */
  readOnlyCommands?: readonly string[];
  /** Added to the list (`extra_read_only_commands`). */
  extraReadOnlyCommands?: readonly string[];
}

export interface PartVerdict {
  /** The command's source text. */
  text: string;
  /** Its words after unwrapping (`sudo rm x` → rm x). */
  words: string[];
  action: PermissionAction;
  /** The deciding rule, named for people. */
  rule: string;
  /** One line for the model. */
  reason: string;
  /** The guard rule that decided, when it was the guard. */
  guard?: GuardRuleId;
  /** A read-only command with no write: read-only mode lets it run. */
  readOnly: boolean;
  /** The prefix an "always" answer to this part would remember (`npm install`). */
  prefix: string;
  /** The ask came from a user rule or the guard, not from the default. */
  explicit: boolean;
}

export interface CommandVerdict extends CommandAssessment {
  parts: PartVerdict[];
  /** Why the line could not be judged from its text, when it could not. */
  unparseable?: string;
}

const DEFAULT_RULE = "default: commands are asked";

/** The assessor the permission policy calls, bound to one session's guard and lists. */
export function createCommandAssessor(options: Omit<CommandPolicyOptions, "rules">): CommandAssessor {
  return (command, rules) => evaluateCommand(command, { ...options, rules });
}

export async function evaluateCommand(command: string, options: CommandPolicyOptions): Promise<CommandVerdict> {
  const parsed = await parseShell(command);
  const findings = await options.guard.check(parsed);
  const list = [...(options.readOnlyCommands ?? READ_ONLY_COMMANDS), ...(options.extraReadOnlyCommands ?? [])];
  const parts = parsed.commands.map((part) => judgePart(part, findings.get(part.id) ?? [], options.rules, list));
  return combine(parts, parsed.unparseable);
}

function combine(parts: PartVerdict[], unparseable: string | undefined): CommandVerdict {
  const readOnly = unparseable === undefined && parts.every((p) => p.readOnly);
  const base = { parts, readOnly, explicitAsk: false, askedPrefixes: [] as string[] };
  const denied = parts.find((p) => p.action === "deny");
  if (denied)
    return {
      ...base,
      readOnly: false,
      action: "deny",
      rule: denied.rule,
      reason: denied.reason,
      ...unparsed(unparseable),
    };
  if (unparseable !== undefined) {
    return {
      ...base,
      action: "ask",
      rule: `cannot analyse: ${unparseable}`,
      reason: `The command cannot be checked before it runs (${unparseable}); a person must approve it.`,
      explicitAsk: true,
      unparseable,
    };
  }
  const asking = parts.filter((p) => p.action === "ask");
  if (asking.length > 0) {
    return {
      ...base,
      action: "ask",
      rule: asking[0].rule,
      reason: asking[0].reason,
      explicitAsk: asking.some((p) => p.explicit),
      askedPrefixes: [...new Set(asking.map((p) => p.prefix).filter(Boolean))],
    };
  }
  return { ...base, action: "allow", rule: allowRule(parts), reason: "" };
}

function unparsed(reason: string | undefined): { unparseable?: string } {
  return reason === undefined ? {} : { unparseable: reason };
}

function allowRule(parts: PartVerdict[]): string {
  if (parts.length === 0) return "nothing to run";
  const rules = [...new Set(parts.map((p) => p.rule))];
  if (rules.length === 1) return rules[0];
  const readOnly = parts.filter((p) => p.rule.startsWith("read-only command: "));
  if (readOnly.length === parts.length) {
    return `read-only commands: ${[...new Set(readOnly.map((p) => p.rule.slice("read-only command: ".length)))].join(", ")}`;
  }
  return rules.join("; ");
}

function ruleName(rule: BashRule): string {
  return `rule "${rule.pattern}" = ${rule.action} (${describeSource(rule.source)})`;
}

function judgePart(
  part: ShellCommand,
  findings: GuardFinding[],
  rules: readonly BashRule[],
  list: readonly string[],
): PartVerdict {
  const words = matchWords(part.words);
  const escalators = part.wrappers.filter((w) => w.name === "sudo" || w.name === "doas").map((w) => w.name);
  // What a rule may be written about: the command, with `sudo` in front when it runs as root, or with all its wrappers.
  const escalated = escalators.length > 0 ? [...escalators, ...words] : words;
  const wrapped = matchWords([...part.wrappers.flatMap((w) => w.words), ...part.words]);
  const prefix = [...escalators, rememberPrefix(words)].filter(Boolean).join(" ");
  const base = { text: part.text, words: part.words, prefix, readOnly: false, explicit: false };
  const quoted = `\`${part.text.replace(/\s+/g, " ")}\``;

  const deny = rules.find((r) => r.action === "deny" && [words, escalated, wrapped].some((w) => matches(r, w)));
  if (deny) {
    const reason = `${quoted} is denied by the rule "${deny.pattern}" (${describeSource(deny.source)}); ask the user if it is needed.`;
    return { ...base, action: "deny", rule: ruleName(deny), reason };
  }

  // The guard, unless an allow rule spells out exactly the command it blocks.
  const over = overrideWords(part).words;
  const overriding: BashRule[] = [];
  for (const found of findings.filter((f) => f.action === "deny")) {
    const allow = rules.find((r) => r.action === "allow" && namesExactly(r, over, found.trigger));
    if (!allow)
      return { ...base, action: "deny", rule: `guard: ${found.rule}`, reason: found.message, guard: found.id };
    overriding.push(allow);
  }

  // An allow rule covers a command run as root only when it names sudo/doas.
  const candidates = rules.filter((r) =>
    r.action === "ask"
      ? [words, escalated, wrapped].some((w) => matches(r, w))
      : r.action === "allow" && matches(r, escalated),
  );
  const best = pickLongest([...candidates, ...overriding]);
  const guardAsk = findings.find((f) => f.action === "ask");
  if (guardAsk && !(best?.action === "allow" && best.pattern.trim() !== "*")) {
    return {
      ...base,
      action: "ask",
      rule: `guard: ${guardAsk.rule}`,
      reason: guardAsk.message,
      guard: guardAsk.id,
      explicit: true,
    };
  }

  const listed = judgeReadOnly(part.words, list);
  const writes = part.redirects.some(
    (r) => r.direction === "out" && !(r.target && !r.target.dynamic && isHarmlessDevice(r.target.value)),
  );
  const clean = !writes && escalators.length === 0 && findings.length === 0;
  const readOnly = clean && (part.words.length === 0 || listed.readOnly);
  if (best) {
    const reason = best.action === "ask" ? `${quoted} needs approval: the rule "${best.pattern}" asks.` : "";
    return { ...base, readOnly, action: best.action, rule: ruleName(best), reason, explicit: best.action === "ask" };
  }
  if (readOnly) {
    const rule = listed.readOnly ? `read-only command: ${listed.entry}` : "no command runs";
    return { ...base, readOnly, action: "allow", rule, reason: "" };
  }
  const why = writes
    ? "it writes to a file"
    : escalators.length > 0
      ? `it runs through ${escalators[0]}`
      : !listed.readOnly && listed.reason
        ? listed.reason
        : "not a known read-only command";
  return { ...base, action: "ask", rule: DEFAULT_RULE, reason: `${quoted} needs approval: ${why}.` };
}

function matches(rule: BashRule, words: readonly string[]): boolean {
  const pattern = patternWords(rule.pattern);
  return pattern.length > 0 && patternMatches(pattern, words);
}

/**
 * An allow rule overrides a guard finding only by naming the command: it matches, and
 * spells out every word up to the one that triggered the guard (no `*` among them).
 */
function namesExactly(rule: BashRule, words: readonly string[], trigger: number | null): boolean {
  if (trigger === null) return false;
  const pattern = patternWords(rule.pattern);
  if (pattern.length <= trigger || pattern.slice(0, trigger + 1).includes("*")) return false;
  return patternMatches(pattern, words);
}

/** The most specific rule; among equals, ask before allow. */
function pickLongest(rules: readonly BashRule[]): BashRule | undefined {
  let best: BashRule | undefined;
  let bestLength = -1;
  for (const rule of rules) {
    const length = patternLength(patternWords(rule.pattern));
    if (length > bestLength || (length === bestLength && rule.action === "ask" && best?.action === "allow")) {
      best = rule;
      bestLength = length;
    }
  }
  return best;
}

/** Tools whose second word is a subcommand: "always" remembers `npm install`, not all of npm. */
const SUBCOMMAND_TOOLS = new Set([
  "git",
  "npm",
  "npx",
  "pnpm",
  "yarn",
  "bun",
  "deno",
  "cargo",
  "go",
  "docker",
  "podman",
  "kubectl",
  "pip",
  "pip3",
  "uv",
  "poetry",
  "dotnet",
  "gradle",
  "mvn",
  "brew",
  "apt",
  "apt-get",
  "systemctl",
  "gh",
  "terraform",
  "helm",
  "make",
]);

function rememberPrefix(words: readonly string[]): string {
  if (words.length === 0) return "";
  const next = words[1];
  if (SUBCOMMAND_TOOLS.has(words[0]) && next && /^[A-Za-z0-9][\w:.-]*$/.test(next)) return `${words[0]} ${next}`;
  return words[0];
}
