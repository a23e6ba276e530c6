/**
 * `parecode --mechanical "replace foo with bar in src/"`: a deterministic edit with no
 * model call. It shows the diff, asks on a terminal (or takes --yes), checkpoints the
 * project first, then writes; `parecode undo` puts everything back.
 *
 * Text output: the diff on stdout, the summary and question on stderr. With a JSON output
 * format: one object, {"type":"result","reason":"done","files_changed":[…],"diff":…}.
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import { loadConfig } from "../../config/load.js";
import { dataDir } from "../../config/paths.js";
import { UsageError } from "../../core/errors.js";
import { createCheckpoint } from "../../git/checkpoints.js";
import { projectConfigLayer } from "../../runtime/project-layer.js";
import type { MechanicalCommand } from "../args.js";
import { canAsk, confirm } from "../confirm.js";
import { createOutputStyle, type OutputStyle } from "../output-style.js";
import { parseMechanical } from "./grammar.js";
import { type FileEdit, planEdit } from "./plan.js";

export interface MechanicalIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const DEFAULT_IO: MechanicalIo = { out: process.stdout, err: process.stderr, env: process.env };

export async function runMechanicalCommand(
  command: MechanicalCommand,
  root: string,
  io: MechanicalIo = DEFAULT_IO,
): Promise<number> {
  const started = Date.now();
  const edit = parseMechanical(command.instruction);
  const edits = await planEdit(root, edit);
  const json = command.outputFormat !== "text";
  const diff = edits.map(filePatch).join("");
  const count = edits.reduce((sum, e) => sum + e.count, 0);
  const what = edit.action === "remove_lines" ? `${plural(count, "line")} removed` : plural(count, "change");
  const summary = `${what} in ${plural(edits.length, "file")}`;
  const report = (applied: boolean, checkpoint?: string) => {
    if (!json) return;
    io.out.write(
      `${JSON.stringify({
        type: "result",
        subtype: "success",
        is_error: false,
        reason: "done",
        status: "done",
        result: applied ? `Applied: ${summary}.` : `Nothing to change.`,
        num_turns: 0,
        duration_ms: Date.now() - started,
        total_cost_usd: 0,
        files_changed: applied ? edits.map((e) => e.path) : [],
        changes: count,
        diff,
        checkpoint: checkpoint ?? null,
      })}\n`,
    );
  };

  if (edits.length === 0) {
    if (json) report(false);
    io.err.write(`Nothing to change: no match for the ${edit.action === "rename" ? "name" : "pattern"} there.\n`);
    return 0;
  }
  if (!json)
    io.out.write(
      colour(diff, io.out.isTTY === true ? createOutputStyle(io.out as NodeJS.WriteStream, io.env) : undefined),
    );
  io.err.write(`${summary}: ${edits.map((e) => e.path).join(", ")}\n`);

  if (!command.yes) {
    if (!canAsk()) throw new UsageError("Nothing changed: add --yes to apply the changes when not at a terminal.");
    if (!(await confirm(`Apply ${edits.length === 1 ? "this change" : "these changes"}?`))) {
      io.err.write("Nothing changed.\n");
      return 1;
    }
  }

  const config = await loadConfig(io.env, { project: await projectConfigLayer(root, io.env) });
  let checkpoint: string | undefined;
  if (config.settings.checkpoints !== "off") {
    const mode = config.settings.checkpoints === "files" ? "files" : undefined;
    const taken = await createCheckpoint(root, {
      dataDir: dataDir(io.env),
      mode,
      label: `mechanical: ${command.instruction}`,
    });
    // Without a checkpoint the edit could not be undone: better not to make it.
    if (taken.status !== "created") {
      io.err.write(`parecode: nothing changed: ${taken.message}\n`);
      return 1;
    }
    checkpoint = taken.checkpoint.id;
  }
  for (const change of edits) await writeFile(path.join(root, change.path), change.after);
  io.err.write(`Applied: ${summary}.${checkpoint ? " To undo: parecode undo" : ""}\n`);
  report(true, checkpoint);
  return 0;
}

function filePatch(edit: FileEdit): string {
  const patch = createTwoFilesPatch(`a/${edit.path}`, `b/${edit.path}`, edit.before, edit.after, undefined, undefined, {
    context: 2,
  });
  // createTwoFilesPatch opens with a "=====" separator line that unified diffs do not have.
  return `${patch
    .split("\n")
    .filter((line) => !line.startsWith("====="))
    .join("\n")
    .replace(/\n*$/, "\n")}`;
}

function colour(diff: string, style: OutputStyle | undefined): string {
  if (!style) return diff;
  return diff
    .split("\n")
    .map((line) =>
      line.startsWith("+") && !line.startsWith("+++")
        ? style.green(line)
        : line.startsWith("-") && !line.startsWith("---")
          ? style.red(line)
          : line,
    )
    .join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
