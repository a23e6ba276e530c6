/**
 * Which arguments of a known writer are paths it writes, deletes or creates: every
 * operand of `rm`, the destination of `cp`, `of=` of `dd`, the files of `sed -i`, the
 * `-C` directory of `tar -x`… Pure: parses words, resolves nothing.
 */
import { gitInvocation } from "./command-words.js";
import { writesOrRuns } from "./read-only-commands.js";
import {
  hasOption,
  type OptionSpec,
  optionValues,
  programName,
  type ScannedOption,
  scanOptions,
} from "./shell-options.js";
import type { ShellCommand, ShellWord, WordSegment } from "./shell-types.js";
import { dynamicWord, literalWord } from "./shell-words.js";

export interface WriteTarget {
  word: ShellWord;
  /** The argv index the path came from (the option's index for `-o FILE`). */
  index: number;
  /** False when the command acts on a symlink itself (rm, mv's source, ln's name). */
  followLast: boolean;
  /** Deletes the target and everything below it. */
  recursiveDelete?: boolean;
  /** What the command does there, for messages: "rm deletes", "cp writes". */
  verb: string;
}

type Extractor = (argv: readonly ShellWord[], words: readonly string[]) => WriteTarget[];

/** The word an option's value came from: the next word, or a new word for `-oFILE` / `--output=FILE`. */
function optionWord(argv: readonly ShellWord[], option: ScannedOption): ShellWord {
  if (option.valueIndex !== undefined) return argv[option.valueIndex];
  return valueWord(option.value ?? "", argv[option.index].dynamic);
}

/**
 * A path cut out of a longer word (`of=~/x`, `--output=~/x`). Bash expands the tilde
 * after `=` in assignment-like words; taking it as home everywhere errs on the safe side.
 */
export function valueWord(value: string, dynamic: boolean, glob = false): ShellWord {
  if (dynamic) return dynamicWord(value);
  const tilde = value === "~" || value.startsWith("~/");
  const rest = tilde ? value.slice(1) : value;
  const segments: WordSegment[] = tilde ? [{ kind: "tilde", user: "" }] : [];
  if (rest) segments.push({ kind: "text", text: rest, quoted: !glob });
  return { ...literalWord(value, segments), glob };
}

function operands(spec: OptionSpec, verb: string, followLast: boolean, skipFirst = false): Extractor {
  return (argv, words) => {
    const scanned = scanOptions(words, spec);
    const recursive = hasOption(scanned, "-r", "-R", "--recursive");
    const list =
      skipFirst && !scanned.options.some((o) => o.name === "--reference")
        ? scanned.operands.slice(1)
        : scanned.operands;
    return list.map((index) => ({
      word: argv[index],
      index,
      followLast,
      verb,
      ...(recursive && verb === "rm deletes" ? { recursiveDelete: true } : {}),
    }));
  };
}

/** cp, mv, install, ln: `-t DIR` or the last operand is where they write; mv also removes its sources. */
function copyLike(name: string, spec: OptionSpec, sourcesToo: boolean): Extractor {
  return (argv, words) => {
    const scanned = scanOptions(words, spec);
    const verb = `${name} writes`;
    if (name === "install" && hasOption(scanned, "-d", "--directory")) {
      return scanned.operands.map((index) => ({ word: argv[index], index, followLast: true, verb: "install creates" }));
    }
    const targetDirs = optionValues(scanned, "-t", "--target-directory");
    const out: WriteTarget[] = targetDirs.map((option) => ({
      word: optionWord(argv, option),
      index: option.index,
      followLast: true,
      verb,
    }));
    let sources = scanned.operands;
    if (targetDirs.length === 0 && sources.length >= 2) {
      const last = sources[sources.length - 1];
      out.push({ word: argv[last], index: last, followLast: name !== "ln", verb });
      sources = sources.slice(0, -1);
    } else if (targetDirs.length === 0 && name === "ln" && sources.length === 1) {
      // `ln -s TARGET` makes the link in the current directory.
      out.push({ word: literalWord("."), index: sources[0], followLast: true, verb });
    }
    if (sourcesToo) {
      for (const index of sources) out.push({ word: argv[index], index, followLast: false, verb: "mv removes" });
    }
    return out;
  };
}

