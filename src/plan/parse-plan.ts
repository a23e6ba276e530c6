/**
 * The planner's reply as steps. Models wrap JSON in prose and fences, misspell keys and
 * write a verification as a sentence; what one mechanical pass can read is read (with a
 * warning where a default was taken), and anything else is an error precise enough to
 * send back to the model once.
 */
import { MODEL_ROUTES } from "../config/types.js";
import { parseLenientJson } from "../providers/json-repair.js";
import {
  type PlanStep,
  type StepCategory,
  VERIFICATION_KINDS,
  type Verification,
  type VerificationKind,
} from "./types.js";

/**
 * A step as the planner wrote it, before its file names are resolved against the project:
 * `files` may still hold symbol names.
 */
export type DraftStep = Pick<
  PlanStep,
  "description" | "instruction" | "files" | "verify" | "toolBudget" | "category" | "bash"
>;

export type ParsedPlan = { ok: true; steps: DraftStep[]; warnings: string[] } | { ok: false; error: string };

export const MAX_STEPS = 12;
export const MAX_TOOL_BUDGET = 30;

/** Tool calls a step gets when the planner names no budget. */
export const DEFAULT_TOOL_BUDGET: Record<StepCategory, number> = { deep: 15, standard: 10, quick: 5, search: 8 };

type Json = Record<string, unknown>;

export function parsePlannerReply(reply: string): ParsedPlan {
  const found = findStepList(reply);
  if ("error" in found) return { ok: false, error: found.error };
  const list = found.list;
  if (list.length === 0) return { ok: false, error: "the plan has no steps" };
  if (list.length > MAX_STEPS) {
    return { ok: false, error: `the plan has ${list.length} steps; write at most ${MAX_STEPS}, merging small ones` };
  }
  const warnings: string[] = [];
  const steps: DraftStep[] = [];
  for (const [index, raw] of list.entries()) {
    const step = readStep(raw, index + 1, warnings);
    if (typeof step === "string") return { ok: false, error: step };
    steps.push(step);
  }
  return { ok: true, steps, warnings };
}

/** Starts of JSON tried in a reply, so prose with a stray brace before the plan still reads. */
const MAX_CANDIDATES = 20;

/**
 * The steps list of the first JSON in the reply that has one: a fenced block first, then
 * from each `{` or `[` to the last matching bracket. The error is the first one met.
 */
function findStepList(reply: string): { list: unknown[] } | { error: string } {
  const candidates: string[] = [];
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(reply);
  if (fenced && /[{[]/.test(fenced[1])) candidates.push(fenced[1].trim());
  for (let i = 0; i < reply.length && candidates.length < MAX_CANDIDATES; i++) {
    const open = reply[i];
    if (open !== "{" && open !== "[") continue;
    const end = reply.lastIndexOf(open === "{" ? "}" : "]");
    // Cut off before its closing bracket: the repair pass closes what it safely can.
    candidates.push(end > i ? reply.slice(i, end + 1) : reply.slice(i));
  }
  if (candidates.length === 0) return { error: "the reply holds no JSON object with a steps list" };
  let firstError: string | undefined;
  for (const candidate of candidates) {
    const parsed = parseLenientJson(candidate);
    if (!parsed.ok) {
      firstError ??= `the JSON could not be read (${parsed.error})`;
      continue;
    }
    const list = stepList(parsed.value);
    if (list) return { list };
    firstError ??= 'the JSON has no "steps" list';
  }
  return { error: firstError ?? "the reply holds no JSON object with a steps list" };
}

function stepList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value.steps)) return value.steps;
  if (isRecord(value.plan)) return stepList(value.plan);
  return undefined;
}

function readStep(raw: unknown, number: number, warnings: string[]): DraftStep | string {
  if (typeof raw === "string" && raw.trim() !== "") {
    // A bare list of instructions is a plan too, just a terse one.
    raw = { instruction: raw };
  }
  if (!isRecord(raw)) return `step ${number} is not an object with description and instruction`;
  const description = text(raw, ["description", "title", "name", "summary"]);
  const instruction = text(raw, ["instruction", "instructions", "details", "task", "action", "prompt"]);
  if (!description && !instruction) return `step ${number} has no instruction`;
  const category = readCategory(raw, number, warnings);
  const budget = number_(raw, ["tool_budget", "toolBudget", "budget", "max_tool_calls"]);
  const toolBudget =
    budget === undefined ? DEFAULT_TOOL_BUDGET[category] : Math.min(MAX_TOOL_BUDGET, Math.max(1, Math.round(budget)));
  const bash = readBool(raw, ["bash", "commands", "runs_commands", "needs_bash"]);
  return {
    description: oneLine(description ?? firstSentence(instruction ?? "")),
    instruction: (instruction ?? description ?? "").trim(),
    files: readFiles(raw),
    verify: readVerify(raw.verify ?? raw.verification, number, warnings),
    toolBudget,
    category,
    // Unknown means it may run commands: such a step never runs beside another.
    bash: bash ?? true,
  };
}

