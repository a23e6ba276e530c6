/**
 * The whole context of one plan step, assembled before its model call: the step's own
 * instruction as the task, its files attached (read fresh), and the carry-forward
 * summaries of the steps already done. Nothing else from the plan or earlier steps
 * reaches the model, so a small model works on one bounded step at a time.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  ATTACHED_FILES_MAX_TOKENS,
  ATTACHED_FILES_PRIORITY,
  PLAN_SUMMARY_MAX_TOKENS,
  PLAN_SUMMARY_PRIORITY,
  type PreambleSection,
} from "../context/preamble.js";
import { extractSymbols } from "../context/symbols/index.js";
import { resolveInProject } from "../tools/path-safety.js";
import { describeVerification, type Plan, stepInstruction } from "./types.js";

export interface StepContext {
  /** The user message of the step's run. */
  task: string;
  sections: PreambleSection[];
  /** Text of the step's files (and its verification's file) before it ran; null for a file not there yet. */
  before: Map<string, string | null>;
}

/** Files longer than this are attached as an outline, not cut off after their first part. */
export const ATTACH_WHOLE_MAX_LINES = 150;
/** Tokens of finished-step summaries per step, and the most all of them may take. */
const SUMMARY_TOKENS_PER_STEP = 90;
const SUMMARIES_MAX_TOKENS = 1_500;

export async function buildStepContext(plan: Plan, index: number, root: string): Promise<StepContext> {
  const step = plan.steps[index];
  const number = index + 1;
  const before = new Map<string, string | null>();
  const watched = [...step.files];
  if ((step.verify.kind === "file_changed" || step.verify.kind === "pattern_absent") && step.verify.path) {
    watched.push(step.verify.path);
  }
  for (const file of watched) before.set(file, await readText(root, file));

  const done = plan.steps.filter((s, i) => i !== index && s.status === "done" && s.summary);
  const planLines = [
    `The user's task: ${plan.task}`,
    `This run does step ${number} of ${plan.steps.length}; the other steps are done in runs of their own.`,
  ];
  if (done.length > 0) planLines.push("Finished steps:", ...done.map((s) => s.summary as string));
  const sections: PreambleSection[] = [
    {
      name: "Plan",
      text: planLines.join("\n"),
      maxTokens: Math.min(SUMMARIES_MAX_TOKENS, PLAN_SUMMARY_MAX_TOKENS + SUMMARY_TOKENS_PER_STEP * done.length),
      priority: PLAN_SUMMARY_PRIORITY,
      more: "read the files named above",
    },
  ];
  for (const file of step.files) {
    const text = before.get(file) ?? null;
    sections.push({
      name: `File ${file}`,
      text: text === null ? "(does not exist yet)" : await attachedText(file, text),
      maxTokens: ATTACHED_FILES_MAX_TOKENS,
      priority: ATTACHED_FILES_PRIORITY,
      more: `read_file ${file}`,
    });
  }

  const lines = [`Step ${number} of ${plan.steps.length}: ${step.description}`, stepInstruction(step), ""];
  if (step.files.length > 0) lines.push(`Its files are attached above: ${step.files.join(", ")}.`);
  if (step.verify.kind !== "none") lines.push(`Afterwards parecode checks: ${describeVerification(step.verify)}.`);
  lines.push("Do only this step. When done, reply in one line with what you changed.");
  return { task: lines.join("\n"), sections, before };
}

async function readText(root: string, file: string): Promise<string | null> {
  const resolved = resolveInProject(root, file);
  if ("error" in resolved) return null;
  return readFile(resolved.absolute, "utf8").catch(() => null);
}

/** The file itself, or for a long one its declarations with line numbers. */
async function attachedText(file: string, text: string): Promise<string> {
  const lines = text.split("\n");
  if (lines.length <= ATTACH_WHOLE_MAX_LINES) return text;
  const symbols = await extractSymbols(path.basename(file), text, { engine: "regex" });
  const outline = symbols.map((s) => `${s.parent ? "  " : ""}${s.line} ${s.kind} ${s.name}`).join("\n");
  const note = `[${lines.length} lines, too long to attach; read the part you need with read_file and line_range]`;
  return outline ? `${note}\n${outline}` : `${note}\n${lines.slice(0, 40).join("\n")}`;
}
