/** `parecode diff [N|ID]`: what changed in this folder since a checkpoint, as a unified diff. */
import { diffSince } from "../git/checkpoints.js";
import type { CliCommand } from "./args.js";
import { describeCheckpoint, pickCheckpoint } from "./checkpoint-target.js";
import { createOutputStyle } from "./output-style.js";

type DiffCommand = Extract<CliCommand, { kind: "diff" }>;

export async function runDiffCommand(command: DiffCommand, cwd: string): Promise<number> {
  const { checkpoint, options } = await pickCheckpoint(cwd, command.target);
  const diff = await diffSince(cwd, checkpoint, options);
  const style = createOutputStyle(process.stdout);
  if (diff.files.length === 0) {
    process.stdout.write(`No changes since the checkpoint ${describeCheckpoint(checkpoint)}.\n`);
    return 0;
  }
  const { added, modified, deleted, modeChanged } = diff.summary;
  const counts = [
    modified > 0 && `${modified} modified`,
    added > 0 && `${added} added`,
    deleted > 0 && `${deleted} deleted`,
    modeChanged > 0 && `${modeChanged} mode changed`,
  ].filter(Boolean);
  const out = [`Changes since the checkpoint ${describeCheckpoint(checkpoint)}: ${counts.join(", ")}`, ""];
  for (const file of diff.files) {
    for (const line of file.patch.replace(/\n$/, "").split("\n")) out.push(colour(line, style));
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

function colour(line: string, style: ReturnType<typeof createOutputStyle>): string {
  if (line.startsWith("+++ ") || line.startsWith("--- ") || line.startsWith("diff --git ")) return style.dim(line);
  if (line.startsWith("+")) return style.green(line);
  if (line.startsWith("-")) return style.red(line);
  if (line.startsWith("@@")) return style.yellow(line);
  return line;
}
