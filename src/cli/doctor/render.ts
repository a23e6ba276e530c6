/**
 * doctor's two outputs: aligned lines for people, one JSON object for scripts. The report
 * is redacted before it gets here (doctor-command.ts).
 */
import { escapeControl } from "../../core/terminal-text.js";
import type { OutputStyle } from "../output-style.js";
import type { CheckResult, CheckStatus } from "./types.js";

export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
}

export function doctorReport(checks: CheckResult[]): DoctorReport {
  return { ok: checks.every((check) => check.status !== "fail"), checks };
}

const MARKS: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗" };

/** One line per check: mark, id padded to the longest, message, then the fix after "→". */
export function renderPlain(report: DoctorReport, style: OutputStyle): string {
  const width = Math.max(0, ...report.checks.map((check) => check.id.length));
  const paint: Record<CheckStatus, (text: string) => string> = { ok: style.green, warn: style.yellow, fail: style.red };
  const lines = report.checks.map((check) => {
    const mark = paint[check.status](MARKS[check.status]);
    const fix = check.fix ? style.dim(`  → ${escapeControl(check.fix)}`) : "";
    return `${mark} ${check.id.padEnd(width)}  ${escapeControl(check.message)}${fix}`;
  });
  lines.push("", summaryLine(report, style));
  return `${lines.join("\n")}\n`;
}

function summaryLine(report: DoctorReport, style: OutputStyle): string {
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
  const failed = count("fail");
  const warned = count("warn");
  const parts = [`${count("ok")} ok`, `${warned} warning${warned === 1 ? "" : "s"}`, `${failed} failed`];
  const verdict = failed > 0 ? style.red("problems found") : style.green("parecode is ready");
  return `${verdict}: ${parts.join(", ")}`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