function readCategory(raw: Json, number: number, warnings: string[]): StepCategory {
  const value = text(raw, ["category", "kind", "route"])?.toLowerCase();
  if (value === undefined) return "standard";
  if ((MODEL_ROUTES as readonly string[]).includes(value)) return value as StepCategory;
  warnings.push(`step ${number}: category "${value}" is not one of ${MODEL_ROUTES.join(", ")}; using standard`);
  return "standard";
}

function readFiles(raw: Json): string[] {
  const value = raw.files ?? raw.file ?? raw.paths;
  const list = typeof value === "string" ? value.split(/[,\n]/) : Array.isArray(value) ? value : [];
  const names = list
    .map((item) =>
      typeof item === "string" ? item : isRecord(item) ? (text(item, ["path", "file", "name"]) ?? "") : "",
    )
    .map((item) => item.trim().replace(/^`|`$/g, ""))
    .filter((item) => item !== "");
  return [...new Set(names)];
}

/**
 * `{"kind": "pattern_absent", "pattern": "x"}`, `"build_success"`, `"command_success: npm test"`,
 * `"file_changed src/a.ts"`: every way planners write one.
 */
export function readVerify(value: unknown, number: number, warnings: string[]): Verification {
  if (value === undefined || value === null || value === false) return { kind: "none" };
  let kind: string | undefined;
  let arg: string | undefined;
  let fields: Json = {};
  if (typeof value === "string") {
    const m = /^\s*([a-z_]+)\s*(?::\s*|\s+|$)([\s\S]*)$/i.exec(value);
    kind = m?.[1];
    arg = m?.[2]?.trim() || undefined;
  } else if (isRecord(value)) {
    fields = value;
    kind = text(value, ["kind", "type", "check"]);
  }
  const normal = kind?.toLowerCase().replace(/[\s-]/g, "_");
  if (!normal || !(VERIFICATION_KINDS as readonly string[]).includes(normal)) {
    warnings.push(
      `step ${number}: verification ${JSON.stringify(value)} is not one of ${VERIFICATION_KINDS.join(", ")}; none`,
    );
    return { kind: "none" };
  }
  const path = text(fields, ["path", "file", "in"]);
  switch (normal as VerificationKind) {
    case "none":
      return { kind: "none" };
    case "build_success":
      return { kind: "build_success" };
    case "file_changed": {
      const file = path ?? arg;
      return file ? { kind: "file_changed", path: file } : { kind: "file_changed" };
    }
    case "pattern_absent": {
      const pattern = text(fields, ["pattern", "regex", "text"]) ?? unquote(arg);
      if (!pattern) {
        warnings.push(`step ${number}: pattern_absent without a pattern; none`);
        return { kind: "none" };
      }
      return path ? { kind: "pattern_absent", pattern, path } : { kind: "pattern_absent", pattern };
    }
    case "command_success": {
      const command = text(fields, ["command", "cmd", "run"]) ?? arg;
      if (!command) {
        warnings.push(`step ${number}: command_success without a command; none`);
        return { kind: "none" };
      }
      return { kind: "command_success", command };
    }
  }
}

function text(record: Json, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

function number_(record: Json, keys: string[]): number | undefined {
  for (const key of keys) {
    const value = record[key];
    const n = typeof value === "string" ? Number(value) : value;
    if (typeof n === "number" && Number.isFinite(n)) return n;
  }
  return undefined;
}

function readBool(record: Json, keys: string[]): boolean | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "yes") return true;
    if (value === "false" || value === "no") return false;
  }
  return undefined;
}

function unquote(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(["'`])([\s\S]*)\1$/.exec(value.trim());
  return m ? m[2] : value.trim();
}

function oneLine(value: string): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

function firstSentence(value: string): string {
  return /^[^.\n]*/.exec(value.trim())?.[0] ?? value;
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
