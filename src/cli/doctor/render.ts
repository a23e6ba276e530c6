/**
 * doctor's two outputs: aligned lines for people, one JSON object for scripts. Both pass
 * through `scrubSecrets` last, so no key reaches the terminal even if a check's message
 * quoted one by mistake.
 */
import { MIN_SECRET_LENGTH } from "../../core/secrets.js";
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

/** `text` with every secret value replaced; longest first so a key containing another is hidden whole. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of values) {
    out = out.split(secret).join("[redacted]");
    // JSON.stringify escapes some characters; hide the escaped spelling too.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join("[redacted]");
  }
  return out;
}
