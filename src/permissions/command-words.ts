/**
 * The words rules and lists match a command by: the program's name (`/usr/bin/git` is
 * `git`) followed by its arguments, with git's global options (`-C dir`, `--no-pager`…)
 * set aside, so `git -C . push` cannot slip past a rule on `git push`.
 */
import { programName } from "./shell-options.js";

export interface GitInvocation {
  /** `-C` directories, in order (each relative to the previous). */
  dirs: string[];
  /** `-c key=value` settings: these can make any git command run programs (core.pager, alias.*). */
  config: string[];
  workTree?: string;
  gitDir?: string;
  /** The subcommand (`status`), absent for `git --version` and the like. */
  subcommand?: string;
  /** Words after the subcommand. */
  args: string[];
}

const GIT_GLOBALS_WITH_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"]);
const GIT_GLOBAL_FLAGS = new Set([
  "--no-pager",
  "-P",
  "-p",
  "--paginate",
  "--no-optional-locks",
  "--bare",
  "--literal-pathspecs",
  "--glob-pathspecs",
  "--noglob-pathspecs",
  "--icase-pathspecs",
  "--no-replace-objects",
  "--no-lazy-fetch",
  "--no-advice",
]);

/** Splits `git [global options] subcommand args` (words[0] is git). */
export function gitInvocation(words: readonly string[]): GitInvocation {
  const git: GitInvocation = { dirs: [], config: [], args: [] };
  let i = 1;
  for (; i < words.length; i++) {
    const word = words[i];
    const eq = word.startsWith("--") ? word.indexOf("=") : -1;
    const name = eq === -1 ? word : word.slice(0, eq);
    if (GIT_GLOBALS_WITH_VALUE.has(name)) {
      const value = eq === -1 ? words[++i] : word.slice(eq + 1);
      if (value === undefined) break;
      if (name === "-C") git.dirs.push(value);
      else if (name === "-c" || name === "--config-env") git.config.push(value);
      else if (name === "--work-tree") git.workTree = value;
      else if (name === "--git-dir") git.gitDir = value;
      continue;
    }
    // Anything else (`--version`, `-h`, a subcommand) ends the global options.
    if (!GIT_GLOBAL_FLAGS.has(word)) break;
  }
  if (i < words.length && !words[i].startsWith("-")) {
    git.subcommand = words[i];
    git.args = words.slice(i + 1);
  } else git.args = words.slice(i);
  return git;
}

/** The words a rule or list entry is matched against. */
export function matchWords(words: readonly string[]): string[] {
  if (words.length === 0) return [];
  const name = programName(words[0]);
  if (name !== "git") return [name, ...words.slice(1)];
  const git = gitInvocation(words);
  return git.subcommand ? ["git", git.subcommand, ...git.args] : ["git", ...git.args];
}

/**
 * Whether a pattern in words (`npm run *`, `git push`, `*`) covers these words: they
 * start with the pattern's words; a `*` word matches any one word, a trailing `*` any
 * rest (including none).
 */
export function patternMatches(pattern: readonly string[], words: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i];
    if (want === "*" && i === pattern.length - 1) return true;
    if (i >= words.length) return false;
    if (want !== "*" && want !== words[i]) return false;
  }
  return true;
}

/** A pattern as written in config, split into words. */
export function patternWords(pattern: string): string[] {
  return pattern.trim().split(/\s+/).filter(Boolean);
}

/** How many words a pattern names literally (a `*` names none): longer is more specific. */
export function patternLength(pattern: readonly string[]): number {
  return pattern.filter((word) => word !== "*").length;
}