function optionTargets(spec: OptionSpec, names: readonly string[], verb: string): Extractor {
  return (argv, words) => {
    const scanned = scanOptions(words, spec);
    return optionValues(scanned, ...names)
      .filter((o) => o.value !== "-")
      .map((option) => ({ word: optionWord(argv, option), index: option.index, followLast: true, verb }));
  };
}

const WRITERS: Record<string, Extractor> = {
  rm: operands({ longWithValue: [] }, "rm deletes", false),
  rmdir: operands({}, "rmdir deletes", false),
  unlink: operands({}, "unlink deletes", false),
  shred: operands(
    { shortWithValue: "ns", longWithValue: ["iterations", "size", "random-source"] },
    "shred overwrites",
    true,
  ),
  touch: operands({ shortWithValue: "dtr", longWithValue: ["date", "reference", "time"] }, "touch writes", true),
  mkdir: operands({ shortWithValue: "m", longWithValue: ["mode", "context"] }, "mkdir creates", true),
  chmod: operands({ longWithValue: ["reference"] }, "chmod changes", true, true),
  chown: operands({ longWithValue: ["reference", "from"] }, "chown changes", true, true),
  chgrp: operands({ longWithValue: ["reference"] }, "chgrp changes", true, true),
  truncate: operands({ shortWithValue: "sr", longWithValue: ["size", "reference"] }, "truncate writes", true),
  tee: operands({ longWithValue: [] }, "tee writes", true),
  mv: copyLike("mv", { shortWithValue: "tS", longWithValue: ["target-directory", "suffix"] }, true),
  cp: copyLike("cp", { shortWithValue: "tS", longWithValue: ["target-directory", "suffix"] }, false),
  install: copyLike(
    "install",
    { shortWithValue: "tSmogC", longWithValue: ["target-directory", "suffix", "mode", "owner", "group"] },
    false,
  ),
  ln: copyLike("ln", { shortWithValue: "tS", longWithValue: ["target-directory", "suffix"] }, false),
  dd: (argv) =>
    argv.flatMap((word, index) =>
      word.value.startsWith("of=")
        ? [
            {
              word: valueWord(word.value.slice(3), word.dynamic),
              index,
              followLast: true,
              verb: "dd writes",
            },
          ]
        : [],
    ),
  rsync: (argv, words) => {
    const scanned = scanOptions(words, {
      shortWithValue: "efTBM",
      longWithValue: [
        "rsh",
        "exclude",
        "include",
        "filter",
        "exclude-from",
        "include-from",
        "files-from",
        "temp-dir",
        "partial-dir",
        "backup-dir",
        "suffix",
        "log-file",
        "password-file",
        "chmod",
        "chown",
        "compare-dest",
        "copy-dest",
        "link-dest",
        "timeout",
        "port",
        "rsync-path",
      ],
    });
    const last = scanned.operands[scanned.operands.length - 1];
    // `host:path` and `rsync://` are remote: not this machine's disk.
    if (scanned.operands.length < 2 || /^[^/]*:/.test(words[last])) return [];
    return [{ word: argv[last], index: last, followLast: true, verb: "rsync writes" }];
  },
  sed: (argv, words) => {
    const scanned = scanOptions(words, { shortWithValue: "efl", longWithValue: ["expression", "file", "line-length"] });
    if (!hasOption(scanned, "-i", "--in-place")) return [];
    const files = hasOption(scanned, "-e", "--expression", "-f", "--file")
      ? scanned.operands
      : scanned.operands.slice(1);
    return files.map((index) => ({ word: argv[index], index, followLast: true, verb: "sed -i rewrites" }));
  },
  tar: tarTargets,
  perl: (argv, words) => {
    const scanned = scanOptions(words, { shortWithValue: "eEIMm", stopAtOperand: true });
    if (!hasOption(scanned, "-i")) return [];
    const files = hasOption(scanned, "-e", "-E") ? scanned.operands : scanned.operands.slice(1);
    return files.map((index) => ({ word: argv[index], index, followLast: true, verb: "perl -i rewrites" }));
  },
  curl: optionTargets(
    {
      shortWithValue: "AbcCdDeEFHhKmoPQrTtuUwxXyYz",
      longWithValue: [
        "output",
        "dump-header",
        "cookie-jar",
        "trace",
        "trace-ascii",
        "output-dir",
        "stderr",
        "etag-save",
        "libcurl",
      ],
    },
    [
      "-o",
      "--output",
      "-D",
      "--dump-header",
      "-c",
      "--cookie-jar",
      "--trace",
      "--trace-ascii",
      "--output-dir",
      "--stderr",
      "--etag-save",
      "--libcurl",
    ],
    "curl writes",
  ),
  wget: optionTargets(
    {
      shortWithValue: "OPoaeDlQtTwUY",
      longWithValue: ["output-document", "directory-prefix", "output-file", "append-output"],
    },
    ["-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-a", "--append-output"],
    "wget writes",
  ),
  unzip: (argv, words) =>
    words.flatMap((word, index) =>
      word === "-d" && argv[index + 1]
        ? [{ word: argv[index + 1], index, followLast: true, verb: "unzip extracts into" }]
        : [],
    ),
  find: findTargets,
  git: gitTargets,
};

