import { parseArgs } from "node:util";
import { isPermissionMode, PERMISSION_MODES, type PermissionMode } from "../core/approval.js";
import { UsageError } from "../core/errors.js";
import { type AcpCommand, parseAcpCommand } from "./acp/args.js";
import { type McpCommand, parseMcpCommand } from "./mcp-args.js";

export type CliCommand =
  | { kind: "version" }
  | { kind: "help" }
  | { kind: "profiles"; profile?: string }
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
  | (RunFlags & {
      kind: "plan";
      /** The task to plan; undefined with --resume. */
      task?: string;
      /** --resume: continue the saved plan from its first step not done. */
      resume: boolean;
    })
  | (RunFlags & {
      kind: "task";
      /** Undefined when the task should come from stdin (or, on a TTY, the interactive UI). */
      task?: string;
      /** --quick: one model call, no history, at most one tool call, on the quick route. */
      quick: boolean;
      /** -c/--continue (the latest session of this folder) or --resume ID. */
      resume?: { latest: true } | { id: string };
    });

/** Options shared by a task and a plan run. */
export interface RunFlags {
  profile?: string;
  model?: string;
  json: boolean;
  verbose: boolean;
  /** --permission-mode MODE, or trust from --trust. */
  permissionMode?: PermissionMode;
  /** --yes: approve every action that would ask (the always-denied guard still holds). */
  yes: boolean;
  /** --trust-project: trust this folder's own permission file. */
  trustProject: boolean;
  /** --sandbox / --no-sandbox; undefined: the config's `sandbox` setting. */
  sandbox?: "auto" | "off";
}

/** Turns argv (without node and script) into a command, or throws UsageError naming the fix. */
export function parseCli(argv: string[]): CliCommand {
  if (argv[0] === "tool") return parseToolCommand(argv.slice(1));
  if (argv[0] === "init") return parseInitCommand(argv.slice(1));
  if (argv[0] === "doctor") return parseDoctorCommand(argv.slice(1));
  if (argv[0] === "mcp") return parseMcpCommand(argv.slice(1));
  if (argv[0] === "acp") return parseAcpCommand(argv.slice(1));
  if (argv[0] === "sessions") return parseSessionsCommand(argv.slice(1));
  if (argv[0] === "diff") return parseDiffCommand(argv.slice(1));
  if (argv[0] === "undo") return parseUndoCommand(argv.slice(1));
  if (argv[0] === "stats") return parseStatsCommand(argv.slice(1));
  if (argv[0] === "plan") return parsePlanCommand(argv.slice(1));
  let parsed: ReturnType<typeof parseTaskArgs>;
  try {
    parsed = parseTaskArgs(argv);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun parecode --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.version) return { kind: "version" };
  if (values.help) return { kind: "help" };
  if (positionals.length === 1 && positionals[0] === "profiles") return { kind: "profiles", profile: values.profile };
  const task = positionals.join(" ").trim();
  return {
    kind: "task",
    task: task === "" ? undefined : task,
    quick: values.quick ?? false,
    resume: resumeOf(values.continue ?? false, values.resume),
    ...runFlags(values),
  };
}

const PLAN_USAGE = 'Usage: parecode plan "task" [--yes] | parecode plan --resume [--yes]';

