/**
 * Hook commands from each profile's `hooks` table (`hooks = { on_edit = ["npm run lint"] }`)
 * and the top-level `[hooks]` (profiles from environment keys and Ollama): the program each
 * command starts must exist, or the hook fails on every edit or task. Read from the raw
 * TOML with the runtime's own parser (hooks/config.ts).
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { displayPath, homeDir } from "../../config/paths.js";
import { findOnPath } from "../../exec/path-lookup.js";
import { HOOK_EVENTS, parseHooksTable } from "../../hooks/config.js";
import { type CheckResult, type DoctorContext, fail, ok, warn } from "./types.js";

/** Words a shell runs itself; they are never found on PATH and need not be. */
const SHELL_BUILTINS = new Set([
  ".",
  ":",
  "[",
  "alias",
  "cd",
  "command",
  "echo",
  "eval",
  "exec",
  "exit",
  "export",
  "false",
  "printf",
  "pwd",
  "read",
  "set",
  "source",
  "test",
  "true",
  "type",
  "ulimit",
  "umask",
  "unset",
  "wait",
  "if",
  "for",
  "while",
  "case",
  "{",
  "(",
  "!",
]);

interface HookProblem {
  /** `profiles.NAME.hooks.EVENT` */
  where: string;
  profile: string;
  command?: string;
  problem: string;
  fix: string;
  severity: "warn" | "fail";
}

type Table = Record<string, unknown>;

export async function hookChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const id = "hooks";
  const { config } = ctx;
  if (config.exists && config.raw === undefined) {
    return [
      warn(id, "not checked: the config file does not parse", "Fix the config file first (see the config check)."),
    ];
  }
  const shown = displayPath(config.path, ctx.env);
  const problems: HookProblem[] = [];
  const found: Array<{ profile: string; event: string; command: string }> = [];
  const tables: Array<[string, unknown, string]> = profileTables(config.raw, ctx.profileName).map(
    ([profile, table]) => [`profiles.${profile}.hooks`, table.hooks, `under [profiles.${profile}] in ${shown}`],
  );
  tables.push(["hooks", config.raw?.hooks, `under [hooks] in ${shown}`]);
  for (const [where, value, place] of tables) {
    if (value === undefined) continue;
    const profile = where.split(".")[1] ?? "";
    const parsed = parseHooksTable(value, where, place);
    for (const problem of parsed.problems) {
      problems.push({
        where: problem.at,
        profile,
        problem: problem.problem,
        fix: problem.fix,
        severity: problem.severity,
      });
    }
    for (const event of HOOK_EVENTS) {
      for (const command of parsed.hooks[event]) {
        const missing = unresolvable(command, ctx, place);
        if (missing) problems.push({ where: `${where}.${event}`, profile, command, ...missing, severity: "fail" });
        else found.push({ profile, event, command });
      }
    }
  }
  return [summarise(id, problems, found)];
}

function summarise(
  id: string,
  problems: HookProblem[],
  found: Array<{ profile: string; event: string; command: string }>,
): CheckResult {
  const failures = problems.filter((p) => p.severity === "fail");
  const listed = problems.map(({ where, command, problem }) => ({ where, ...(command ? { command } : {}), problem }));
  const worst = failures[0] ?? problems[0];
  if (worst) {
    const others = problems.length - 1;
    const message = others > 0 ? `${worst.problem} (and ${others} more)` : worst.problem;
    const result = failures.length > 0 ? fail : warn;
    return result(id, message, worst.fix, { problems: listed, found });
  }
  if (found.length === 0) return ok(id, "none configured");
  const n = found.length;
  return ok(id, `${n} hook command${n === 1 ? "" : "s"} found`, { found });
}

/** Config profile tables by name; only `only` when --profile was given. */
function profileTables(raw: Table | undefined, only: string | undefined): Array<[string, Table]> {
  const profiles = raw?.profiles;
  if (!isTable(profiles)) return [];
  return Object.entries(profiles).filter(
    (entry): entry is [string, Table] => isTable(entry[1]) && (only === undefined || entry[0] === only),
  );
}

/** Why the program `command` starts cannot run, or undefined when it can. */
function unresolvable(
  command: string,
  ctx: DoctorContext,
  where: string,
): { problem: string; fix: string } | undefined {
  const word = commandWord(command);
  if (word === undefined) return { problem: "a hook command is empty", fix: `Remove the empty command ${where}.` };
  if (SHELL_BUILTINS.has(word)) return undefined;
  if (word.includes("/")) {
    const file = word.startsWith("~/") ? path.join(homeDir(ctx.env), word.slice(2)) : path.resolve(ctx.cwd, word);
    if (!exists(file)) {
      return {
        problem: `hook command not found: ${word} does not exist (in "${command}")`,
        fix: `Create ${word} in the project, or change the command ${where}.`,
      };
    }
    if (!isExecutable(file)) {
      return { problem: `hook command ${word} is not executable (in "${command}")`, fix: `chmod +x ${file}` };
    }
    return undefined;
  }
  if (findOnPath(word, ctx.env) !== undefined) return undefined;
  return {
    problem: `hook command not found: ${word} is not on PATH (in "${command}")`,
    fix: `Install ${word}, or change the command ${where}.`,
  };
}

/** The program a shell command line starts: after `VAR=value` prefixes, unquoted. */
export function commandWord(command: string): string | undefined {
  let rest = command.trim();
  for (;;) {
    const assignment = /^[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+/.exec(rest);
    if (!assignment) break;
    rest = rest.slice(assignment[0].length);
  }
  const quoted = /^(["'])(.*?)\1/.exec(rest);
  if (quoted) return quoted[2] === "" ? undefined : quoted[2];
  return /^[^\s;&|<>()]+/.exec(rest)?.[0] ?? (/^[(]/.test(rest) ? "(" : undefined);
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
