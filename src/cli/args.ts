import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.js";
import { type AcpCommand, parseAcpCommand } from "./acp/args.js";
import { type McpCommand, parseMcpCommand } from "./mcp-args.js";
import {
  type MechanicalCommand,
  type PlanCommand,
  parsePlanCommand,
  parseTaskArgs,
  type TaskCommand,
} from "./task-args.js";

export type { MechanicalCommand, OutputFormat, PlanCommand, RunFlags, TaskCommand } from "./task-args.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

export type CliCommand =
  | { kind: "version" }
  /** `topic`: a subcommand whose usage to print instead of the overview. */
  | { kind: "help"; topic?: string }
  | { kind: "profiles" }
  /** `parecode models [--profile NAME] [--json]`: what the profile's server offers. */
  | { kind: "models"; profile?: string; json: boolean }
  | { kind: "completion"; shell: Shell }
  | { kind: "init"; force: boolean }
  | { kind: "tool"; name: string; argsJson: string }
  /** network: false with --no-network (no reachability requests). */
  | { kind: "doctor"; json: boolean; network: boolean; profile?: string }
  /** `parecode stats [--days N] [--json]`: this project's telemetry. */
  | { kind: "stats"; days: number; json: boolean }
  | McpCommand
  | AcpCommand
  | { kind: "sessions"; action: "list"; all: boolean }
  | { kind: "sessions"; action: "show" | "export" | "delete"; id: string; output?: string; yes: boolean }
  | { kind: "sessions"; action: "rename"; id: string; name: string }
  /** `target`: a 1-based position among the project's checkpoints (newest first), or an id prefix. */
  | { kind: "diff"; target?: string }
  | { kind: "undo"; target?: string; yes: boolean; list: boolean }
  | PlanCommand
  | TaskCommand
  | MechanicalCommand;

/** Words that are subcommands when they come first; any other first word starts a task. */
export const SUBCOMMANDS = [
  "help",
  "profiles",
  "models",
  "completion",
  "init",
  "doctor",
  "tool",
  "stats",
  "mcp",
  "acp",
  "diff",
  "undo",
  "sessions",
  "plan",
] as const;

/**
 * Takes `-C DIR` / `--cd DIR` (run as if started in DIR) out of argv, wherever it comes
 * before `--`, so it works with every subcommand.
 */
export function takeDirectory(argv: readonly string[]): { dir?: string; rest: string[] } {
  const rest: string[] = [];
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    let value: string | undefined;
    if (arg === "-C" || arg === "--cd") {
      value = argv[i + 1];
      if (value === undefined || value === "") throw new UsageError(`${arg} needs a directory: parecode -C DIR "task"`);
      i++;
    } else if (arg.startsWith("--cd=")) value = arg.slice(5);
    else if (arg.startsWith("-C") && arg.length > 2) value = arg.slice(2);
    if (value === undefined) {
      rest.push(arg);
      continue;
    }
    if (dir !== undefined) throw new UsageError("-C/--cd is given twice; give one directory.");
    dir = value;
  }
  return { dir, rest };
}

/** Turns argv (without node and script, -C already taken out) into a command, or throws UsageError naming the fix. */
export function parseCli(argv: string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === "tool") return parseToolCommand(rest);
  if (first === "init") return parseInitCommand(rest);
  if (first === "doctor") return parseDoctorCommand(rest);
  if (first === "mcp") return parseMcpCommand(rest);
  if (first === "acp") return parseAcpCommand(rest);
  if (first === "sessions") return parseSessionsCommand(rest);
  if (first === "diff") return parseDiffCommand(rest);
  if (first === "undo") return parseUndoCommand(rest);
  if (first === "stats") return parseStatsCommand(rest);
  if (first === "models") return parseModelsCommand(rest);
  if (first === "plan") return parsePlanCommand(rest);
  if (first === "completion") {
    if (rest.length === 1 && (SHELLS as readonly string[]).includes(rest[0])) {
      return { kind: "completion", shell: rest[0] as Shell };
    }
    if (rest.length <= 1) throw new UsageError(`Usage: parecode completion ${SHELLS.join("|")}`);
  }
  // These words are commands only in their own exact shape; anything more is a task
  // ("help me fix the parser", "profiles are slow").
  if (first === "help" && rest.length === 0) return { kind: "help" };
  if (first === "help" && rest.length === 1 && (SUBCOMMANDS as readonly string[]).includes(rest[0])) {
    return { kind: "help", topic: rest[0] };
  }
  if (first === "profiles" && (rest.length === 0 || (rest.length === 1 && rest[0] === "list"))) {
    return { kind: "profiles" };
  }
  return parseTaskArgs(argv);
}

