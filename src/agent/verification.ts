/**
 * Proof of completion: for every file a task changed, did a check pass after its last
 * edit? Edits, hook runs and the agent's own commands are recorded in the order they
 * happen; at the end each file is judged by the checks that ran after it last changed.
 *
 * Several checks after an edit are judged by command: the latest run of each counts
 * (a flaky `npm test` that passed on the second run passes), and any command whose
 * latest run failed fails the file (a passing lint does not hide a failing tsc).
 */
import type { FileVerification, ProofVerdict } from "../core/types.js";
import { isCheckCommand } from "./check-commands.js";

export interface VerificationTracker {
  /** Files an edit tool changed, now. */
  edited(files: readonly string[]): void;
  /** A shell command the agent ran to its end; a check when its words say so. */
  command(command: string, ok: boolean): void;
  /** A hook command's run: always a check. `label` is how it is named, e.g. "on_edit: tsc --noEmit". */
  hook(command: string, label: string, ok: boolean): void;
  /** The verdict for the files the task changed (edit tools, commands and anything else). */
  verdict(filesChanged: readonly string[]): { verification: FileVerification[]; proof: ProofVerdict };
}

interface Check {
  at: number;
  key: string;
  label: string;
  ok: boolean;
}

export function createVerificationTracker(): VerificationTracker {
  let clock = 0;
  const edits = new Map<string, number>();
  const checks: Check[] = [];
  /** When the latest command that is not a check ran: the latest a file could have changed unseen. */
  let lastOtherCommand = 0;

  const judge = (file: string): FileVerification => {
    // A file no edit tool reported changed through a command (or an MCP tool); when is
    // unknown, so assume the latest moment it could have.
    const since = edits.get(file) ?? lastOtherCommand;
    const latest = new Map<string, Check>();
    for (const check of checks) if (check.at > since) latest.set(check.key, check);
    if (latest.size === 0) return { file, status: "unverified" };
    const runs = [...latest.values()];
    const failed = runs.find((run) => !run.ok);
    if (failed) return { file, status: "failed", check: failed.label };
    const last = runs.reduce((a, b) => (b.at > a.at ? b : a));
    return { file, status: "verified", check: last.label };
  };

  return {
    edited(files) {
      clock++;
      for (const file of files) edits.set(file, clock);
    },
    command(command, ok) {
      clock++;
      const text = command.trim();
      if (isCheckCommand(text)) checks.push({ at: clock, key: text, label: clip(text), ok });
      else lastOtherCommand = clock;
    },
    hook(command, label, ok) {
      clock++;
      checks.push({ at: clock, key: command.trim(), label: clip(label), ok });
    },
    verdict(filesChanged) {
      const verification = filesChanged.map(judge);
      return { verification, proof: proofOf(verification) };
    },
  };
}

export function proofOf(verification: readonly FileVerification[]): ProofVerdict {
  if (verification.length === 0) return "none";
  if (verification.some((v) => v.status === "failed")) return "failed";
  return verification.every((v) => v.status === "verified") ? "verified" : "unverified";
}

function clip(text: string): string {
  const line = text.split("\n")[0];
  return line.length > 80 || line !== text ? `${line.slice(0, 79)}…` : line;
}
