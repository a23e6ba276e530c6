/**
 * `parecode plan` output: the plan for review, a line per step as it starts and ends
 * (with the tool lines of each step beneath it), and the totals against the estimate.
 * Progress goes to stderr, the final report to stdout. Text from the model or the
 * project is redacted and its control characters escaped, as everywhere.
 */
import type { Redactor } from "../core/redact.js";
import { escapeControl } from "../core/terminal-text.js";
import {
  describeEstimate,
  describeVerification,
  formatTokens,
  formatUsdRange,
  type Plan,
  type PlanEvent,
  STEP_MARKS,
} from "../plan/index.js";
import type { OutputStyle } from "./output-style.js";
import type { Sink } from "./printers.js";

export interface PlanPrinterOptions {
  out: Sink;
  err: Sink;
  style: OutputStyle;
  verbose: boolean;
  redactor?: Redactor;
  /** Steps in the plan, for "step 2/4". */
  total(): number;
}

export function createPlanPrinter(options: PlanPrinterOptions): (event: PlanEvent) => void {
  const { err, style, verbose } = options;
  const clean = (text: string) => escapeControl(options.redactor ? options.redactor.text(text) : text);
  const block = (text: string) =>
    escapeControl(options.redactor ? options.redactor.text(text) : text, { keepNewlines: true });
  const concurrent = new Set<number>();
  return (event) => {
    switch (event.type) {
      case "plan_planning":
        err.write(style.dim(`⟳ planning via ${clean(event.model)}: ${clean(event.task)}\n`));
        return;
      case "plan_retry":
        err.write(style.yellow(`! the plan could not be read (${clean(event.reason)}); asking again\n`));
        return;
      case "plan_notice":
        err.write(style.yellow(`! ${clean(event.message)}\n`));
        return;
      case "plan_step_start":
        if (event.concurrent) concurrent.add(event.step);
        err.write(
          `${STEP_MARKS.running} step ${event.step}/${options.total()}: ${clean(event.description)} ${style.dim(
            `(${event.category}, ${clean(event.model)}${event.concurrent ? ", beside others" : ""})`,
          )}\n`,
        );
        return;
      case "plan_agent": {
        const inner = event.event;
        const tag = event.step > 0 && concurrent.has(event.step) ? `[${event.step}] ` : "";
        if (inner.type === "tool_end") {
          const mark = inner.isError ? style.red("✗") : style.dim("›");
          err.write(`  ${mark} ${tag}${inner.isError ? clean(inner.display) : style.dim(clean(inner.display))}\n`);
        } else if (inner.type === "notice" && (inner.level !== "debug" || verbose)) {
          err.write(`  ${style.yellow("!")} ${tag}${block(inner.message)}\n`);
        } else if (inner.type === "retry") {
          err.write(style.yellow(`  ↻ ${tag}${clean(inner.reason)}; retrying (attempt ${inner.attempt})\n`));
        } else if (inner.type === "permission" && inner.action === "deny") {
          err.write(`  ${style.red("✗")} ${tag}${clean(inner.tool)} denied: ${clean(inner.rule)}\n`);
        }
        return;
      }
      case "plan_step_verify":
        err.write(
          `  ${event.ok ? style.green("✓") : style.red("✗")} verify ${clean(describeVerification(event.verify))}: ${block(event.message)}\n`,
        );
        return;
      case "plan_step_end": {
        const mark = event.status === "done" ? style.green(STEP_MARKS.done) : style.red(STEP_MARKS.failed);
        const tokens = `${formatTokens(event.usage.inputTokens)} in, ${formatTokens(event.usage.outputTokens)} out`;
        err.write(
          `${mark} step ${event.step}/${options.total()} ${style.dim(`(${tokens}, ${plural(event.toolCalls, "tool call")}, ${(event.durationMs / 1000).toFixed(1)}s)`)}\n`,
        );
        const lines = block(event.summary)
          .split("\n")
          .filter((line) => line.trim() !== "");
        for (const line of event.status === "done" ? lines.slice(1) : lines)
          err.write(`    ${style.dim(line.trim())}\n`);
        return;
      }
      case "plan_conflict":
        err.write(
          style.yellow(
            `! steps ${event.steps.join(" and ")} ran at once and both changed ${clean(event.files.join(", "))}\n`,
          ),
        );
        return;
      case "plan_paused":
        err.write(style.yellow(`Plan paused at step ${event.step}: ${block(event.reason)}\n`));
        return;
      case "plan_done":
      case "plan_ready":
        return;
    }
  };
}

/** The plan as the person reviews it. */
export function renderPlan(plan: Plan, style: OutputStyle, redact: (text: string) => string = (t) => t): string {
  const clean = (text: string) => escapeControl(redact(text));
  const lines = [`Plan: ${clean(plan.task)}`, style.dim(describeEstimate(plan))];
  plan.steps.forEach((step, i) => {
    const facts = [
      step.category,
      step.files.length > 0 ? `files: ${step.files.join(", ")}` : "no files",
      step.verify.kind === "none" ? "" : `verify: ${describeVerification(step.verify)}`,
      step.bash ? "may run commands" : "",
    ].filter((fact) => fact !== "");
    const mark = step.status === "pending" ? `${i + 1}.` : `${STEP_MARKS[step.status]} ${i + 1}.`;
    lines.push("", `${mark} ${clean(step.description)}`, style.dim(`   ${clean(facts.join(" · "))}`));
    for (const line of step.instruction.trim().split("\n")) lines.push(`   ${clean(line)}`);
    if (step.annotation) lines.push(style.yellow(`   note: ${clean(step.annotation)}`));
    if (step.status === "failed" && step.failure)
      lines.push(style.red(`   failed: ${clean(step.failure.split("\n")[0])}`));
  });
  return `${lines.join("\n")}\n`;
}

/** Tokens per step and in all, against the estimate. */
export function renderTotals(plan: Plan): string {
  const rows = plan.steps.map((step, i) => {
    const used = step.outcome;
    const cost = used
      ? `${formatTokens(used.usage.inputTokens)} in / ${formatTokens(used.usage.outputTokens)} out`
      : "-";
    return `  ${STEP_MARKS[step.status]} step ${i + 1}: ${cost}${used ? `, ${plural(used.toolCalls, "tool call")}` : ""}`;
  });
  const spent = plan.spent;
  if (spent) {
    const money = spent.costUsd === null ? "" : `, ${formatUsdRange(spent.costUsd, spent.costUsd).replace("~", "")}`;
    rows.push(
      `  total: ${spent.usage.inputTokens} input + ${spent.usage.outputTokens} output tokens${money} (planning: ${plan.planner.usage.inputTokens} input)`,
    );
    if (plan.estimate) {
      const mid = (plan.estimate.low + plan.estimate.high) / 2;
      const ratio = mid > 0 ? spent.usage.inputTokens / mid : 0;
      rows.push(
        `  estimate: ${formatTokens(plan.estimate.low)}–${formatTokens(plan.estimate.high)} input tokens; measured ÷ estimate midpoint = ${ratio.toFixed(2)}×`,
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
