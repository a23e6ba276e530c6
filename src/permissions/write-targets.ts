/**
 * Which arguments of a known writer are paths it writes, deletes or creates: every
 * operand of `rm`, the destination of `cp`, `of=` of `dd`, the files of `sed -i`, the
 * `-C` directory of `tar -x`… Pure: parses words, resolves nothing.
 */
import { gitTargets } from "./git-write-targets.js";
import {
  hasOption,
  type OptionSpec,
  optionValues,
  programName,
  type ScannedOption,
  scanOptions,
} from "./shell-options.js";
import type { ShellCommand, ShellWord } from "./shell-types.js";
import { literalWord, valueWord } from "./shell-words.js";

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
