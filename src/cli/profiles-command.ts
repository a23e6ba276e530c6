import type { CliCommand } from "./args.js";

type ProfilesCommand = Extract<CliCommand, { kind: "profiles" }>;

/** `parecode profiles`: every usable profile (config, env keys, a detected Ollama), never a key. */
export async function runProfilesCommand(_command: ProfilesCommand): Promise<number> {
  const { listProfiles, formatProfiles } = await import("../config/resolve.js");
  const rows = await listProfiles({ env: process.env });
  process.stdout.write(formatProfiles(rows));
  return 0;
}
