/**
 * `.parecode/plan.md`: the plan as a person reads and edits it. Written whenever the plan
 * changes (so it can be watched while it runs) and read back before steps run, so edits
 * made there — a reworded instruction, another file, a note — are what runs. Steps are
 * matched by position. The layout
 * is plain Markdown with a few fixed lines, simple enough to edit by hand:
 *
 *   ## Step 2: Add validateToken
 *   - files: src/auth.ts
 *   - verify: build_success
 *   - category: standard
 *   - tool budget: 10
 *   - bash: no
 *   - status: pending
 *
 *   Instruction text…
 *
 *   > Note: the person's annotation
 */
import { MODEL_ROUTES } from "../config/types.js";
import { describeEstimate } from "./estimate.js";
import { readVerify } from "./parse-plan.js";
import type { Plan, PlanStep, StepCategory, Verification } from "./types.js";

/** What plan.md can change about a step. */
export interface EditedStep {
  description: string;
  instruction: string;
  files: string[];
  verify: Verification;
  category: StepCategory;
  toolBudget: number;
  bash: boolean;
  annotation?: string;
}

export type ParsedMarkdown = { ok: true; id?: string; steps: EditedStep[] } | { ok: false; error: string };

const MARK = "<!-- parecode plan ";
const NOTE = "> Note:";

export function renderPlanMarkdown(plan: Plan): string {
  const out = [
    `# Plan: ${oneLine(plan.task)}`,
    "",
    `${MARK}${plan.id}. Edit the steps before running and parecode reads them back: a heading is a step's title, the "- key: value" lines under it its settings, the text after them its instruction, a "> Note:" line your note to the model. -->`,
    "",
    `Status: ${plan.status} · ${describeEstimate(plan)}${plan.pausedReason ? ` · paused: ${oneLine(plan.pausedReason)}` : ""}`,
  ];
  for (const [i, step] of plan.steps.entries()) out.push("", ...renderStep(step, i + 1));
  return `${out.join("\n")}\n`;
}

function renderStep(step: PlanStep, number: number): string[] {
  const lines = [
    `## Step ${number}: ${oneLine(step.description)}`,
    `- files: ${step.files.join(", ")}`,
    ...renderVerify(step.verify),
    `- category: ${step.category}`,
    `- tool budget: ${step.toolBudget}`,
    `- bash: ${step.bash ? "yes" : "no"}`,
    `- status: ${step.status}${step.approved ? "" : " (not approved)"}`,
    "",
    step.instruction.trim(),
  ];
  if (step.annotation?.trim()) {
    const [first, ...rest] = step.annotation.trim().split("\n");
    lines.push("", `${NOTE} ${first}`, ...rest.map((line) => `> ${line}`));
  }
  const result = step.status === "failed" ? step.failure : step.status === "done" ? step.summary : undefined;
  if (result) {
    lines.push(
      "",
      ...result
        .split("\n")
        .map((line, i) => `> ${i === 0 ? (step.status === "done" ? "Result: " : "Failed: ") : ""}${line}`),
    );
  }
  return lines;
}

function renderVerify(verify: Verification): string[] {
  switch (verify.kind) {
    case "none":
    case "build_success":
      return [`- verify: ${verify.kind}`];
    case "file_changed":
      return [`- verify: file_changed`, ...(verify.path ? [`- verify path: ${verify.path}`] : [])];
    case "pattern_absent":
      return [
        "- verify: pattern_absent",
        `- pattern: ${verify.pattern}`,
        ...(verify.path ? [`- verify path: ${verify.path}`] : []),
      ];
    case "command_success":
      return ["- verify: command_success", `- command: ${verify.command}`];
  }
}

const FIELD = /^- (files|verify|verify path|pattern|command|category|tool budget|bash|status):[ \t]*(.*)$/i;
const HEADING = /^##\s+(?:Step\s+\d+\s*[:.)-]\s*)?(.*)$/i;

export function parsePlanMarkdown(text: string): ParsedMarkdown {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const markLine = lines.find((line) => line.startsWith(MARK));
  const id = markLine ? /^<!-- parecode plan (\S+?)\.?\s/.exec(markLine)?.[1] : undefined;
  const starts = lines.flatMap((line, i) => (HEADING.test(line) ? [i] : []));
  if (starts.length === 0) return { ok: false, error: 'plan.md has no "## Step N: title" headings' };
  const steps: EditedStep[] = [];
  for (const [k, start] of starts.entries()) {
    const body = lines.slice(start + 1, starts[k + 1] ?? lines.length);
    const step = parseStep(HEADING.exec(lines[start])?.[1]?.trim() ?? "", body, k + 1);
    if (typeof step === "string") return { ok: false, error: step };
    steps.push(step);
  }
  return id ? { ok: true, id, steps } : { ok: true, steps };
}

