/**
 * git powers checkpoints on a private ref, status and diffs; without it parecode falls
 * back to a snapshot store, so a missing git is a warning, never a failure.
 */
import { displayPath } from "../../config/paths.js";
import { findOnPath } from "../../exec/path-lookup.js";
import { PROBE_TIMEOUT_MS, probeCommand } from "./probe-command.js";
import { type CheckResult, type DoctorContext, ok, warn } from "./types.js";

export async function gitChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const id = "git";
  const probe = { cwd: ctx.cwd, env: ctx.env, timeoutMs: PROBE_TIMEOUT_MS, signal: ctx.signal };
  const git = findOnPath("git", ctx.env);
  const without = "parecode works without it: checkpoints fall back to a snapshot store";
  if (git === undefined) {
    return [
      warn(
        id,
        `git is not installed (not found on PATH); ${without}`,
        "Install git (sudo apt install git, brew install git) for checkpoints and diffs.",
      ),
    ];
  }
  const version = await probeCommand(git, ["--version"], probe);
  if (!version.ok) {
    return [
      warn(
        id,
        `${git} does not run (${version.problem}); ${without}`,
        "Reinstall git, or put a working git first on PATH.",
        {
          path: git,
        },
      ),
    ];
  }
  const name = version.output.split("\n")[0].replace(/^git version /, "git ");
  const top = await probeCommand(git, ["rev-parse", "--show-toplevel"], probe);
  if (top.ok && top.output !== "") {
    return [
      ok(id, `${name}; ${displayPath(top.output, ctx.env)} is a git repository`, { path: git, repository: top.output }),
    ];
  }
  return [
    ok(id, `${name}; not inside a git repository (checkpoints use the snapshot store)`, {
      path: git,
      repository: null,
    }),
  ];
}
