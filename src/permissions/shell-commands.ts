/**
 * What one simple command runs: unwraps wrappers, follows `bash -c STRING`, `eval`, a
 * shell reading its script from a heredoc or `echo`, `watch`, and `find -exec`, and
 * updates the state for `cd`, variable-setting builtins and calls that may change
 * anything. Emits the command (or the commands it runs) into the sink.
 */

import { snippet } from "./shell-nodes.js";
import { programName, scanOptions } from "./shell-options.js";
import { poison, type ShellState, withCd, withVariable } from "./shell-state.js";
import type { ShellAssignment, ShellCommand, ShellRedirect, ShellVia, ShellWord } from "./shell-types.js";
import { markUnparseable, type Sink, type WalkContext, walkSource } from "./shell-walk.js";
import { dynamicWord, literalWord } from "./shell-words.js";
import { type Unwrapped, unwrap } from "./shell-wrappers.js";

export interface RawCommand {
  id: number;
  argv: ShellWord[];
  assignments: ShellAssignment[];
  redirects: ShellRedirect[];
  text: string;
  /** Commands found in this command's words; `at` is the raw argv index they sat in. */
  children: { command: ShellCommand; at: number | "assignment" | "redirect" }[];
  extraArgs?: boolean;
}

export const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash"]);

const CD_COMMANDS = new Set(["cd", "pushd", "popd"]);
const VARIABLE_SETTERS = new Set(["read", "mapfile", "readarray", "getopts", "printf"]);
const FIND_EXEC = new Set(["-exec", "-execdir", "-ok", "-okdir"]);

export function finishCommand(raw: RawCommand, s: ShellState, c: WalkContext, sink: Sink): ShellState {
  const unwrapped = unwrap(raw.argv);
  const job: Job = {
    raw,
    unwrapped,
    state: s,
    ctx: c,
    sink,
    via: [...c.via, ...unwrapped.wrappers.map((w): ShellVia => ({ kind: "wrapper", name: w.name }))],
    cwd: unwrapped.chdir.reduce(withCd, s).cwd,
  };
  if (unwrapped.script)
    return runScript(job, unwrapped.script.word, { kind: "shell-c", shell: unwrapped.script.shell });
  const argv = unwrapped.argv;
  if (argv.length === 0) {
    if (raw.redirects.length > 0 || c.redirects.length > 0) emit(job);
    return s;
  }
  const head = argv[0];
  if (head.dynamic) {
    markUnparseable(sink, `the command name is known only at run time: ${snippet(head.text)}`);
    emit(job);
    return poison(s);
  }
  const name = programName(head.value);
  if (SHELLS.has(name)) return runShell(job, name);
  if (name === "eval") {
    const args = argv.slice(1);
    if (args.some((w) => w.dynamic)) {
      markUnparseable(sink, `eval runs text known only at run time: ${snippet(raw.text)}`);
      emit(job);
      return poison(s);
    }
    return runScript(job, literalWord(args.map((w) => w.value).join(" ")), { kind: "eval" }, true);
  }
  if (name === "trap" && argv.length >= 3 && !argv[1].value.startsWith("-")) {
    // `trap 'CMD' EXIT` runs CMD later, in this shell: CMD is what to judge.
    return runScript(job, argv[1], { kind: "trap" });
  }
  if (name === "su") {
    const script = suCommand(argv);
    if (script) return runScript(job, script, { kind: "shell-c", shell: "su -c" });
  }
  if (name === "shopt" && job.raw.argv.some((w) => w.value === "expand_aliases")) {
    markUnparseable(sink, "aliases are expanded, so later words may not mean what they say");
  }
  const command = emit(job);
  if (name === "find") emitFindExec(job, command);
  return stateAfter(name, argv, s, sink);
}

interface Job {
  raw: RawCommand;
  unwrapped: Unwrapped;
  state: ShellState;
  ctx: WalkContext;
  sink: Sink;
  via: ShellVia[];
  cwd: ShellCommand["cwd"];
}