function parseStep(title: string, body: string[], number: number): EditedStep | string {
  const fields = new Map<string, string>();
  let i = 0;
  for (; i < body.length; i++) {
    const m = FIELD.exec(body[i]);
    if (!m) break;
    fields.set(m[1].toLowerCase(), m[2].trim());
  }
  const text: string[] = [];
  const note: string[] = [];
  let inNote = false;
  for (const line of body.slice(i)) {
    if (line.startsWith(NOTE)) {
      inNote = true;
      note.push(line.slice(NOTE.length).trim());
    } else if (line.startsWith(">")) {
      // A continuation of the note, or a result line parecode wrote (never read back).
      if (inNote && !/^> (Result|Failed): /.test(line)) note.push(line.replace(/^>\s?/, ""));
      else inNote = false;
    } else {
      inNote = false;
      text.push(line);
    }
  }
  const instruction = text.join("\n").trim();
  if (!instruction && !title) return `step ${number} in plan.md has neither a title nor an instruction`;
  const warnings: string[] = [];
  const verify = readVerify(
    {
      kind: fields.get("verify") || "none",
      path: fields.get("verify path"),
      pattern: fields.get("pattern"),
      command: fields.get("command"),
    },
    number,
    warnings,
  );
  if (warnings.length > 0) return `${warnings[0]} (in plan.md)`;
  const category = (fields.get("category") || "standard").toLowerCase();
  if (!(MODEL_ROUTES as readonly string[]).includes(category)) {
    return `step ${number} in plan.md: category "${category}" is not one of ${MODEL_ROUTES.join(", ")}`;
  }
  const budgetText = fields.get("tool budget") ?? "10";
  const budget = Number(budgetText);
  if (!Number.isInteger(budget) || budget < 1) {
    return `step ${number} in plan.md: tool budget must be a whole number of at least 1 (got "${budgetText}")`;
  }
  const step: EditedStep = {
    description: title || oneLine(instruction).slice(0, 80),
    instruction: instruction || title,
    files: (fields.get("files") ?? "")
      .split(",")
      .map((f) => f.trim())
      .filter((f) => f !== ""),
    verify,
    category: category as StepCategory,
    toolBudget: budget,
    bash: !/^(no|false|0)$/i.test(fields.get("bash") ?? "yes"),
  };
  const annotation = note.join("\n").trim();
  if (annotation) step.annotation = annotation;
  return step;
}

/**
 * The plan with plan.md's edits applied to every step not yet done. Steps done keep what
 * they were; a step added in plan.md is appended (unapproved, pending), one removed
 * there is dropped. Returns the names of what changed, for the person to see.
 */
export function applyMarkdownEdits(plan: Plan, edited: readonly EditedStep[]): { plan: Plan; changed: string[] } {
  const changed: string[] = [];
  const steps: PlanStep[] = [];
  const count = Math.max(plan.steps.length, edited.length);
  for (let i = 0; i < count; i++) {
    const current = plan.steps[i];
    const edit = edited[i];
    if (current?.status === "done") {
      steps.push(current);
      continue;
    }
    if (!edit) {
      changed.push(`step ${i + 1} removed`);
      continue;
    }
    if (!current) {
      steps.push({ ...edit, approved: false, status: "pending" });
      changed.push(`step ${i + 1} added`);
      continue;
    }
    const next: PlanStep = { ...current, ...edit };
    if (!edit.annotation) delete next.annotation;
    if (differs(current, next)) changed.push(`step ${i + 1} edited`);
    steps.push(next);
  }
  return { plan: { ...plan, steps }, changed };
}

function differs(a: PlanStep, b: PlanStep): boolean {
  const pick = (s: PlanStep) =>
    JSON.stringify([
      s.description,
      s.instruction,
      s.files,
      s.verify,
      s.category,
      s.toolBudget,
      s.bash,
      s.annotation ?? "",
    ]);
  return pick(a) !== pick(b);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
