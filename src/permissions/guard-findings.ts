/**
 * The guard's vocabulary: the rule ids, what each blocks in words, and the finding a
 * check returns. A finding's `message` is the one line the model gets; its `rule` names
 * the rule for people (`guard: git reset --hard discards uncommitted changes`).
 */
import { programName } from "./shell-options.js";
import type { ShellCommand } from "./shell-types.js";

export type GuardRuleId =
  | "write-outside-root"
  | "recursive-delete"
  | "git-reset-hard"
  | "git-clean-force"
  | "git-discard-changes"
  | "git-push-force"
  | "git-stash-drop"
  | "disk-format"
  | "raw-device-write"
  | "fork-bomb"
  | "power-off"
  | "kill-all"
  | "download-to-shell"
  | "credential-read";

export interface GuardFinding {
  id: GuardRuleId;
  /** deny: blocked. ask: could not be judged statically (a path known only at run time): a person decides. */
  action: "deny" | "ask";
  /** The rule in words, for people: shown as `guard: <rule>`. */
  rule: string;
  /** One line for the model: what was blocked, why, and what to do instead. */
  message: string;
  /**
   * The index into overrideWords() up to which a user's allow rule must spell the
   * command out to override this finding; null when no rule can (a fork bomb).
   */
  trigger: number | null;
}

/** What to do instead, per rule: the second half of the model's line. */
const INSTEAD: Record<GuardRuleId, string> = {
  "write-outside-root": "Only paths inside the project or the temp dir may be changed; ask the user to do it.",
  "recursive-delete": "Delete specific paths inside the project instead.",
  "git-reset-hard": "Commit or `git stash` first, or use `git reset --soft` / `--mixed`.",
  "git-clean-force": "List them with `git clean -n`, then remove specific files.",
  "git-discard-changes": "Commit or `git stash` the changes first.",
  "git-push-force": "Push without force, or ask the user to force-push.",
  "git-stash-drop": "Leave the stash in place; the user can drop it.",
  "disk-format": "Never touch disks; ask the user.",
  "raw-device-write": "Never write to devices; ask the user.",
  "fork-bomb": "Do not run it.",
  "power-off": "Ask the user to do it.",
  "kill-all": "Kill specific process ids instead.",
  "download-to-shell": "Download to a file inside the project, read it, then run it.",
  "credential-read": "Credentials stay where they are; ask the user for what you need.",
};

export function finding(
  id: GuardRuleId,
  rule: string,
  what: string,
  trigger: number | null,
  action: "deny" | "ask" = "deny",
): GuardFinding {
  const message =
    action === "deny"
      ? `Blocked by the guard (${id}): ${what}. ${INSTEAD[id]}`
      : `The guard cannot judge this (${id}): ${what}.`;
  return { id, action, rule, message, trigger };
}

/**
 * The words an allow rule is compared with to override the guard: the command's own
 * words as written (program name without its system path), then each redirection as
 * `>` and its target. Git's global options stay in: overriding names the exact command.
 */
export function overrideWords(command: ShellCommand): { words: string[]; redirectTarget: number[] } {
  const words = command.words.length > 0 ? [programName(command.words[0]), ...command.words.slice(1)] : [];
  const redirectTarget: number[] = [];
  for (const redirect of command.redirects) {
    words.push(`${redirect.fd ?? ""}${redirect.operator}`);
    redirectTarget.push(words.length - (redirect.target ? 0 : 1));
    if (redirect.target) words.push(redirect.target.value);
  }
  return { words, redirectTarget };
}

/** A word shown in a message: as written, shortened. */
export function shown(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return `\`${line.length > 60 ? `${line.slice(0, 59)}…` : line}\``;
}
