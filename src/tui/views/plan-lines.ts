/**
 * The plan review and the Plan view as lines of text: pure functions of the plan state,
 * the width and the rows, so both are tested as data and at any width. Every string
 * from the model or plan.md is escaped of control characters here.
 */
import { escapeControl } from "../../core/terminal-text.js";
import {
  describeEstimate,
  describeVerification,
  formatTokens,
  formatUsdRange,
  type PlanStep,
  STEP_MARKS,
  type StepProgress,
} from "../../plan/index.js";
import type { PlanUi } from "../state/plan-state.js";
import { NOTE_HELP, REVIEW_HELP } from "../state/review-keys.js";
import type { ViewLine } from "./view-frame.js";

const clean = (text: string) => escapeControl(text);
const INDENT = "     ";

/** Parts joined with " · ", wrapped onto as many lines as `width` needs, each indented. */
export function wrapParts(parts: readonly string[], width: number, indent = INDENT): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    if (part === "") continue;
    const next = line === "" ? part : `${line} · ${part}`;
    if (next.length <= room || line === "") line = next;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line !== "") lines.push(line);
  return lines.map((text) => `${indent}${text}`);
}

/** A step's estimate as parts: the token range, and the money when its model's price is known. */
export function stepEstimate(ui: Pick<PlanUi, "plan">, index: number): string[] {
  const estimate = ui.plan?.estimate?.steps[index];
  if (!estimate) return [];
  const money = formatUsdRange(estimate.usdLow, estimate.usdHigh);
  return [`est. ${formatTokens(estimate.low)}–${formatTokens(estimate.high)} tokens`, money];
}

export function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}

export interface ReviewLines {
  /** Shown above the steps whatever the cursor: the task and the estimate in total. */
  header: ViewLine[];
  /** The steps; `cursorStart`..`cursorEnd` (exclusive) are the lines of the step at the cursor. */
  body: ViewLine[];
  cursorStart: number;
  cursorEnd: number;
  /** Under the steps: the note being typed, or the review's message. */
  footer: ViewLine[];
}

/** The review's lines at `width`. */
export function reviewLines(ui: PlanUi, width: number): ReviewLines {
  const review = ui.review;
  const plan = review?.plan ?? ui.plan;
  if (!review || !plan) {
    return {
      header: [{ text: "No plan is being reviewed.", dim: true }],
      body: [],
      cursorStart: 0,
      cursorEnd: 0,
      footer: [],
    };
  }
  const approved = plan.steps.filter((step) => step.approved || step.status === "done").length;
  const header: ViewLine[] = [
    { text: `Plan: ${clean(plan.task)}`, bold: true },
    {
      text: `${describeEstimate(plan)} · ${approved} of ${plan.steps.length} approved`,
      role: approved === plan.steps.length ? "ok" : "warn",
    },
  ];
  const body: ViewLine[] = [];
  let cursorStart = 0;
  let cursorEnd = 0;
  plan.steps.forEach((step, i) => {
    const at = i === review.cursor;
    if (at) cursorStart = body.length;
    body.push(...reviewStep(ui, step, i, at, width));
    if (at) cursorEnd = body.length;
  });
  const footer: ViewLine[] = [];
  if (review.draft !== undefined) {
    footer.push({ text: `note for step ${review.cursor + 1}: ${clean(review.draft)}▏`, role: "accent", bold: true });
  } else if (review.message || ui.hint) {
    const refused = review.message?.startsWith("approve every step") ?? false;
    footer.push({ text: clean(review.message ?? ui.hint ?? ""), role: refused ? "warn" : "accent" });
  }
  for (const text of wrapParts(review.draft === undefined ? REVIEW_HELP : NOTE_HELP, width, "")) {
    footer.push({ text, role: "muted" });
  }
  return { header, body, cursorStart, cursorEnd, footer };
}