function parsePlanCommand(argv: string[]): CliCommand {
  let parsed: ReturnType<typeof parsePlanArgs>;
  try {
    parsed = parsePlanArgs(argv);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${PLAN_USAGE}`);
  }
  const { values, positionals } = parsed;
  const task = positionals.join(" ").trim();
  const resume = values.resume ?? false;
  if (resume && task !== "")
    throw new UsageError(`--resume continues the saved plan and takes no task.\n${PLAN_USAGE}`);
  if (!resume && task === "") throw new UsageError(`No task to plan.\n${PLAN_USAGE}`);
  return { kind: "plan", task: resume ? undefined : task, resume, ...runFlags(values) };
}

function runFlags(values: RunValues): RunFlags {
  return {
    profile: values.profile,
    model: values.model,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    permissionMode: permissionModeOf(values["permission-mode"], values.trust ?? false),
    yes: values.yes ?? false,
    trustProject: values["trust-project"] ?? false,
    sandbox: sandboxOf(values.sandbox ?? false, values["no-sandbox"] ?? false),
  };
}

function resumeOf(latest: boolean, id: string | undefined): { latest: true } | { id: string } | undefined {
  if (latest && id !== undefined) throw new UsageError("-c/--continue and --resume contradict each other; give one.");
  if (id !== undefined) {
    if (id.trim() === "") throw new UsageError("--resume needs a session id (parecode sessions list shows them).");
    return { id: id.trim() };
  }
  return latest ? { latest: true } : undefined;
}

function permissionModeOf(mode: string | undefined, trust: boolean): PermissionMode | undefined {
  if (mode !== undefined && !isPermissionMode(mode)) {
    throw new UsageError(`--permission-mode must be one of ${PERMISSION_MODES.join(", ")} (got "${mode}").`);
  }
  if (trust && mode !== undefined && mode !== "trust") {
    throw new UsageError(`--trust and --permission-mode ${mode} contradict each other; give one of them.`);
  }
  return trust ? "trust" : mode;
}

function sandboxOf(on: boolean, off: boolean): "auto" | "off" | undefined {
  if (on && off) throw new UsageError("--sandbox and --no-sandbox contradict each other; give one of them.");
  if (on) return "auto";
  return off ? "off" : undefined;
}

const RUN_OPTIONS = {
  profile: { type: "string" },
  model: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  "permission-mode": { type: "string" },
  trust: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  "trust-project": { type: "boolean" },
  sandbox: { type: "boolean" },
  "no-sandbox": { type: "boolean" },
} as const;

type RunValues = ReturnType<typeof parseArgs<{ options: typeof RUN_OPTIONS }>>["values"];

function parseTaskArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...RUN_OPTIONS,
      quick: { type: "boolean" },
      continue: { type: "boolean", short: "c" },
      resume: { type: "string" },
      version: { type: "boolean", short: "V" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parsePlanArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { ...RUN_OPTIONS, resume: { type: "boolean" } },
  });
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

export const HELP_TEXT = `parecode: a terminal coding agent that keeps every model call small.

Usage
  parecode                      open the interactive UI (on a terminal)
  parecode "task"               run one task in the current directory, then exit
  echo "task" | parecode        the same, with the task read from stdin
  parecode --quick "task"       one model call, no history, at most one tool call (an edit,
                                a search or a read-only command), on the quick route
  parecode plan "task" [--yes]  plan the task in steps, show the plan and its estimated cost,
                                ask to run it (--yes runs it without asking); each step runs
                                in a fresh context with only its files. Saved in .parecode/plan.md
  parecode plan --resume        continue the saved plan from the step that failed
  parecode profiles             list configured profiles
  parecode init [--force]       write .parecode/conventions.md from the project's files (no model call)
  parecode doctor [--json] [--no-network] [--profile NAME]
                                check config, profiles (a one-token request each), folders,
                                git, ripgrep, sandbox and hooks; exit 1 if any check fails
  parecode tool NAME --json ARGS
                                run one native tool and print what the model would see
  parecode stats [--days N] [--json]
                                tokens, cost and checks of this project's tasks per day
                                and per model (default the last 7 days)
  parecode mcp list|tools|logs|add|remove|serve
                                MCP servers: inspect, configure, or serve parecode's tools
                                (parecode mcp --help for the details)
  parecode acp [--profile NAME] [--permission-mode MODE]
                                run as an agent for editors (Zed, JetBrains, Neovim) over the
                                Agent Client Protocol on stdio; approvals are asked in the editor
  parecode diff [N|ID]          what changed since the checkpoint taken before the latest
                                (or the Nth latest) task
  parecode undo [N|ID] [--yes]  put the files back as they were before the latest (or Nth
                                latest) task; shows the changes and asks first. Undoable.
  parecode undo --list          the checkpoints of this folder, newest first
  parecode sessions list [--all]
                                this folder's sessions (--all: every folder's)
  parecode sessions show|export|rename|delete ID
                                one session; export writes Markdown (--output FILE),
                                delete asks first (--yes without a terminal)

Options
  --profile NAME    use this profile from config.toml for this run
  --model ID        use this model for this run (overrides the profile's model)
  --json            print one JSON object per event, one per line; the last is the result
  -v, --verbose     print token counts and the permission rule behind every decision
  --permission-mode MODE
                    ask (default): ask before edits, commands and MCP calls;
                    accept-edits: edits inside the project go through, commands ask;
                    read-only: nothing is changed; trust: everything no rule denies
  --trust           the same as --permission-mode trust
  -y, --yes         approve every action that would ask (dangerous commands stay blocked)
  --trust-project   trust this folder's .parecode/permissions.toml (remembered)
  --sandbox, --no-sandbox
                    run commands in the OS sandbox when available (default), or not
  -c, --continue    continue the latest session of this folder (its earlier tasks as context)
  --resume ID       continue a chosen session (an id or a unique prefix; parecode sessions list)
  -V, --version     print the version
  -h, --help        print this help

Exit codes: 0 done, 1 task failed, 2 usage or config error, 3 an action was denied,
4 done but a check (hook, test or build) failed after the last edit,
130 interrupted (Ctrl+C), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
Config: $XDG_CONFIG_HOME/parecode/config.toml (default ~/.config/parecode/config.toml).
Sessions and checkpoints outside git: $XDG_DATA_HOME/parecode (default ~/.local/share/parecode).
`;
