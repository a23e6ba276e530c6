/**
 * The judge of bash commands for a session: the shell grammar splits every line into the
 * commands it would run, the guard refuses what no mode may do (writes outside the
 * project, credential reads, destructive git and disk commands), and the rules and the
 * read-only list decide the rest. The parser, guard and grammar are loaded on the first
 * command judged: a task that runs none never pays for them.
 */
import { configDir, dataDir, homeDir } from "../config/paths.js";
import { tempDirOf } from "../exec/sandbox.js";
import { readGit } from "../git/run-git.js";
import type { CommandAssessor } from "../permissions/policy.js";
import type { ResolvedPermissions } from "../permissions/resolve.js";

export function sessionCommandAssessor(
  root: string,
  env: NodeJS.ProcessEnv,
  resolved: Pick<ResolvedPermissions, "readOnlyCommands" | "extraReadOnlyCommands">,
): CommandAssessor {
  let assessor: Promise<CommandAssessor> | undefined;
  const load = async (): Promise<CommandAssessor> => {
    const [{ createCommandAssessor }, { createCommandGuard }] = await Promise.all([
      import("../permissions/bash-policy.js"),
      import("../permissions/command-guard.js"),
    ]);
    const guard = createCommandGuard({
      root,
      cwd: root,
      home: homeDir(env),
      tmpDir: tempDirOf(env),
      // parecode's own config (keys) and data (sessions, trust decisions) are off limits to commands.
      protectedPaths: [configDir(env), dataDir(env)],
      isTreeDirty: async () => {
        const status = await readGit(root, ["status", "--porcelain", "--untracked-files=no"], 10_000);
        return status !== null && status.trim() !== "";
      },
    });
    return createCommandAssessor({
      guard,
      readOnlyCommands: resolved.readOnlyCommands,
      extraReadOnlyCommands: resolved.extraReadOnlyCommands,
    });
  };
  return async (command, rules) => {
    assessor ??= load();
    // A failed load (a broken install) is tried again next time, not remembered.
    assessor.catch(() => {
      assessor = undefined;
    });
    return (await assessor)(command, rules);
  };
}
