import { projectConfigLayer } from "../runtime/project-layer.js";
import type { CliCommand } from "./args.js";

type ProfilesCommand = Extract<CliCommand, { kind: "profiles" }>;

/** `parecode profiles`: every usable profile (config, env keys, a detected Ollama), never a key. */
export async function runProfilesCommand(_command: ProfilesCommand): Promise<number> {
  const { listProfiles, formatProfiles } = await import("../config/resolve.js");
  const project = await projectConfigLayer(process.cwd(), process.env);
  const rows = await listProfiles({ env: process.env, project });
  process.stdout.write(formatProfiles(rows));
  return 0;
}