function reviewStep(ui: PlanUi, step: PlanStep, index: number, at: boolean, width: number): ViewLine[] {
  const box = step.status === "done" ? "done" : step.approved ? "[✓]" : "[ ]";
  const lines: ViewLine[] = [
    {
      text: `${at ? "›" : " "} ${box} ${index + 1}. ${clean(step.description)}`,
      bold: at,
      role: at ? "accent" : step.status === "done" ? "ok" : undefined,
      dim: step.status === "done" && !at,
    },
  ];
  if (step.status === "done") return lines;
  const model = ui.routes?.[step.category];
  const facts = [
    model ? `${step.category} · ${model}` : step.category,
    ...stepEstimate(ui, index),
    step.files.length > 0 ? `files: ${step.files.join(", ")}` : "no files",
    `verify: ${describeVerification(step.verify)}`,
    step.bash ? "may run commands" : "",
  ];
  for (const text of wrapParts(facts.map(clean), width)) lines.push({ text, dim: !at });
  if (step.unresolved && step.unresolved.length > 0) {
    lines.push({ text: `${INDENT}not found in the project: ${clean(step.unresolved.join(", "))}`, role: "warn" });
  }
  if (step.status === "failed" && step.failure) {
    lines.push({ text: `${INDENT}failed before: ${clean(step.failure.split("\n")[0])}`, role: "error" });
  }
  if (step.annotation) lines.push({ text: `${INDENT}note: ${clean(step.annotation)}`, role: "warn" });
  if (at) {
    for (const line of step.instruction.trim().split("\n").slice(0, 4)) {
      lines.push({ text: `${INDENT}${clean(line)}`, dim: true });
    }
  }
  return lines;
}

/**
 * What the review shows in `rows` lines: the header, the window of steps that keeps the
 * cursor's step in view, the footer.
 */
export function reviewWindow(lines: ReviewLines, rows: number): ViewLine[] {
  const room = Math.max(1, rows - lines.header.length - lines.footer.length);
  const { body, cursorStart, cursorEnd } = lines;
  if (body.length <= room) return [...lines.header, ...body, ...lines.footer].slice(0, Math.max(1, rows));
  // Two rows say what is above and below the window.
  const inner = Math.max(1, room - 2);
  let top = cursorEnd - cursorStart > inner ? cursorStart : Math.max(0, cursorEnd - inner);
  top = Math.min(top, cursorStart, body.length - inner);
  const below = body.length - (top + inner);
  const more = (n: number, arrow: string): ViewLine => ({
    text: n > 0 ? `  ${arrow} ${n} more ${n === 1 ? "line" : "lines"}` : "",
    dim: true,
  });
  const shown = [more(top, "↑"), ...body.slice(top, top + inner), more(below, "↓")];
  return [...lines.header, ...shown, ...lines.footer].slice(0, Math.max(1, rows));
}

