/**
 * Wrappers: commands that run another command given in their arguments (`sudo`, `env`,
 * `timeout`, `xargs`…). Unwrapping finds the command that actually runs, so rules, the
 * read-only list and the guard judge `rm`, not `sudo`. Pure: words in, words out.
 */

import { type OptionSpec, programName, scanOptions } from "./shell-options.js";
import type { ShellAssignment, ShellWord, ShellWrapper } from "./shell-types.js";
import { dynamicWord, literalWord } from "./shell-words.js";

interface WrapperSpec extends OptionSpec {
  /** Operands the wrapper itself takes before the command (`timeout DURATION`, `flock FILE`). */
  operands?: number;
  /** Options after which nothing is run (`sudo -l`, `command -v`): the wrapper is the command. */
  noCommand?: readonly string[];
  /** Accepts `NAME=value` words between its options and the command (`env`, `sudo`). */
  assignments?: boolean;
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: {
    shortWithValue: "ugphCDrtTUR",
    longWithValue: ["user", "group", "host", "prompt", "close-from", "chdir", "role", "type", "other-user", "chroot"],
    noCommand: ["-l", "--list", "-e", "--edit", "-v", "--validate", "-V", "--version", "-h", "--help"],
    assignments: true,
  },
  doas: { shortWithValue: "uC", noCommand: ["-C"] },
  env: {
    shortWithValue: "uCSP",
    longWithValue: ["unset", "chdir", "split-string"],
    assignments: true,
  },
  timeout: { shortWithValue: "sk", longWithValue: ["signal", "kill-after"], operands: 1 },
  nice: { shortWithValue: "n", longWithValue: ["adjustment"] },
  ionice: {
    shortWithValue: "cnpPu",
    longWithValue: ["class", "classdata", "pid", "pgid", "uid"],
    noCommand: ["-p", "--pid", "-P", "--pgid", "-u", "--uid"],
  },
  nohup: {},
  time: { shortWithValue: "fo", longWithValue: ["format", "output"] },
  command: { noCommand: ["-v", "-V"] },
  builtin: {},
  exec: { shortWithValue: "a" },
  stdbuf: { shortWithValue: "ioe", longWithValue: ["input", "output", "error"] },
  setsid: {},
  xargs: {
    shortWithValue: "adEILnPs",
    longWithValue: [
      "arg-file",
      "delimiter",
      "eof",
      "replace",
      "max-lines",
      "max-args",
      "max-procs",
      "max-chars",
      "process-slot-var",
    ],
  },
  watch: { shortWithValue: "nq", longWithValue: ["interval", "equexit"] },
  flock: { shortWithValue: "wE", longWithValue: ["timeout", "conflict-exit-code"], operands: 1 },
};

export function isWrapper(name: string): boolean {
  return Object.hasOwn(WRAPPERS, name);
}

export interface Unwrapped {
  /** The command that runs (may be empty: `sudo -l`, a bare `env`, stays the wrapper itself). */
  argv: ShellWord[];
  wrappers: ShellWrapper[];
  assignments: ShellAssignment[];
  /** `env -C DIR`: directories the command runs in, relative to the current one. */
  chdir: ShellWord[];
  extraArgs: boolean;
  /** The command is given as one string for `sh -c` (`watch CMD…`, `flock F -c CMD`): re-parse it. */
  script?: { word: ShellWord; shell: string };
}

/** Unwraps every leading wrapper of `argv` (`sudo env X=1 timeout 5 nice rm x` → `rm x`). */
export function unwrap(argv: readonly ShellWord[]): Unwrapped {
  const result: Unwrapped = { argv: [...argv], wrappers: [], assignments: [], chdir: [], extraArgs: false };
  for (let guard = 0; guard < 32; guard++) {
    const head = result.argv[0];
    if (!head || head.dynamic) return result;
    const name = programName(head.value);
    const spec = WRAPPERS[name];
    if (!spec) return result;
    const step = unwrapOne(name, spec, result.argv);
    if (!step) return result;
    result.wrappers.push({ name, words: result.argv.slice(0, step.start).map((w) => w.value) });
    result.assignments.push(...step.assignments);
    result.chdir.push(...step.chdir);
    if (step.extraArgs) result.extraArgs = true;
    if (step.script) {
      result.script = step.script;
      result.argv = [];
      return result;
    }
    result.argv = step.replace ?? result.argv.slice(step.start);
  }
  return result;
}

