/**
 * Programs that run code they are given (shells, python, node, eval, source…): which of
 * their arguments is code and whether they read code from stdin. The guard uses this
 * to see a download flowing into something that executes it.
 */
import { SHELLS, shellInvocation } from "./shell-commands.js";
import { type OptionSpec, programName, scanOptions } from "./shell-options.js";

export const DOWNLOADERS: ReadonlySet<string> = new Set(["curl", "wget", "fetch", "aria2c"]);

export interface InterpreterUse {
  name: string;
  /** Argv indexes whose text is run as code (a script string or a script file). */
  codeArgs: number[];
  /** Reads the code to run from stdin (no script given, or `-` / `/dev/stdin`). */
  readsStdin: boolean;
}

interface Spec extends OptionSpec {
  /** Options whose value is code (`-c`, `-e`). */
  code: readonly string[];
  /** Options after which no script is read (`python -m mod`). */
  noScript?: readonly string[];
}

const SPECS: Record<string, Spec> = {
  python: { shortWithValue: "cmWX", code: ["-c"], noScript: ["-m"], stopAtOperand: true },
  perl: { shortWithValue: "eEIMm", code: ["-e", "-E"], stopAtOperand: true },
  ruby: { shortWithValue: "eIrC", code: ["-e"], stopAtOperand: true },
  node: {
    shortWithValue: "eprC",
    longWithValue: ["eval", "print", "require", "import", "loader", "experimental-loader", "conditions", "input-type"],
    code: ["-e", "--eval", "-p", "--print"],
    stopAtOperand: true,
  },
  php: { shortWithValue: "rfdcz", code: ["-r", "-f"], stopAtOperand: true },
  fish: {
    shortWithValue: "cCd",
    longWithValue: ["command", "init-command"],
    code: ["-c", "--command", "-C"],
    stopAtOperand: true,
  },
};

function specName(name: string): string | undefined {
  if (/^python[\d.]*$/.test(name)) return "python";
  if (name === "nodejs") return "node";
  return Object.hasOwn(SPECS, name) ? name : undefined;
}

const STDIN_PATHS = new Set(["-", "/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"]);

/** How `words` runs code, or undefined when its program is not an interpreter we know. */
export function interpreterUse(words: readonly string[]): InterpreterUse | undefined {
  if (words.length === 0) return undefined;
  const name = programName(words[0]);
  if (name === "eval") return { name, codeArgs: words.slice(1).map((_, i) => i + 1), readsStdin: false };
  if (name === "source" || name === ".") {
    return { name, codeArgs: words.length > 1 ? [1] : [], readsStdin: STDIN_PATHS.has(words[1] ?? "") };
  }
  if (SHELLS.has(name)) {
    const invocation = shellInvocation(words);
    if (invocation.mode === "stdin") return { name, codeArgs: [], readsStdin: true };
    return {
      name,
      codeArgs: [invocation.index],
      readsStdin: invocation.mode === "file" && STDIN_PATHS.has(words[invocation.index]),
    };
  }
  const key = specName(name);
  if (!key) return undefined;
  const spec = SPECS[key];
  const scanned = scanOptions(words, spec);
  const code = scanned.options.filter((o) => spec.code.includes(o.name));
  const codeArgs = code.map((o) => o.valueIndex ?? o.index);
  if (code.length > 0 || scanned.options.some((o) => spec.noScript?.includes(o.name))) {
    return { name, codeArgs, readsStdin: false };
  }
  const script = scanned.operands[0];
  if (script === undefined) return { name, codeArgs: [], readsStdin: true };
  return { name, codeArgs: [script], readsStdin: STDIN_PATHS.has(words[script]) };
}
