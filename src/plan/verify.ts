/**
 * Checking a step after it ran, deterministically: did the file change, is the pattern
 * gone, does the command or the build pass. Commands run through the host, which puts
 * them through the same permission policy and sandbox as the model's own commands.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { resolveInProject } from "../tools/path-safety.js";
import { toJsRegex } from "../tools/search.js";
import { searchWithJs } from "../tools/search-js.js";
import { BUILD_SOURCES, detectBuildCommand } from "./build-command.js";
import type { BeforeTexts } from "./carry-forward.js";
import type { Verification } from "./types.js";

export interface CommandRun {
  /** Exit status 0. */
  ok: boolean;
  exitCode: number | null;
  /** Output as the model would have seen it (capped, secrets redacted). */
  output: string;
  /** Set when the permission policy (or the person) did not let the command run. */
  refused?: string;
}

export type RunCommand = (command: string, signal: AbortSignal) => Promise<CommandRun>;

export interface VerifyContext {
  root: string;
  /** The step's files: the default scope of file_changed and pattern_absent. */
  files: readonly string[];
  before: BeforeTexts;
  runCommand: RunCommand;
  signal: AbortSignal;
}

export interface VerifyResult {
  ok: boolean;
  /** One line for people and for the carry-forward summary. */
  message: string;
}

/** Output lines quoted from a failing command. */
const FAILURE_TAIL_LINES = 15;
const MAX_PATTERN_HITS = 3;

export async function verifyStep(verify: Verification, ctx: VerifyContext): Promise<VerifyResult> {
  switch (verify.kind) {
    case "none":
      return { ok: true, message: "" };
    case "file_changed":
      return fileChanged(verify.path ? [verify.path] : ctx.files, ctx);
    case "pattern_absent":
      return patternAbsent(verify.pattern, verify.path, ctx);
    case "command_success":
      return commandSucceeds(verify.command, ctx);
    case "build_success": {
      const command = await detectBuildCommand(ctx.root);
      if (!command) {
        return { ok: true, message: `build not checked: no build command found (looked for ${BUILD_SOURCES})` };
      }
      const result = await commandSucceeds(command, ctx);
      return { ok: result.ok, message: result.ok ? `build passed (${command})` : result.message };
    }
  }
}

async function fileChanged(targets: readonly string[], ctx: VerifyContext): Promise<VerifyResult> {
  if (targets.length === 0) return { ok: false, message: "file_changed names no file and the step has none" };
  for (const file of targets) {
    const now = await readFile(path.join(ctx.root, file), "utf8").catch(() => null);
    const was = ctx.before.get(file);
    if (now !== was) return { ok: true, message: `${file} changed` };
  }
  const message = targets.length === 1 ? `${targets[0]} did not change` : `none of ${targets.join(", ")} changed`;
  return { ok: false, message };
}

async function patternAbsent(pattern: string, where: string | undefined, ctx: VerifyContext): Promise<VerifyResult> {
  const scopes = where ? [where] : ctx.files.length > 0 ? [...ctx.files] : ["."];
  const { regex, literal } = toJsRegex(pattern);
  const shown = literal ? JSON.stringify(pattern) : `/${pattern}/`;
  const hits: string[] = [];
  let total = 0;
  for (const scope of scopes) {
    const resolved = resolveInProject(ctx.root, scope);
    if ("error" in resolved) return { ok: false, message: `pattern_absent: ${resolved.error}` };
    const info = await stat(resolved.absolute).catch(() => null);
    // A file the step deleted holds no pattern.
    if (!info) continue;
    const outcome = await searchWithJs({
      root: ctx.root,
      pattern,
      regex,
      literal,
      startRel: resolved.relative === "" ? "." : resolved.relative,
      startIsFile: info.isFile(),
      signal: ctx.signal,
      maxKept: MAX_PATTERN_HITS,
      maxLineChars: 120,
    });
    total += outcome.total;
    for (const match of outcome.matches) hits.push(`${match.path}:${match.line}: ${match.text.trim()}`);
  }
  const place = where ?? (ctx.files.length > 0 ? ctx.files.join(", ") : "the project");
  if (total === 0) return { ok: true, message: `no ${shown} left in ${place}` };
  const more = total > MAX_PATTERN_HITS ? ` (${total} in all)` : "";
  return {
    ok: false,
    message: `${shown} still found in ${place}${more}: ${hits.slice(0, MAX_PATTERN_HITS).join("; ")}`,
  };
}

async function commandSucceeds(command: string, ctx: VerifyContext): Promise<VerifyResult> {
  const run = await ctx.runCommand(command, ctx.signal);
  if (run.refused) return { ok: false, message: `\`${command}\` was not run: ${run.refused}` };
  if (run.ok) return { ok: true, message: `\`${command}\` passed` };
  const tail = run.output.trimEnd().split("\n").slice(-FAILURE_TAIL_LINES).join("\n");
  const status = run.exitCode === null ? "did not finish" : `exited ${run.exitCode}`;
  return { ok: false, message: `\`${command}\` ${status}${tail ? `:\n${tail}` : ""}` };
}
