/**
 * The flags of a task run (`parecode [options] "task"`). Where Claude Code's `claude -p`
 * or Codex's `codex exec` has a flag for the same thing, it has the same name and meaning
 * here (-p/--print, --output-format, --input-format, --max-turns, --max-budget-usd,
 * --append-system-prompt, --output-schema, -C/--cd), so scripts move over unchanged.
 */
import { parseArgs } from "node:util";
import { isPermissionMode, PERMISSION_MODES, type PermissionMode } from "../core/approval.js";
import { UsageError } from "../core/errors.js";

/**
 * text: the answer on stdout, the rest on stderr. json: one result object at the end.
 * stream-json: Claude Code's message stream, one JSON object per line. events: parecode's
 * own event stream (`--json`), one AgentEvent per line.
 */
export type OutputFormat = "text" | "json" | "stream-json" | "events";
export const OUTPUT_FORMATS = ["text", "json", "stream-json"] as const;
export type InputFormat = "text" | "stream-json";

/** Options shared by a task and a plan run. */
export interface RunFlags {
  profile?: string;
  model?: string;
  /** `--json`: parecode's own event stream (kept as outputFormat "events" too). */
  json: boolean;
  verbose: boolean;
  /** --permission-mode MODE, or trust from --trust. */
  permissionMode?: PermissionMode;
  /** --yes: approve every action that would ask (the always-denied guard still holds). */
  yes: boolean;
  /** --trust-project: trust this folder's own permission file and config (remembered). */
  trustProject: boolean;
  /** --sandbox / --no-sandbox; undefined: the config's `sandbox` setting. */
  sandbox?: "auto" | "off";
}

/** `parecode plan "task"` or `parecode plan --resume`. */
export interface PlanCommand extends RunFlags {
  kind: "plan";
  /** The task to plan; undefined with --resume. */
  task?: string;
  /** --resume: continue the saved plan from its first step not done. */
  resume: boolean;
}

export interface TaskCommand extends RunFlags {
  kind: "task";
  /** Undefined when the task should come from stdin (or, on a TTY, the interactive UI). */
  task?: string;
  outputFormat: OutputFormat;
  inputFormat: InputFormat;
  /** -p/--print: run one task and print, never the interactive UI. */
  print: boolean;
  /** --quick: one model call, no history, at most one tool call, on the quick route. */
  quick: boolean;
  /** -c/--continue (the latest session of this folder) or --resume ID. */
  resume?: { latest: true } | { id: string };
  /** --max-turns N: model calls per task. */
  maxTurns?: number;
  /** --max-budget-usd X: USD the run may spend. */
  maxBudgetUsd?: number;
  /** --timeout SECONDS: per task. */
  timeoutSeconds?: number;
  /** --output-schema FILE: a JSON Schema the final answer must match. */
  outputSchema?: string;
  /** --append-system-prompt TEXT. */
  appendSystemPrompt?: string;
}

/** `parecode --mechanical "replace foo with bar in src/"`: a deterministic edit, no model. */
export interface MechanicalCommand {
  kind: "mechanical";
  instruction: string;
  yes: boolean;
  outputFormat: OutputFormat;
}

export type TaskArgsResult = TaskCommand | MechanicalCommand | { kind: "version" } | { kind: "help" };

