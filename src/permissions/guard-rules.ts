/**
 * The guard's rules that look at words, not paths: destructive git commands, disks,
 * power, `kill -1`, fork bombs and downloads run as code. Path rules (writes outside the
 * root, recursive deletes, credentials) live in command-guard.ts.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import { gitInvocation } from "./command-words.js";
import { finding, type GuardFinding, shown } from "./guard-findings.js";
import { DOWNLOADERS, interpreterUse } from "./interpreters.js";
import { hasOption, programName, scanOptions } from "./shell-options.js";
import type { ParsedShell, ShellCommand } from "./shell-types.js";

export interface WordRuleContext {
  /** The directory the command runs in, when known (to tell a path from a branch name). */
  dir: string | undefined;
  /** Asked at most once per line, and only when a command would discard changes. */
  isTreeDirty(): Promise<boolean>;
}

export async function wordRules(command: ShellCommand, ctx: WordRuleContext): Promise<GuardFinding[]> {
  if (command.words.length === 0) return [];
  const name = programName(command.words[0]);
  if (name === "git") return gitRules(command, ctx);
  return [...diskRules(command, name), ...powerRules(command, name), ...killRules(command, name)];
}

async function gitRules(command: ShellCommand, ctx: WordRuleContext): Promise<GuardFinding[]> {
  const words = command.words;
  const git = gitInvocation(words);
  const args = git.args;
  const at = (argIndex: number) => words.length - args.length + argIndex;
  const text = shown(command.text);
  const scan = (shortWithValue: string, longWithValue: string[] = []) =>
    scanOptions(["", ...args], { shortWithValue, longWithValue });
  switch (git.subcommand) {
    case "reset": {
      const hard = args.indexOf("--hard");
      return hard === -1
        ? []
        : [
            finding(
              "git-reset-hard",
              "git reset --hard discards uncommitted changes",
              `${text} discards uncommitted changes`,
              at(hard),
            ),
          ];
    }
    case "clean": {
      const scanned = scan("e", ["exclude"]);
      const force = scanned.options.find((o) => o.name === "-f" || o.name === "--force");
      if (!force || hasOption(scanned, "-n", "--dry-run")) return [];
      return [
        finding(
          "git-clean-force",
          "git clean -f deletes untracked files",
          `${text} deletes untracked files for good`,
          at(force.index - 1),
        ),
      ];
    }
    case "push": {
      const scanned = scan("o", ["repo", "receive-pack", "exec", "push-option"]);
      const force = scanned.options.find((o) => ["-f", "--force", "--force-with-lease"].includes(o.name));
      const plus = scanned.operands.find((i) => args[i - 1].startsWith("+"));
      const index = force ? force.index : plus;
      if (index === undefined) return [];
      return [
        finding(
          "git-push-force",
          "git push --force rewrites remote history",
          `${text} rewrites the remote's history`,
          at(index - 1),
        ),
      ];
    }
    case "stash": {
      const sub = args.findIndex((a) => !a.startsWith("-"));
      if (sub === -1 || (args[sub] !== "drop" && args[sub] !== "clear")) return [];
      return [
        finding(
          "git-stash-drop",
          `git stash ${args[sub]} deletes stashed changes`,
          `${text} deletes stashed changes`,
          at(sub),
        ),
      ];
    }
    case "checkout":
    case "restore":
    case "switch": {
      const discards = await discardsChanges(git.subcommand, args, ctx.dir);
      if (!discards || !(await ctx.isTreeDirty())) return [];
      return [
        finding(
          "git-discard-changes",
          `git ${git.subcommand} of paths discards uncommitted changes`,
          `${text} would overwrite uncommitted changes in the working tree`,
          words.length - 1,
        ),
      ];
    }
    default:
      return [];
  }
}

