/**
 * What the shell parser reports about a command line: every simple command it would
 * run, however nested, with its words, redirections and how it was reached. Pure data:
 * the guard and the policy judge it, nothing here runs anything.
 */

/** One piece of a word, so a later stage can resolve what the parser cannot (`~`, `$HOME`). */
export type WordSegment =
  /** Literal text; `quoted` when it came from quotes (glob characters in it are literal). */
  | { kind: "text"; text: string; quoted: boolean }
  /** An unquoted leading `~` (user "") or `~user`. */
  | { kind: "tilde"; user: string }
  /** `$NAME` / `${NAME}` of a variable this line did not set: its value comes from the environment. */
  | { kind: "variable"; name: string }
  /** Anything known only at run time: `$(…)`, `$((…))`, `${X:-y}`, `$@`, a variable set dynamically. */
  | { kind: "dynamic"; text: string };

export interface ShellWord {
  /** The word as written. */
  text: string;
  /**
   * The word the command receives: quotes removed, escapes resolved, variables this line
   * set statically substituted. A leading `~` stays as written. When `dynamic`, the text.
   */
  value: string;
  /** Contains an expansion whose value is not known statically (an environment variable counts). */
  dynamic: boolean;
  /** May expand to other or several words: unquoted `*`, `?`, `[…]`, or brace expansion. */
  glob: boolean;
  segments: WordSegment[];
}

export interface ShellAssignment {
  name: string;
  value: ShellWord;
}

/**
 * The working directory a command runs in, as the `cd` targets passed since the line
 * started (relative to the caller's cwd, each resolved against the previous), or null
 * when it cannot be known (a dynamic `cd`, `cd -`, inside a function body, branches that
 * disagree).
 */
export type CwdTrail = ShellWord[] | null;

export interface ShellRedirect {
  /** `>`, `>>`, `>|`, `&>`, `&>>`, `>&`, `<`, `<&`, `<<`, `<<-`, `<<<`, `>&-`, … */
  operator: string;
  fd?: number;
  /**
   * out: opens a file for writing; in: reads a file; dup: duplicates or closes a descriptor
   * (`2>&1`, `>&-`); data: a heredoc or herestring whose body is the command's input.
   */
  direction: "out" | "in" | "dup" | "data";
  /** The file (out/in), descriptor (dup) or herestring word (data). Absent for a heredoc. */
  target?: ShellWord;
  /** A heredoc's body as the command reads it; `dynamic` when an unquoted body expands something. */
  body?: ShellWord;
  /** The directory the target is relative to: the redirection's own statement, not the commands inside it. */
  cwd: CwdTrail;
  /** Came from an enclosing `{ …; } > f`, loop or subshell rather than the command itself. */
  inherited: boolean;
}

/** A wrapper that was unwrapped to reach the command it runs: `sudo -u x`, `timeout 5`, `xargs -0`. */
export interface ShellWrapper {
  name: string;
  /** The wrapper's own words (its name and options, not the command it runs). */
  words: string[];
}

/** One step on the way from the line to a command, outermost first. */
export type ShellVia =
  | { kind: "pipeline"; id: number; stage: number }
  | { kind: "substitution"; parent?: number }
  | { kind: "process-substitution"; direction: "<" | ">"; parent?: number }
  | { kind: "subshell" }
  | { kind: "group" }
  | { kind: "function"; name: string }
  | { kind: "background" }
  | { kind: "wrapper"; name: string }
  /** `bash -c STRING`, `watch CMD`, or a shell reading a script from a heredoc or `echo`. */
  | { kind: "shell-c"; shell: string }
  | { kind: "eval" }
  /** The command string of `trap CMD SIGNAL`, run when the signal arrives. */
  | { kind: "trap" }
  | { kind: "find-exec" };

/** Where a command found inside another command's word came from. */
export interface ShellParentRef {
  id: number;
  /** Index into the parent's (unwrapped) argv, or where else in the parent the substitution sat. */
  word: number | "assignment" | "redirect" | "wrapper";
}

export interface ShellCommand {
  /** Unique within one parse; `parent` refers to it. */
  id: number;
  /** The command's words after unwrapping wrappers: argv[0] is what actually runs. */
  argv: ShellWord[];
  /** `argv` values, for matching. */
  words: string[];
  /** Leading `VAR=value` words (of the command and of its wrappers, e.g. `env X=1`). */
  assignments: ShellAssignment[];
  redirects: ShellRedirect[];
  /** Source text of the simple command, wrappers included. */
  text: string;
  via: ShellVia[];
  /** Unwrapped wrappers, outermost first. */
  wrappers: ShellWrapper[];
  /** The innermost pipeline the command is a stage of. */
  pipeline?: { id: number; stage: number; length: number };
  /** Runs in the background (`&`), also through an enclosing backgrounded statement. */
  background: boolean;
  cwd: CwdTrail;
  /** The command ran inside a word of another command (a substitution) or was run by it (find -exec). */
  parent?: ShellParentRef;
  /** `xargs` or `find -exec … +` append arguments known only at run time. */
  extraArgs: boolean;
}

export interface ShellFunction {
  name: string;
  text: string;
}

export interface ParsedShell {
  source: string;
  commands: ShellCommand[];
  functions: ShellFunction[];
  /**
   * Set when the line cannot be judged from its text: a parse error, a command name known
   * only at run time, nesting past the limit, a script string known only at run time. The
   * policy then asks, never allows. `commands` still holds what was found.
   */
  unparseable?: string;
}
