import { writeConventions } from "../context/init/index.js";
import { ParecodeError } from "../core/errors.js";
import type { CliCommand } from "./args.js";

type InitCommand = Extract<CliCommand, { kind: "init" }>;

/**
 * `parecode init`: writes .parecode/conventions.md from the README, manifests, lint
 * configs and test layout. Deterministic, no model call; user text outside the
 * generated block survives a re-run.
 */
export async function runInitCommand(command: InitCommand, root: string): Promise<number> {
  let result: Awaited<ReturnType<typeof writeConventions>>;
  try {
    result = await writeConventions(root, { force: command.force });
  } catch (err) {
    throw initFailure(err);
  }
  const from = result.sources.length > 0 ? ` from ${result.sources.join(", ")}` : "";
  const verb = { created: "Wrote", updated: "Updated", unchanged: "Unchanged:" }[result.action];
  process.stdout.write(`${verb} ${result.path}${from}\n`);
  return 0;
}

/** File-system failures are the user's to fix (permissions, a read-only or full disk), not ours to report. */
function initFailure(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return err;
  const fix =
    code === "EACCES" || code === "EPERM"
      ? "check that you may write to this folder"
      : code === "EROFS"
        ? "the file system is read-only"
        : code === "ENOSPC" || code === "EDQUOT"
          ? "the disk is full; free some space"
          : code === "ENOTDIR" || code === "EISDIR" || code === "EEXIST"
            ? ".parecode must be a folder and .parecode/conventions.md a file; move whatever is in the way"
            : "check the folder and try again";
  return new ParecodeError(`init could not write .parecode/conventions.md (${(err as Error).message}); ${fix}.`, 1);
}