/** Whether the command overwrites working-tree files with another version (what a dirty tree would lose). */
async function discardsChanges(sub: string, args: readonly string[], dir: string | undefined): Promise<boolean> {
  if (sub === "switch") {
    const scanned = scanOptions(["", ...args], {
      shortWithValue: "cC",
      longWithValue: ["create", "force-create", "orphan"],
    });
    return hasOption(scanned, "-f", "--force", "--discard-changes");
  }
  if (sub === "restore") {
    const scanned = scanOptions(["", ...args], {
      shortWithValue: "s",
      longWithValue: ["source", "pathspec-from-file"],
    });
    if (hasOption(scanned, "-p", "--patch")) return false;
    const paths = scanned.operands.length > 0 || hasOption(scanned, "--pathspec-from-file");
    return paths && (!hasOption(scanned, "-S", "--staged") || hasOption(scanned, "-W", "--worktree"));
  }
  const dashes = args.indexOf("--");
  const scanned = scanOptions(["", ...(dashes === -1 ? args : args.slice(0, dashes))], {
    shortWithValue: "bB",
    longWithValue: ["orphan", "conflict", "pathspec-from-file"],
  });
  if (hasOption(scanned, "-p", "--patch")) return false;
  if (hasOption(scanned, "-f", "--force", "--pathspec-from-file")) return true;
  if (dashes !== -1 && dashes < args.length - 1) return true;
  for (const index of scanned.operands) {
    const operand = args[index - 1];
    if (operand === "." || operand === ":/" || operand.startsWith(":(") || /[*?]/.test(operand)) return true;
    // `git checkout NAME` switches branches; `git checkout FILE` overwrites the file.
    if (dir !== undefined && (await exists(path.resolve(dir, operand)))) return true;
  }
  return false;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Partitioning tools, with the flags that only list or check. */
const PARTITIONERS: Record<string, readonly string[]> = {
  fdisk: ["-l", "--list"],
  sfdisk: ["-l", "--list", "-d", "--dump", "-s", "--show-size", "-V", "--verify", "-J", "--json"],
  cfdisk: [],
  gdisk: ["-l"],
  sgdisk: ["-p", "--print", "-v", "--verify"],
  parted: ["-l", "--list"],
};

function diskRules(command: ShellCommand, name: string): GuardFinding[] {
  const words = command.words;
  const last = words.length - 1;
  const text = shown(command.text);
  if (/^mkfs(\..+)?$/.test(name) || name === "mke2fs" || name === "mkswap" || name === "mkdosfs") {
    return [finding("disk-format", `${name} formats a disk`, `${text} formats a disk or partition`, last)];
  }
  if (name === "wipefs") {
    if (words.includes("-n") || words.includes("--no-act")) return [];
    return [finding("disk-format", "wipefs erases disk signatures", `${text} erases disk signatures`, last)];
  }
  if (Object.hasOwn(PARTITIONERS, name) && words.some((w) => w.startsWith("/dev/"))) {
    if (words.some((w) => PARTITIONERS[name].includes(w))) return [];
    const device = words.findIndex((w) => w.startsWith("/dev/"));
    if (name === "parted" && words.slice(device + 1).every((w) => w === "print" || w.startsWith("-"))) return [];
    return [finding("disk-format", `${name} repartitions a disk`, `${text} changes a disk's partitions`, last)];
  }
  return [];
}

const POWER = new Set(["shutdown", "reboot", "halt", "poweroff"]);
const SYSTEMCTL_POWER = new Set(["poweroff", "reboot", "halt", "kexec", "soft-reboot"]);

function powerRules(command: ShellCommand, name: string): GuardFinding[] {
  const words = command.words;
  const text = shown(command.text);
  const hit =
    POWER.has(name) ||
    (name === "systemctl" && words.some((w) => SYSTEMCTL_POWER.has(w))) ||
    ((name === "init" || name === "telinit") && (words[1] === "0" || words[1] === "6"));
  return hit
    ? [
        finding(
          "power-off",
          "shuts down or reboots the machine",
          `${text} shuts down or reboots the machine`,
          words.length - 1,
        ),
      ]
    : [];
}

function killRules(command: ShellCommand, name: string): GuardFinding[] {
  if (name !== "kill") return [];
  const words = command.words;
  let i = 1;
  if (words[i] === "-s" || words[i] === "-n") i += 2;
  else if (words[i]?.startsWith("-") && words[i] !== "--") i++;
  if (words[i] === "--") i++;
  const all = words.findIndex((w, index) => index >= i && w === "-1");
  if (all === -1) return [];
  return [
    finding(
      "kill-all",
      "kill -1 signals every process",
      `${shown(command.text)} signals every process you can reach`,
      all,
    ),
  ];
}

/** Rules over the whole line: fork bombs and downloads run as code. Keyed by the command to blame. */
export function lineRules(parsed: ParsedShell): [number, GuardFinding][] {
  return [...forkBombs(parsed), ...downloadsRun(parsed)];
}

function forkBombs(parsed: ParsedShell): [number, GuardFinding][] {
  const out: [number, GuardFinding][] = [];
  for (const command of parsed.commands) {
    const inside = [...command.via].reverse().find((v) => v.kind === "function");
    if (inside?.kind !== "function" || command.words[0] !== inside.name) continue;
    if (!command.pipeline && !command.background) continue;
    out.push([
      command.id,
      finding(
        "fork-bomb",
        "fork bomb",
        `function ${shown(inside.name)} calls itself in a background or piped call: a fork bomb`,
        null,
      ),
    ]);
  }
  return out;
}

function downloadsRun(parsed: ParsedShell): [number, GuardFinding][] {
  const out: [number, GuardFinding][] = [];
  const byId = new Map(parsed.commands.map((c) => [c.id, c]));
  const isDownloader = (c: ShellCommand) => c.words.length > 0 && DOWNLOADERS.has(programName(c.words[0]));
  const blame = (command: ShellCommand, how: string) => {
    if (out.some(([id]) => id === command.id)) return;
    const rule = "piping a download into a shell runs code nobody has read";
    out.push([command.id, finding("download-to-shell", rule, `${shown(command.words[0] ?? "")} ${how}`, null)]);
  };
  // A downloader's output as a later pipeline stage's script.
  const stages = new Map<number, { downloads: number[]; runs: { stage: number; command: ShellCommand }[] }>();
  for (const command of parsed.commands) {
    for (const [index, via] of command.via.entries()) {
      if (via.kind !== "pipeline") continue;
      // Inside a substitution of a stage, output does not flow on this pipe.
      if (command.via.slice(index + 1).some((v) => v.kind === "substitution" || v.kind === "process-substitution"))
        continue;
      const entry = stages.get(via.id) ?? { downloads: [], runs: [] };
      stages.set(via.id, entry);
      if (isDownloader(command)) entry.downloads.push(via.stage);
      if (interpreterUse(command.words)?.readsStdin) entry.runs.push({ stage: via.stage, command });
    }
  }
  for (const { downloads, runs } of stages.values()) {
    for (const run of runs)
      if (downloads.some((stage) => stage < run.stage)) blame(run.command, "would run what a download pipes into it");
  }
  // A downloader inside a substitution that becomes code: `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget …)"`.
  for (const download of parsed.commands.filter(isDownloader)) {
    let child: ShellCommand = download;
    for (let hops = 0; child.parent && hops < 32; hops++) {
      const ref = child.parent;
      const parent = byId.get(ref.id);
      if (!parent) break;
      const use = interpreterUse(parent.words);
      const asCode =
        typeof ref.word === "number" ? use?.codeArgs.includes(ref.word) : ref.word === "redirect" && use?.readsStdin;
      if (use && asCode) {
        blame(parent, "would run downloaded code");
        break;
      }
      child = parent;
    }
  }
  return out;
}
