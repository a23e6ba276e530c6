import { writeConventions } from "../context/init/index.js";
import type { CliCommand } from "./args.js";

type InitCommand = Extract<CliCommand, { kind: "init" }>;

/**
 * `parecode init`: writes .parecode/conventions.md from the README, manifests, lint
 * configs and test layout. Deterministic, no model call; user text outside the
 * generated block survives a re-run.
 */
export async function runInitCommand(command: InitCommand, root: string): Promise<number> {
  const result = await writeConventions(root, { force: command.force });
  const from = result.sources.length > 0 ? ` from ${result.sources.join(", ")}` : "";
  const verb = { created: "Wrote", updated: "Updated", unchanged: "Unchanged:" }[result.action];
  process.stdout.write(`${verb} ${result.path}${from}\n`);
  return 0;
}