interface Step {
  /** Index of the wrapped command's first word. */
  start: number;
  assignments: ShellAssignment[];
  chdir: ShellWord[];
  extraArgs?: boolean;
  script?: { word: ShellWord; shell: string };
  /** The wrapped command when it is not a plain suffix (`env -S`, `xargs -I`, bare `xargs`). */
  replace?: ShellWord[];
}

function unwrapOne(name: string, spec: WrapperSpec, argv: readonly ShellWord[]): Step | undefined {
  const values = argv.map((w) => w.value);
  const scanned = scanOptions(values, { ...spec, stopAtOperand: true });
  if (scanned.options.some((o) => spec.noCommand?.includes(o.name))) return undefined;
  // A dynamic option word could be anything, including the end of the options.
  if (argv.slice(1, scanned.firstOperand).some((w) => w.dynamic)) return undefined;
  let start = scanned.firstOperand;
  // `env - cmd` is `env -i cmd`.
  if (name === "env" && argv[start]?.value === "-") start++;
  const assignments: ShellAssignment[] = [];
  const chdir: ShellWord[] = [];
  const step: Step = { start, assignments, chdir };
  let split: ShellWord[] | undefined;

  if (name === "env") {
    for (const option of scanned.options) {
      if ((option.name === "-C" || option.name === "--chdir") && option.value !== undefined) {
        chdir.push(literalWord(option.value));
      }
      if ((option.name === "-S" || option.name === "--split-string") && option.value !== undefined) {
        split = splitWords(option.value).map((w) => literalWord(w));
      }
    }
  }
  if (spec.assignments) {
    while (start < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[start].value)) {
      const word = argv[start];
      const eq = word.value.indexOf("=");
      assignments.push({ name: word.value.slice(0, eq), value: literalWord(word.value.slice(eq + 1)) });
      start++;
    }
  }
  start += spec.operands ?? 0;
  step.start = start;
  // `env -S 'cmd a' b`: the split string comes before the remaining words.
  if (split) step.replace = [...split, ...argv.slice(start)];

  if (name === "flock") {
    const next = argv[start]?.value;
    if ((next === "-c" || next === "--command") && argv[start + 1]) {
      step.script = { word: argv[start + 1], shell: "flock -c" };
      return step;
    }
  }
  if (name === "watch" && !scanned.options.some((o) => o.name === "-x" || o.name === "--exec")) {
    const rest = argv.slice(start);
    if (rest.length === 0) return undefined;
    step.script = { word: joinWords(rest), shell: "watch" };
    return step;
  }
  if (name === "xargs") return xargsStep(step, scanned.options, argv);
  if (start >= argv.length && !step.replace) return undefined;
  return step;
}

function xargsStep(step: Step, options: { name: string; value?: string }[], argv: readonly ShellWord[]): Step {
  const replaceOption = options.find((o) => o.name === "-I" || o.name === "--replace" || o.name === "-i");
  const replace = replaceOption ? (replaceOption.value ?? "{}") : undefined;
  const command = argv.slice(step.start);
  // Without a command xargs runs echo.
  const words = command.length > 0 ? command : [literalWord("echo")];
  if (replace === undefined) return { ...step, extraArgs: true, replace: words };
  return {
    ...step,
    replace: words.map((w) => (w.value.includes(replace) ? dynamicWord(w.text) : w)),
  };
}

/** `watch a b` runs `sh -c "a b"`: the words joined by spaces. */
function joinWords(words: readonly ShellWord[]): ShellWord {
  const dynamic = words.some((w) => w.dynamic);
  const text = words.map((w) => w.text).join(" ");
  if (dynamic) return dynamicWord(text);
  return literalWord(words.map((w) => w.value).join(" "));
}

/** `env -S` splitting: whitespace separates, single and double quotes group. */
function splitWords(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : (match[2] ?? match[3]));
  }
  return out;
}