/** The Plan view: live status per step, tokens, summaries, and why the plan stopped. */
export function planStatusLines(ui: PlanUi | null, width: number, now: number): ViewLine[] {
  if (!ui) {
    return [
      { text: "No plan in this session yet.", dim: true },
      { text: "/plan TASK makes one; /plan resume continues the saved one.", dim: true },
    ];
  }
  const lines: ViewLine[] = [{ text: `Plan: ${clean(ui.task)}`, bold: true }];
  const progress = ui.progress;
  const plan = ui.plan;
  const total = plan?.steps.length ?? progress?.steps.length ?? 0;
  const finished = progress?.steps.filter((step) => step.status === "done").length ?? 0;
  switch (ui.phase) {
    case "planning":
      lines.push({
        text: `planning${ui.model ? ` via ${clean(ui.model)}` : ""}… ${clock(now - ui.since)}`,
        role: "accent",
      });
      break;
    case "resuming":
      lines.push({ text: "loading the saved plan…", role: "accent" });
      break;
    case "review":
      lines.push({ text: "waiting for your review", role: "warn" });
      break;
    case "running": {
      const running = progress?.steps.flatMap((step, i) => (step.status === "running" ? [i + 1] : [])) ?? [];
      const at = running.length > 0 ? `step ${running.join(" and ")} of ${total}` : `${finished} of ${total} done`;
      lines.push({ text: `running · ${at} · ${clock(now - ui.since)}`, role: "accent" });
      break;
    }
    case "paused":
      lines.push(...reasonLines("paused: ", ui.reason ?? "a step failed"));
      break;
    case "done":
      lines.push({ text: `done · ${finished} of ${total} steps`, role: "ok" });
      break;
    case "stopped":
      lines.push(...reasonLines("", ui.reason ?? "not run"));
      break;
  }
  if (plan) {
    const used = progress?.steps.reduce((sum, step) => sum + step.tokens, 0) ?? 0;
    const parts = [describeEstimate(plan), used > 0 ? `used ${formatTokens(used)} tokens` : ""];
    for (const text of wrapParts(parts, width, "")) lines.push({ text, dim: true });
  }
  if (progress?.conflict) {
    lines.push({
      text: `steps ${progress.conflict.steps.join(" and ")} both changed ${clean(progress.conflict.files.join(", "))}`,
      role: "warn",
    });
  }
  const steps: StepProgress[] =
    progress?.steps ??
    plan?.steps.map((step) => ({ description: step.description, status: step.status, tokens: 0, toolCalls: 0 })) ??
    [];
  if (steps.length > 0) lines.push({ text: "" });
  steps.forEach((step, i) => {
    lines.push(...statusStep(step, i, plan?.steps[i], width));
  });
  if (ui.phase === "paused") {
    lines.push(
      { text: "" },
      { text: `Fix what failed, or add a note to the step in ${ui.markdownPath};`, dim: true },
      { text: "then /plan resume continues from there.", dim: true },
    );
  }
  return lines;
}

/** A reason that may span lines (a command's output): its first line, then a few more indented. */
function reasonLines(prefix: string, reason: string): ViewLine[] {
  const [first = "", ...rest] = reason.split("\n").filter((line) => line.trim() !== "");
  return [
    { text: `${prefix}${clean(first)}`, role: "warn" },
    ...rest.slice(0, 4).map((line) => ({ text: `${INDENT}${clean(line.trim())}`, dim: true })),
  ];
}

const STATUS_ROLE = { done: "ok", running: "accent", failed: "error", pending: undefined } as const;

function statusStep(step: StepProgress, index: number, planned: PlanStep | undefined, width: number): ViewLine[] {
  const head = `${STEP_MARKS[step.status]} ${index + 1}. ${clean(step.description)}`;
  const calls = step.toolCalls > 0 ? `${step.toolCalls} tool ${step.toolCalls === 1 ? "call" : "calls"}` : "";
  const tokens =
    step.tokens > 0 ? `${formatTokens(step.tokens)} tokens${step.status === "running" ? " so far" : ""}` : "";
  const right = [tokens, calls].filter((part) => part !== "").join(" · ");
  const role = STATUS_ROLE[step.status];
  const lines: ViewLine[] = [];
  if (right === "" || head.length + 3 + right.length <= width) {
    lines.push({ text: right === "" ? head : `${head} · ${right}`, role, bold: step.status === "running" });
  } else {
    lines.push({ text: head, role, bold: step.status === "running" });
    lines.push({ text: `${INDENT}${right}`, dim: true });
  }
  if (step.status === "done" && step.summary) {
    for (const line of step.summary.split("\n").slice(1)) {
      if (line.trim() !== "") lines.push({ text: `${INDENT}${clean(line.trim())}`, dim: true });
    }
  } else if (step.status === "failed" && step.summary) {
    lines.push({ text: `${INDENT}${clean(step.summary.split("\n")[0])}`, role: "error" });
  } else if (step.status === "running" && planned && planned.files.length > 0) {
    lines.push({ text: `${INDENT}files: ${clean(planned.files.join(", "))}`, dim: true });
  }
  if (planned?.annotation && step.status !== "done") {
    lines.push({ text: `${INDENT}note: ${clean(planned.annotation)}`, role: "warn" });
  }
  return lines;
}
