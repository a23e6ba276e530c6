/**
 * Commands that run without asking: they only read. The list is data (command prefixes
 * in words, like a bash rule) so the user's config can replace it (`read_only_commands`)
 * or extend it (`extra_read_only_commands`). Whatever the list says, a command is not
 * read-only when one of its flags makes it write or run something (`find -delete`,
 * `sort -o`, `sed -i`, `git branch -D`): those checks are code and always apply.
 */
import { gitInvocation, matchWords, patternLength, patternMatches, patternWords } from "./command-words.js";
import { sedScriptIsReadOnly } from "./sed-script.js";
import { hasOption, type OptionSpec, optionValues, scanOptions } from "./shell-options.js";

export const READ_ONLY_COMMANDS: readonly string[] = [
  // files and text
  "ls",
  "cat",
  "head",
  "tail",
  "wc",
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "find",
  "fd",
  "fdfind",
  "tree",
  "file",
  "stat",
  "du",
  "df",
  "diff",
  "cmp",
  "comm",
  "sort",
  "uniq",
  "cut",
  "tr",
  "jq",
  "sed",
  "nl",
  "tac",
  "rev",
  "paste",
  "column",
  "fold",
  "expand",
  "od",
  "xxd",
  "hexdump",
  "strings",
  "md5sum",
  "sha1sum",
  "sha256sum",
  "sha512sum",
  "cksum",
  "basename",
  "dirname",
  "realpath",
  "readlink",
  // the shell and the system
  "pwd",
  "cd",
  "pushd",
  "popd",
  "echo",
  "printf",
  "which",
  "type",
  "command -v",
  "command -V",
  "env",
  "printenv",
  "date",
  "uname",
  "whoami",
  "id",
  "groups",
  "nproc",
  "uptime",
  "true",
  "false",
  ":",
  "test",
  "[",
  "[[",
  "((",
  "sleep",
  "seq",
  "export",
  "declare",
  "local",
  "readonly",
  "typeset",
  "unset",
  // git, reading
  "git status",
  "git diff",
  "git log",
  "git show",
  "git branch",
  "git rev-parse",
  "git ls-files",
  "git ls-tree",
  "git blame",
  "git remote",
  "git describe",
  "git tag",
  "git shortlog",
  "git rev-list",
  "git cat-file",
  "git merge-base",
  "git grep",
  "git reflog",
  "git stash list",
  "git stash show",
  "git config --get",
  "git config --list",
  "git config -l",
  "git --version",
  "git version",
  // package managers, reading
  "npm ls",
  "npm list",
  "npm view",
  "npm info",
  "npm outdated",
  "npm why",
  "npm explain",
  "npm prefix",
  "npm root",
  "npm config get",
  "pip list",
  "pip show",
  "pip freeze",
  "pip3 list",
  "pip3 show",
  "pip3 freeze",
  // version queries
  "node --version",
  "node -v",
  "npm --version",
  "npm -v",
  "npx --version",
  "python --version",
  "python3 --version",
  "python -V",
  "python3 -V",
  "pip --version",
  "pip3 --version",
  "go version",
  "cargo --version",
  "rustc --version",
  "java -version",
  "java --version",
  "javac -version",
  "tsc --version",
  "deno --version",
  "bun --version",
  "ruby --version",
  "php --version",
  "make --version",
  "gcc --version",
  "clang --version",
  "cmake --version",
];

export type ReadOnlyJudgement =
  | { readOnly: true; entry: string }
  | {
      readOnly: false;
      /** Why a listed command is not read-only this time (`find -delete deletes files`); absent when it is not listed. */
      reason?: string;
    };

/**
 * Whether `words` (a command after unwrapping, `words[0]` its program) only reads,
 * judged against `list`. Output redirections are the caller's business.
 */
export function judgeReadOnly(words: readonly string[], list: readonly string[]): ReadOnlyJudgement {
  const matched = matchWords(words);
  let entry: string | undefined;
  let best = -1;
  for (const candidate of list) {
    const pattern = patternWords(candidate);
    if (pattern.length === 0 || !patternMatches(pattern, matched)) continue;
    if (patternLength(pattern) > best) {
      best = patternLength(pattern);
      entry = pattern.join(" ");
    }
  }
  if (entry === undefined) return { readOnly: false };
  // Judged on the words as written: git's `-c` is set aside for matching but can make it run programs.
  const reason = writesOrRuns([matched[0], ...words.slice(1)]);
  return reason ? { readOnly: false, reason } : { readOnly: true, entry };
}

/** What makes this use of a command write or run something, or undefined when nothing does. */
export function writesOrRuns(words: readonly string[]): string | undefined {
  const name = words[0];
  if (name === "git") return gitWrites(words);
  const check = FLAG_CHECKS[name];
  return check?.(words);
}

type Check = (words: readonly string[]) => string | undefined;

const FIND_ACTIONS: Record<string, string> = {
  "-delete": "find -delete deletes files",
  "-exec": "find -exec runs a command",
  "-execdir": "find -execdir runs a command",
  "-ok": "find -ok runs a command",
  "-okdir": "find -okdir runs a command",
  "-fprint": "find -fprint writes a file",
  "-fprint0": "find -fprint0 writes a file",
  "-fprintf": "find -fprintf writes a file",
  "-fls": "find -fls writes a file",
};