function emit(job: Job): ShellCommand {
  const { raw, unwrapped, ctx, sink } = job;
  const argv = unwrapped.argv;
  const command: ShellCommand = {
    id: raw.id,
    argv,
    words: argv.map((w) => w.value),
    assignments: [...raw.assignments, ...unwrapped.assignments],
    redirects: [...ctx.redirects, ...raw.redirects],
    text: raw.text,
    via: job.via,
    wrappers: unwrapped.wrappers,
    background: ctx.background,
    cwd: job.cwd,
    extraArgs: unwrapped.extraArgs || raw.extraArgs === true,
  };
  if (ctx.pipeline) command.pipeline = ctx.pipeline;
  if (ctx.parent) command.parent = ctx.parent;
  for (const child of raw.children) {
    const at = child.at;
    if (typeof at !== "number") child.command.parent = { id: raw.id, word: at };
    else {
      const original = raw.argv[at];
      const index = argv.indexOf(original);
      const byText = argv.findIndex((w) => w.text === original.text);
      child.command.parent = { id: raw.id, word: index !== -1 ? index : byText !== -1 ? byText : "wrapper" };
    }
  }
  sink.commands.push(command);
  sink.last = command;
  return command;
}

/**
 * Walks a command string as the commands it runs. `sameShell` (eval) keeps the state it
 * leaves behind; a child shell's changes stay in the child.
 */
function runScript(job: Job, word: ShellWord, via: ShellVia, sameShell = false, consumed?: ShellRedirect): ShellState {
  const { raw, ctx, sink, state } = job;
  const label = via.kind === "shell-c" ? via.shell : via.kind;
  if (word.dynamic) {
    markUnparseable(sink, `${label} runs a command string known only at run time: ${snippet(word.text)}`);
    emit(job);
    return poison(state);
  }
  let inner: ShellState = { ...state, cwd: job.cwd };
  if (!sameShell) {
    // Prefix assignments (`HOME=/ bash -c …`) are the child shell's environment.
    for (const a of [...raw.assignments, ...job.unwrapped.assignments]) {
      inner = withVariable(inner, a.name, a.value.dynamic ? null : a.value.value);
    }
  }
  const after = walkSource(
    word.value,
    inner,
    {
      ...ctx,
      via: [...job.via, via],
      // The heredoc that carried the script is not the script's commands' input.
      redirects: [...ctx.redirects, ...raw.redirects]
        .filter((r) => r !== consumed)
        .map((r) => ({ ...r, inherited: true })),
      depth: ctx.depth + 1,
      pipedFrom: undefined,
    },
    sink,
  );
  return sameShell ? after : state;
}

/** `bash -c STR` runs STR; `bash FILE` runs a file; a bare `bash` runs what arrives on stdin. */
function runShell(job: Job, name: string): ShellState {
  const words = job.unwrapped.argv;
  const invocation = shellInvocation(words.map((w) => w.value));
  const shellVia = (label: string): ShellVia => ({ kind: "shell-c", shell: label });
  if (invocation.mode === "string") return runScript(job, words[invocation.index], shellVia(`${name} -c`));
  if (invocation.mode === "file") {
    emit(job);
    return job.state;
  }
  const redirects = [...job.ctx.redirects, ...job.raw.redirects];
  const stdin = redirects.filter((r) => r.direction === "data" || (r.direction === "in" && (r.fd ?? 0) === 0)).pop();
  if (stdin?.direction === "data") {
    const script = stdin.body ?? stdin.target;
    if (script) return runScript(job, script, shellVia(`${name} <<`), false, stdin);
  }
  if (!stdin && job.ctx.pipedFrom !== undefined) {
    const from = job.ctx.pipedFrom;
    const heredoc =
      from !== "unknown" && from.words.length === 1 && from.words[0] === "cat" ? dataInput(from) : undefined;
    if (heredoc) return runScript(job, heredoc, shellVia(`cat <<… | ${name}`));
    if (from !== "unknown" && from.words[0] === "echo" && from.argv.every((w) => !w.dynamic)) {
      const args = from.words.slice(1);
      while (args[0] === "-n" || args[0] === "-E") args.shift();
      if (args[0] !== "-e") return runScript(job, literalWord(args.join(" ")), shellVia(`echo … | ${name}`));
    }
    markUnparseable(job.sink, `${name} runs a script piped from another command, known only at run time`);
  }
  emit(job);
  return job.state;
}

