/**
 * Recognises the shell commands that check a project (tests, builds, type checks,
 * linters) among what the agent ran, so their exit code can count as proof that an edit
 * works. Judged by the command's words; a check whose exit code the shell hides (piped
 * into another command, followed by `; other` or `|| true`) does not count.
 */

/** Words that, after a package runner's `run`, name a check script. */
const SCRIPT_CHECK = /^(test|tests|build|lint|typecheck|type-check|types|check|tsc|verify|ci)([:\-_.].*)?$/;

const TOOLS: Record<string, (args: string[]) => boolean> = {
  npm: packageManager,
  pnpm: packageManager,
  yarn: packageManager,
  bun: (args) => packageManager(args) || args[0] === "x",
  npx: (args) => isCheckProgram(args.filter((a) => !a.startsWith("-"))),
  bunx: (args) => isCheckProgram(args),
  cargo: (args) => ["test", "check", "build", "clippy", "nextest", "t", "c", "b"].includes(args[0] ?? ""),
  go: (args) => ["test", "build", "vet"].includes(args[0] ?? ""),
  make: (args) => args.some((a) => /^(test|tests|check|build|lint|all|ci|verify)$/.test(a)),
  python: pythonModule,
  python3: pythonModule,
  uv: (args) => args[0] === "run" && isCheckProgram(args.slice(1)),
  poetry: (args) => args[0] === "run" && isCheckProgram(args.slice(1)),
  deno: (args) => ["test", "check", "lint"].includes(args[0] ?? ""),
  dotnet: (args) => ["test", "build"].includes(args[0] ?? ""),
  mvn: (args) => args.some((a) => ["test", "verify", "package", "compile", "install"].includes(a)),
  gradle: gradle,
  gradlew: gradle,
  swift: (args) => ["build", "test"].includes(args[0] ?? ""),
  zig: (args) => args[0] === "build",
  mix: (args) => ["test", "compile"].includes(args[0] ?? ""),
  bundle: (args) => args[0] === "exec" && isCheckProgram(args.slice(1)),
  rake: (args) => args.length === 0 || args[0] === "test" || args[0] === "spec",
  ruff: (args) => args[0] === "check" || args.length === 0,
  biome: (args) => ["check", "lint", "ci"].includes(args[0] ?? ""),
};

/** Programs that are a check whatever their arguments. */
const CHECK_PROGRAMS = new Set([
  "tsc",
  "vue-tsc",
  "vitest",
  "jest",
  "mocha",
  "ava",
  "playwright",
  "eslint",
  "pytest",
  "py.test",
  "tox",
  "nox",
  "mypy",
  "pyright",
  "flake8",
  "pylint",
  "rspec",
  "phpunit",
  "ctest",
  "golangci-lint",
  "shellcheck",
]);

function packageManager(args: string[]): boolean {
  const [first, second] = args;
  if (first === "test" || first === "t" || first === "tst") return true;
  if (first === "run" || first === "run-script") return second !== undefined && SCRIPT_CHECK.test(second);
  // yarn and pnpm run scripts by name: `yarn lint`, `pnpm typecheck`.
  if (first !== undefined && SCRIPT_CHECK.test(first)) return true;
  if (first === "exec" || first === "dlx") return isCheckProgram(args.slice(1));
  return false;
}

function pythonModule(args: string[]): boolean {
  const at = args.indexOf("-m");
  return (
    at >= 0 && ["pytest", "unittest", "mypy", "ruff", "tox", "pyright", "flake8", "pylint"].includes(args[at + 1] ?? "")
  );
}

function gradle(args: string[]): boolean {
  return args.some((a) => /(^|:)(test|build|check|assemble)$/.test(a));
}

function isCheckProgram(words: string[]): boolean {
  const [program, ...args] = words;
  if (program === undefined) return false;
  // node_modules/.bin/tsc, ./gradlew, /usr/bin/make: the program's own name decides.
  const name = program.split("/").pop() ?? program;
  if (CHECK_PROGRAMS.has(name)) return true;
  const tool = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
  return tool ? tool(args) : false;
}

/** `FOO=1 CI=true npm test` → ["npm", "test"]; quotes are removed, not interpreted. */
function commandWords(segment: string): string[] {
  const words = segment.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  const unquoted = words.map((w) => w.replace(/^(["'])(.*)\1$/, "$2"));
  let start = 0;
  while (start < unquoted.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(unquoted[start])) start++;
  const rest = unquoted.slice(start);
  // Wrappers that run the check as it is.
  while (rest.length > 0 && ["time", "env", "command", "exec", "nice"].includes(rest[0])) rest.shift();
  return rest;
}

interface Segment {
  text: string;
  /** The operator after this segment ("" at the end). */
  next: string;
}

/** Splits on ; && || | and newlines outside quotes. */
function splitSegments(command: string): Segment[] {
  const segments: Segment[] = [];
  let current = "";
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i];
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
      continue;
    }
    const two = command.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      segments.push({ text: current, next: two });
      current = "";
      i++;
      continue;
    }
    if (ch === "|" || ch === ";" || ch === "\n") {
      segments.push({ text: current, next: ch === "\n" ? ";" : ch });
      current = "";
      continue;
    }
    current += ch;
  }
  segments.push({ text: current, next: "" });
  return segments.filter((s) => s.text.trim() !== "" || s.next !== "");
}

/**
 * True when `command` runs a check whose failure would make the whole command fail:
 * every operator after the check is `&&` (or `|` under `set -o pipefail`).
 */
export function isCheckCommand(command: string): boolean {
  const pipefail = /pipefail/.test(command);
  const segments = splitSegments(command.replace(/^\s*\(|\)\s*$/g, ""));
  for (let i = 0; i < segments.length; i++) {
    const words = commandWords(segments[i].text.replace(/^\s*cd\s+\S+\s*$/, ""));
    if (!isCheckProgram(words)) continue;
    const after = segments
      .slice(i)
      .map((s) => s.next)
      .filter((op) => op !== "");
    const hidden = after.some((op) => op === ";" || op === "||" || (op === "|" && !pipefail));
    if (!hidden) return true;
  }
  return false;
}
