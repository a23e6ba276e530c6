/**
 * Where a git command writes when it writes: its repository (`-C DIR`, `--work-tree`,
 * `--git-dir`), the directory `clone`/`init` create, and the file `git config
 * --global/--system/--file` changes. A reading subcommand writes nothing.
 */
import { gitInvocation } from "./command-words.js";
import { writesOrRuns } from "./read-only-commands.js";
import { hasOption, scanOptions } from "./shell-options.js";
import type { ShellWord } from "./shell-types.js";
import { dynamicWord, literalWord, valueWord } from "./shell-words.js";
import type { WriteTarget } from "./write-targets.js";

/** A git command that changes anything writes into its repository: `-C DIR`, `--work-tree`, `--git-dir`, `clone DIR`. */
export function gitTargets(argv: readonly ShellWord[], words: readonly string[]): WriteTarget[] {
  const git = gitInvocation(words);
  if (git.subcommand === undefined) return [];
  const subIndex = words.length - git.args.length - 1;
  const config = git.subcommand === "config" ? gitConfigWrite(git.args) : undefined;
  const reads =
    git.subcommand === "config"
      ? config === undefined
      : READING_GIT.has(git.subcommand) && writesOrRuns(["git", git.subcommand, ...git.args]) === undefined;
  if (reads) return [];
  const verb = `git ${git.subcommand} writes in`;
  const out: WriteTarget[] = [];
  if (config && config.file !== "local") {
    const index = subIndex + 1 + config.index;
    const word =
      config.file === "global"
        ? valueWord("~/.gitconfig", false)
        : config.file === "system"
          ? literalWord("/etc/gitconfig")
          : config.valueIndex !== undefined
            ? argv[subIndex + config.valueIndex]
            : valueWord(config.value ?? "", argv[index].dynamic);
    if (word) out.push({ word, index, followLast: true, verb: "git config writes" });
  }
  let seenDir = false;
  for (let i = 1; i < subIndex; i++) {
    const word = words[i];
    const inline = /^--(work-tree|git-dir)=/.exec(word);
    if (inline) {
      const value = word.slice(inline[0].length);
      out.push({ word: valueWord(value, argv[i].dynamic), index: i, followLast: true, verb });
    } else if ((word === "-C" || word === "--work-tree" || word === "--git-dir") && argv[i + 1]) {
      const target = argv[i + 1];
      // A second -C is relative to the first: follow it only when it is absolute.
      const relativeChain = word === "-C" && seenDir && !target.value.startsWith("/");
      out.push({ word: relativeChain ? dynamicWord(target.text) : target, index: i, followLast: true, verb });
      if (word === "-C") seenDir = true;
      i++;
    } else if (word === "-c" || word === "--namespace" || word === "--config-env") i++;
  }
  if (git.subcommand === "clone" || git.subcommand === "init") {
    const scanned = scanOptions(["", ...git.args], {
      shortWithValue: "obcju",
      longWithValue: [
        "origin",
        "branch",
        "config",
        "depth",
        "reference",
        "template",
        "separate-git-dir",
        "upload-pack",
        "jobs",
        "filter",
        "initial-branch",
        "object-format",
      ],
    });
    const dirIndex = scanned.operands[git.subcommand === "clone" ? 1 : 0];
    if (dirIndex !== undefined) {
      const index = subIndex + dirIndex;
      out.push({ word: argv[index], index, followLast: true, verb: `git ${git.subcommand} creates` });
    }
  }
  return out;
}

/** Which config file `git config ARGS` changes, or undefined when it only reads. */
function gitConfigWrite(
  args: readonly string[],
): { file: "global" | "system" | "file" | "local"; index: number; value?: string; valueIndex?: number } | undefined {
  const scanned = scanOptions(["", ...args], {
    shortWithValue: "ft",
    longWithValue: ["file", "blob", "type", "default"],
  });
  const sub = scanned.operands.map((i) => args[i - 1]);
  const reading = [
    "--get",
    "--get-all",
    "--get-regexp",
    "--get-urlmatch",
    "--get-color",
    "--get-colorbool",
    "--list",
    "-l",
  ];
  const writing = [
    "--add",
    "--unset",
    "--unset-all",
    "--replace-all",
    "--rename-section",
    "--remove-section",
    "-e",
    "--edit",
  ];
  const writes =
    ["set", "unset", "rename-section", "remove-section", "edit"].includes(sub[0] ?? "") ||
    (!["get", "list"].includes(sub[0] ?? "") &&
      !hasOption(scanned, ...reading) &&
      (hasOption(scanned, ...writing) || scanned.operands.length >= 2));
  if (!writes) return undefined;
  const where = scanned.options.find((o) => ["--global", "--system", "--file", "-f"].includes(o.name));
  if (!where) return { file: "local", index: 0 };
  const file = where.name === "--global" ? "global" : where.name === "--system" ? "system" : "file";
  return { file, index: where.index - 1, value: where.value, valueIndex: where.valueIndex };
}

const READING_GIT = new Set([
  "status",
  "diff",
  "log",
  "show",
  "branch",
  "rev-parse",
  "ls-files",
  "ls-tree",
  "blame",
  "remote",
  "describe",
  "tag",
  "shortlog",
  "rev-list",
  "cat-file",
  "merge-base",
  "grep",
  "reflog",
  "config",
  "version",
  "help",
  "show-ref",
  "for-each-ref",
  "name-rev",
  "count-objects",
]);