export function parseTaskArgs(argv: string[]): TaskArgsResult {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun parecode --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.version) return { kind: "version" };
  if (values.help) return { kind: "help" };
  const task = positionals.join(" ").trim();
  const outputFormat = outputFormatOf(values["output-format"], values.json ?? false);
  if (values.mechanical) {
    if (task === "") {
      throw new UsageError(
        'Usage: parecode --mechanical "replace OLD with NEW [in PATH…]" (also: rename A to B, remove lines matching TEXT)',
      );
    }
    // A mechanical edit is the person's own, shown as a diff before it is applied: no model,
    // profile, session or permission mode has a say, so flags for those are mistakes.
    const stray = Object.keys(values).filter(
      (name) => !MECHANICAL_FLAGS.has(name) && values[name as keyof typeof values] !== undefined,
    );
    if (stray.length > 0) {
      throw new UsageError(
        `--mechanical takes only --yes and an output format (--json, --output-format); leave out ${stray.map((name) => `--${name}`).join(", ")}.`,
      );
    }
    return { kind: "mechanical", instruction: task, yes: values.yes ?? false, outputFormat };
  }
  const inputFormat = inputFormatOf(values["input-format"]);
  if (inputFormat === "stream-json" && outputFormat !== "stream-json" && outputFormat !== "events") {
    throw new UsageError("--input-format stream-json needs --output-format stream-json (or --json) for the replies.");
  }
  if (values.quick) {
    if (inputFormat === "stream-json") {
      throw new UsageError("--quick runs one task; it cannot read tasks with --input-format stream-json.");
    }
    if (values["output-schema"] !== undefined) {
      throw new UsageError(
        "--quick makes one model call and cannot ask again for a --output-schema answer; leave out one of them.",
      );
    }
    if (values.continue || values.resume !== undefined) {
      throw new UsageError("--quick runs without history, so -c/--resume would be ignored; leave out one of them.");
    }
  }
  return {
    kind: "task",
    task: task === "" ? undefined : task,
    ...runFlags(values),
    json: outputFormat === "events",
    outputFormat,
    inputFormat,
    print: values.print ?? false,
    quick: values.quick ?? false,
    resume: resumeOf(values.continue ?? false, values.resume),
    maxTurns: wholeNumber(values["max-turns"], "--max-turns", "a number of model calls, e.g. --max-turns 10"),
    maxBudgetUsd: positiveNumber(values["max-budget-usd"], "--max-budget-usd", "dollars, e.g. --max-budget-usd 0.50"),
    timeoutSeconds: positiveNumber(values.timeout, "--timeout", "seconds for the whole task, e.g. --timeout 300"),
    outputSchema: nonEmpty(values["output-schema"], "--output-schema", "a JSON Schema file"),
    appendSystemPrompt: nonEmpty(values["append-system-prompt"], "--append-system-prompt", "the text to add"),
  };
}

const MECHANICAL_FLAGS = new Set(["mechanical", "yes", "json", "output-format"]);

const PLAN_USAGE = 'Usage: parecode plan "task" [--yes] | parecode plan --resume [--yes]';

export function parsePlanCommand(argv: string[]): PlanCommand {
  let parsed: ReturnType<typeof readPlanArgs>;
  try {
    parsed = readPlanArgs(argv);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${PLAN_USAGE}`);
  }
  const { values, positionals } = parsed;
  const task = positionals.join(" ").trim();
  const resume = values.resume ?? false;
  if (resume && task !== "") {
    throw new UsageError(`--resume continues the saved plan and takes no task.\n${PLAN_USAGE}`);
  }
  if (!resume && task === "") throw new UsageError(`No task to plan.\n${PLAN_USAGE}`);
  return { kind: "plan", task: resume ? undefined : task, resume, ...runFlags(values) };
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

function readPlanArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { ...RUN_OPTIONS, resume: { type: "boolean" } },
  });
}

function readArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...RUN_OPTIONS,
      "output-format": { type: "string" },
      "input-format": { type: "string" },
      print: { type: "boolean", short: "p" },
      quick: { type: "boolean" },
      continue: { type: "boolean", short: "c" },
      resume: { type: "string" },
      "max-turns": { type: "string" },
      "max-budget-usd": { type: "string" },
      timeout: { type: "string" },
      "output-schema": { type: "string" },
      "append-system-prompt": { type: "string" },
      mechanical: { type: "boolean" },
      version: { type: "boolean", short: "V" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function outputFormatOf(value: string | undefined, json: boolean): OutputFormat {
  if (value === undefined) return json ? "events" : "text";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`--output-format must be one of ${OUTPUT_FORMATS.join(", ")} (got "${value}").`);
  }
  // --json is parecode's own event stream, a format of its own.
  if (json) throw new UsageError(`--json and --output-format ${value} contradict each other; give one of them.`);
  return value as OutputFormat;
}

function inputFormatOf(value: string | undefined): InputFormat {
  if (value === undefined || value === "text") return "text";
  if (value === "stream-json") return value;
  throw new UsageError(`--input-format must be text or stream-json (got "${value}").`);
}

function wholeNumber(value: string | undefined, flag: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number from 1: ${what} (got "${value}").`);
  }
  return n;
}

function positiveNumber(value: string | undefined, flag: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a number greater than 0: ${what} (got "${value}").`);
  }
  return n;
}

function nonEmpty(value: string | undefined, flag: string, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "") throw new UsageError(`${flag} needs ${what}.`);
  return value;
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
