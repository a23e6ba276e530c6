/**
 * The ripgrep binary shipped by @vscode/ripgrep does `search`; without it a built-in
 * scanner takes over, slower but correct, so a broken binary is a warning.
 */
import { loadRgPath } from "../../tools/search-rg.js";
import { PROBE_TIMEOUT_MS, probeCommand } from "./probe-command.js";
import { type CheckResult, type DoctorContext, ok, warn } from "./types.js";

export async function ripgrepChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const id = "ripgrep";
  const slower = "search falls back to the built-in scanner, ~14× slower";
  const fix = "Reinstall parecode so @vscode/ripgrep downloads its binary (npm rebuild @vscode/ripgrep).";
  const rg = await loadRgPath();
  if (rg === undefined) return [warn(id, `the bundled ripgrep (@vscode/ripgrep) is not installed; ${slower}`, fix)];
  const version = await probeCommand(rg, ["--version"], {
    cwd: ctx.cwd,
    env: ctx.env,
    timeoutMs: PROBE_TIMEOUT_MS,
    signal: ctx.signal,
  });
  if (!version.ok) return [warn(id, `${rg} does not run (${version.problem}); ${slower}`, fix, { path: rg })];
  return [ok(id, `${version.output.split("\n")[0]} (bundled)`, { path: rg })];
}
