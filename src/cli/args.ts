import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.js";

export type CliCommand =
  | { kind: "version" }
  | { kind: "help" }
  | { kind: "profiles"; profile?: string }
  | { kind: "init"; force: boolean }
  | { kind: "tool"; name: string; argsJson: string }
  | {
      kind: "task";
      /** Undefined when the task should come from stdin (or, on a TTY, the interactive UI). */
      task?: string;
      profile?: string;
      model?: string;
      json: boolean;
      verbose: boolean;
    };

/** Turns argv (without node and script) into a command, or throws UsageError naming the fix. */
export function parseCli(argv: string[]): CliCommand {
  if (argv[0] === "tool") return parseToolCommand(argv.slice(1));
  if (argv[0] === "init") return parseInitCommand(argv.slice(1));
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
    profile: values.profile,
    model: values.model,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
  };
}

function parseTaskArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      profile: { type: "string" },
      model: { type: "string" },
      json: { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      version: { type: "boolean", short: "V" },
      help: { type: "boolean", short: "h" },
    },
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

export const HELP_TEXT = `parecode: a terminal coding agent that keeps every model call small.

Usage
  parecode "task"               run one task in the current directory, then exit
  echo "task" | parecode        the same, with the task read from stdin
  parecode profiles             list configured profiles
  parecode init [--force]       write .parecode/conventions.md from the project's files (no model call)
  parecode tool NAME --json ARGS
                                run one native tool and print what the model would see

Options
  --profile NAME    use this profile from config.toml for this run
  --model ID        use this model for this run (overrides the profile's model)
  --json            print one JSON object per event, one per line; the last is the result
  -v, --verbose     print token counts for every model call
  -V, --version     print the version
  -h, --help        print this help

Exit codes: 0 done, 1 task failed, 2 usage or config error, 130 interrupted.
Config: $XDG_CONFIG_HOME/parecode/config.toml (default ~/.config/parecode/config.toml).
`;