function optionCheck(spec: OptionSpec, flags: Record<string, string>): Check {
  return (words) => {
    const scanned = scanOptions(words, spec);
    const found = scanned.options.find((o) => Object.hasOwn(flags, o.name));
    return found ? flags[found.name] : undefined;
  };
}

const FLAG_CHECKS: Record<string, Check> = {
  tee: () => "tee writes files",
  find: (words) => {
    const action = words.find((w) => Object.hasOwn(FIND_ACTIONS, w));
    return action ? FIND_ACTIONS[action] : undefined;
  },
  sort: optionCheck(
    {
      shortWithValue: "oSTtk",
      longWithValue: ["output", "buffer-size", "temporary-directory", "field-separator", "key"],
    },
    {
      "-o": "sort -o writes a file",
      "--output": "sort --output writes a file",
      "--compress-program": "sort --compress-program runs a program",
    },
  ),
  uniq: (words) => {
    const scanned = scanOptions(words, {
      shortWithValue: "fsw",
      longWithValue: ["skip-fields", "skip-chars", "check-chars"],
    });
    return scanned.operands.length > 1 ? "uniq INPUT OUTPUT writes OUTPUT" : undefined;
  },
  sed: sedWrites,
  rg: optionCheck(
    { shortWithValue: "egftTmABCEjMr", longWithValue: ["pre", "pre-glob"] },
    { "--pre": "rg --pre runs a program on every file" },
  ),
  fd: optionCheck(
    { shortWithValue: "tedESoc", longWithValue: ["exec", "exec-batch"] },
    {
      "-x": "fd -x runs a command",
      "--exec": "fd --exec runs a command",
      "-X": "fd -X runs a command",
      "--exec-batch": "fd --exec-batch runs a command",
    },
  ),
  tree: optionCheck({ shortWithValue: "oLPIH" }, { "-o": "tree -o writes a file" }),
  file: optionCheck({ shortWithValue: "mfFeP" }, { "-C": "file -C writes a magic file" }),
  date: optionCheck(
    { shortWithValue: "dfrI", longWithValue: ["date", "file", "reference"] },
    { "-s": "date -s sets the clock", "--set": "date --set sets the clock" },
  ),
};
FLAG_CHECKS.fdfind = FLAG_CHECKS.fd;

function sedWrites(words: readonly string[]): string | undefined {
  const scanned = scanOptions(words, { shortWithValue: "efl", longWithValue: ["expression", "file", "line-length"] });
  if (hasOption(scanned, "-i", "--in-place")) return "sed -i edits files in place";
  if (hasOption(scanned, "--sandbox")) return undefined;
  if (hasOption(scanned, "-f", "--file")) return "sed -f runs a script file that was not checked";
  const expressions = optionValues(scanned, "-e", "--expression").map((o) => o.value ?? "");
  const scripts = expressions.length > 0 ? expressions : words[scanned.operands[0]] ? [words[scanned.operands[0]]] : [];
  return scripts.every(sedScriptIsReadOnly) ? undefined : "the sed script writes a file or runs a command (w, e)";
}

function gitWrites(words: readonly string[]): string | undefined {
  const git = gitInvocation(words);
  if (git.config.length > 0) return "git -c can make any git command run a program";
  const args = git.args;
  const scanned = scanOptions(["", ...args], {
    longWithValue: ["contains", "no-contains", "merged", "no-merged", "points-at", "sort", "format", "color", "column"],
  });
  const flag = (...names: string[]) => hasOption(scanned, ...names);
  switch (git.subcommand) {
    case "diff":
    case "log":
    case "show":
      return args.some((a) => a === "--output" || a.startsWith("--output="))
        ? `git ${git.subcommand} --output writes a file`
        : undefined;
    case "branch": {
      const writer = ["-d", "-D", "--delete", "-m", "-M", "--move", "-c", "-C", "--copy", "-f", "--force", "-u"];
      const extra = ["--set-upstream-to", "--unset-upstream", "--edit-description", "-t", "--track"];
      if (flag(...writer, ...extra)) return "git branch with -d/-D/-m/-c/-f/-u changes branches";
      const listing = flag("-l", "--list", "-a", "--all", "-r", "--remotes", "--show-current");
      if (scanned.operands.length > 0 && !listing) return "git branch NAME creates a branch";
      return undefined;
    }
    case "tag": {
      if (flag("-d", "--delete", "-a", "--annotate", "-s", "--sign", "-u", "-f", "--force", "-m", "-F")) {
        return "git tag with -d/-a/-s/-f/-m creates or deletes tags";
      }
      if (scanned.operands.length > 0 && !flag("-l", "--list")) return "git tag NAME creates a tag";
      return undefined;
    }
    case "remote": {
      const sub = args.find((a) => !a.startsWith("-"));
      return sub === undefined || sub === "show" || sub === "get-url" ? undefined : `git remote ${sub} changes remotes`;
    }
    case "reflog": {
      const sub = args.find((a) => !a.startsWith("-"));
      return sub === "expire" || sub === "delete" ? `git reflog ${sub} deletes reflog entries` : undefined;
    }
    case "grep":
      return flag("-O", "--open-files-in-pager") ? "git grep -O runs a pager program" : undefined;
    case "config":
      return flag(
        "--add",
        "--unset",
        "--unset-all",
        "--replace-all",
        "--rename-section",
        "--remove-section",
        "-e",
        "--edit",
      )
        ? "git config with --add/--unset/--edit changes configuration"
        : undefined;
    default:
      return undefined;
  }
}