/** The paths a command writes, from its words. Unknown commands write nothing we can name (they are asked about). */
export function writeTargets(command: ShellCommand): WriteTarget[] {
  if (command.argv.length === 0) return [];
  const extractor = WRITERS[programName(command.words[0])];
  return extractor ? extractor(command.argv, command.words) : [];
}

function tarTargets(argv: readonly ShellWord[], words: readonly string[]): WriteTarget[] {
  // Old style `tar xzf archive.tar -C dir`: the first word is a bundle of letters.
  const list = words[1] && !words[1].startsWith("-") ? [words[0], `-${words[1]}`, ...words.slice(2)] : [...words];
  const scanned = scanOptions(list, {
    shortWithValue: "fCbTXNgKVL",
    longWithValue: [
      "file",
      "directory",
      "exclude",
      "files-from",
      "exclude-from",
      "transform",
      "owner",
      "group",
      "mode",
    ],
  });
  const extract = hasOption(scanned, "-x", "--extract", "--get");
  const create = hasOption(scanned, "-c", "--create", "-r", "--append", "-u", "--update", "-A", "--catenate");
  const out: WriteTarget[] = [];
  if (extract) {
    for (const option of optionValues(scanned, "-C", "--directory")) {
      out.push({ word: optionWord(argv, option), index: option.index, followLast: true, verb: "tar extracts into" });
    }
  }
  if (create) {
    for (const option of optionValues(scanned, "-f", "--file")) {
      if (option.value === "-") continue;
      out.push({ word: optionWord(argv, option), index: option.index, followLast: true, verb: "tar writes" });
    }
  }
  return out;
}

const FIND_TESTS =
  /^-(i?name|i?path|i?wholename|i?regex|i?lname|type|xtype|newer\w*|[acm](time|min)|size|empty|user|group|perm|links|inum|samefile|uid|gid|nouser|nogroup|used|readable|writable|executable)$/;

function findTargets(argv: readonly ShellWord[], words: readonly string[]): WriteTarget[] {
  const out: WriteTarget[] = [];
  const expressionStart = words.findIndex((w, i) => i > 0 && (w.startsWith("-") || w === "(" || w === "!"));
  const starts = words.slice(1, expressionStart === -1 ? words.length : expressionStart).map((_, i) => i + 1);
  if (words.includes("-delete")) {
    // With a test (`-name '*.pyc'`) find deletes some files below the start, not the start itself.
    const recursiveDelete = !words.some((w) => FIND_TESTS.test(w));
    const verb = "find -delete deletes";
    for (const index of starts) out.push({ word: argv[index], index, followLast: false, verb, recursiveDelete });
    if (starts.length === 0) {
      out.push({ word: literalWord("."), index: words.indexOf("-delete"), followLast: false, verb, recursiveDelete });
    }
  }
  words.forEach((word, index) => {
    if (/^-f(print0?|printf|ls)$/.test(word) && argv[index + 1])
      out.push({ word: argv[index + 1], index, followLast: true, verb: `find ${word} writes` });
  });
  return out;
}

/** A git command that changes anything writes into its repository: `-C DIR`, `--work-tree`, `--git-dir`, `clone DIR`. */
function gitTargets(argv: readonly ShellWord[], words: readonly string[]): WriteTarget[] {
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