function parseModelsCommand(argv: string[]): CliCommand {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: { profile: { type: "string" }, json: { type: "boolean" } },
    });
    return { kind: "models", profile: values.profile, json: values.json ?? false };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nUsage: parecode models [--profile NAME] [--json]`);
  }
}

function parseInitCommand(argv: string[]): CliCommand {
  try {
    const { values } = parseArgs({ args: argv, strict: true, options: { force: { type: "boolean" } } });
    return { kind: "init", force: values.force ?? false };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nUsage: parecode init [--force]`);
  }
}

function parseDoctorCommand(argv: string[]): CliCommand {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: { json: { type: "boolean" }, "no-network": { type: "boolean" }, profile: { type: "string" } },
    });
    return { kind: "doctor", json: values.json ?? false, network: !values["no-network"], profile: values.profile };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nUsage: parecode doctor [--json] [--no-network] [--profile NAME]`);
  }
}

function parseStatsCommand(argv: string[]): CliCommand {
  const usage = "Usage: parecode stats [--days N] [--json]";
  let values: { days?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { days: { type: "string" }, json: { type: "boolean" } },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  const days = values.days === undefined ? 7 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new UsageError(`--days must be a whole number of days from 1 (got "${values.days}").\n${usage}`);
  }
  return { kind: "stats", days, json: values.json ?? false };
}

function parseToolCommand(argv: string[]): CliCommand {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: { json: { type: "string" } } }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: "string" } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nUsage: parecode tool NAME --json '{"arg": "value"}'`);
  }
  const name = parsed.positionals[0];
  if (!name || parsed.positionals.length > 1) {
    throw new UsageError(
      `Usage: parecode tool NAME --json '{"arg": "value"}'  (e.g. parecode tool read_file --json '{"path":"README.md"}')`,
    );
  }
  return { kind: "tool", name, argsJson: parsed.values.json ?? "{}" };
}

const SESSIONS_USAGE =
  "Usage: parecode sessions list [--all] | show ID | export ID [--output FILE] | rename ID NAME | delete ID [--yes]";

function parseSessionsCommand(argv: string[]): CliCommand {
  let parsed: ReturnType<typeof parseSessionsArgs>;
  try {
    parsed = parseSessionsArgs(argv);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${SESSIONS_USAGE}`);
  }
  const { values, positionals } = parsed;
  const [action = "list", id, ...rest] = positionals;
  if (action === "list" && positionals.length <= 1) return { kind: "sessions", action, all: values.all ?? false };
  if ((action === "show" || action === "export" || action === "delete") && id && rest.length === 0) {
    return { kind: "sessions", action, id, output: values.output, yes: values.yes ?? false };
  }
  if (action === "rename" && id && rest.length > 0) return { kind: "sessions", action, id, name: rest.join(" ") };
  throw new UsageError(SESSIONS_USAGE);
}

function parseSessionsArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { all: { type: "boolean" }, output: { type: "string", short: "o" }, yes: { type: "boolean", short: "y" } },
  });
}

function parseDiffCommand(argv: string[]): CliCommand {
  const usage = 'Usage: parecode diff [N|ID]  (to run a task that starts with "diff", quote it: parecode "diff …")';
  let positionals: string[];
  try {
    positionals = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} }).positionals;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  if (positionals.length > 1) throw new UsageError(usage);
  return { kind: "diff", target: positionals[0] };
}

function parseUndoCommand(argv: string[]): CliCommand {
  const usage = 'Usage: parecode undo [N|ID] [--yes] | undo --list  (to run a task that starts with "undo", quote it)';
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[];
      allowPositionals: true;
      options: { yes: { type: "boolean"; short: "y" }; list: { type: "boolean" } };
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { yes: { type: "boolean", short: "y" }, list: { type: "boolean" } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  if (parsed.positionals.length > 1) throw new UsageError(usage);
  return {
    kind: "undo",
    target: parsed.positionals[0],
    yes: parsed.values.yes ?? false,
    list: parsed.values.list ?? false,
  };
}