/** The command string of `su [user] -c CMD`, if any. */
function suCommand(argv: readonly ShellWord[]): ShellWord | undefined {
  const scanned = scanOptions(
    argv.map((w) => w.value),
    { shortWithValue: "csgGw", longWithValue: ["command", "session-command", "shell", "group", "supp-group"] },
  );
  const option = scanned.options.find((o) => ["-c", "--command", "--session-command"].includes(o.name));
  if (!option) return undefined;
  if (option.valueIndex !== undefined) return argv[option.valueIndex];
  return argv[option.index].dynamic ? dynamicWord(option.value ?? "") : literalWord(option.value ?? "");
}

/** The heredoc or herestring a command reads as its stdin, if that is where its input comes from. */
function dataInput(command: ShellCommand): ShellWord | undefined {
  const stdin = command.redirects
    .filter((r) => r.direction === "data" || (r.direction === "in" && (r.fd ?? 0) === 0))
    .pop();
  return stdin?.direction === "data" ? (stdin.body ?? stdin.target) : undefined;
}

export type ShellInvocation = { mode: "string" | "file"; index: number } | { mode: "stdin" };

export function shellInvocation(words: readonly string[]): ShellInvocation {
  let commandString = false;
  let readStdin = false;
  let i = 1;
  while (i < words.length) {
    const word = words[i];
    if (word === "--" || word === "-") {
      i++;
      break;
    }
    if (word.startsWith("--")) {
      i += word === "--rcfile" || word === "--init-file" ? 2 : 1;
      continue;
    }
    if ((word.startsWith("-") || word.startsWith("+")) && word.length > 1) {
      const letters = word.slice(1);
      if (word[0] === "-" && letters.includes("c")) commandString = true;
      if (word[0] === "-" && letters.includes("s")) readStdin = true;
      // -o OPTION and -O SHOPT take the next word.
      i += 1 + [...letters].filter((letter) => letter === "o" || letter === "O").length;
      continue;
    }
    break;
  }
  if (commandString && i < words.length) return { mode: "string", index: i };
  if (readStdin || i >= words.length) return { mode: "stdin" };
  return { mode: "file", index: i };
}

/** `find … -exec CMD {} ;` runs CMD: each is a command of its own, reached through find. */
function emitFindExec(job: Job, find: ShellCommand): void {
  const words = find.argv;
  for (let i = 1; i < words.length; i++) {
    if (!FIND_EXEC.has(words[i].value)) continue;
    const start = i + 1;
    let end = start;
    while (end < words.length && words[end].value !== ";" && words[end].value !== "+") end++;
    const argv = words.slice(start, end).map((w) => (w.value.includes("{}") ? dynamicWord(w.text) : w));
    const inDir = words[i].value.endsWith("dir");
    if (argv.length > 0) {
      finishCommand(
        {
          id: job.sink.nextId++,
          argv,
          assignments: [],
          redirects: [],
          text: words
            .slice(start, end)
            .map((w) => w.text)
            .join(" "),
          children: [],
          extraArgs: words[end]?.value === "+",
        },
        inDir ? { ...job.state, cwd: null } : { ...job.state, cwd: job.cwd },
        { ...job.ctx, via: [...job.via, { kind: "find-exec" }], parent: { id: find.id, word: start }, redirects: [] },
        job.sink,
      );
    }
    i = end;
  }
}

/** The state after a command ran in this shell. */
function stateAfter(name: string, argv: readonly ShellWord[], s: ShellState, sink: Sink): ShellState {
  if (CD_COMMANDS.has(name)) {
    if (name === "popd") return { ...s, cwd: null };
    const scanned = scanOptions(
      argv.map((w) => w.value),
      {},
    );
    const operand = scanned.operands[0];
    if (operand === undefined) return withCd(s, name === "cd" ? literalWord("~", [{ kind: "tilde", user: "" }]) : null);
    const target = argv[operand];
    if (target.value === "-" || /^[+-]\d+$/.test(target.value)) return withCd(s, null);
    return withCd(s, target);
  }
  if (VARIABLE_SETTERS.has(name)) {
    let state = s;
    for (const word of argv.slice(1))
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.value)) state = withVariable(state, word.value, null);
    return state;
  }
  if (name === "source" || name === "." || sink.functionNames.has(name)) return poison(s);
  return s;
}
