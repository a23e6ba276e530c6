/**
 * The list of doctor's check groups and the runner that gives each its own deadline.
 * Groups run concurrently; results come back in list order whatever order they finish in.
 */
import { errorMessage } from "../../core/errors.js";
import { configChecks } from "./config-checks.js";
import { gitChecks } from "./git-check.js";
import { hookChecks } from "./hook-checks.js";
import { mcpChecks } from "./mcp-check.js";
import { profileChecks } from "./profile-checks.js";
import { REQUEST_TIMEOUT_MS } from "./reachability.js";
import { ripgrepChecks } from "./ripgrep-check.js";
import { sandboxChecks } from "./sandbox-check.js";
import { stateDirChecks } from "./state-dir-checks.js";
import { type CheckResult, type DoctorCheck, type DoctorContext, fail } from "./types.js";

/** Every check doctor runs, in report order: an id, a deadline and a function returning results. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  { id: "config", timeoutMs: 5_000, run: configChecks },
  // Profiles are checked in parallel, so one request's deadline plus Ollama detection bounds them.
  { id: "profiles", timeoutMs: REQUEST_TIMEOUT_MS + 4_000, run: profileChecks },
  { id: "state-dirs", timeoutMs: 5_000, run: stateDirChecks },
  { id: "git", timeoutMs: 8_000, run: gitChecks },
  { id: "ripgrep", timeoutMs: 5_000, run: ripgrepChecks },
  { id: "sandbox", timeoutMs: 12_000, run: sandboxChecks },
  { id: "hooks", timeoutMs: 5_000, run: hookChecks },
  // Each server has its own start timeout (10 s by default); closing a stubborn one takes up to 4 s more.
  { id: "mcp", timeoutMs: 20_000, run: mcpChecks },
];

export async function runDoctorChecks(
  ctx: Omit<DoctorContext, "signal">,
  checks: readonly DoctorCheck[] = DOCTOR_CHECKS,
): Promise<CheckResult[]> {
  const groups = await Promise.all(checks.map((check) => runOne(check, ctx)));
  return groups.flat();
}

async function runOne(check: DoctorCheck, ctx: Omit<DoctorContext, "signal">): Promise<CheckResult[]> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve([
        fail(
          check.id,
          `did not finish within ${check.timeoutMs / 1000} s`,
          "Something it depends on is hanging; run doctor again, or report it with PARECODE_DEBUG=1 output.",
        ),
      ]);
    }, check.timeoutMs);
  });
  try {
    // Started inside the try so a synchronous throw is caught like an asynchronous one.
    const work = Promise.resolve().then(() => check.run({ ...ctx, signal: controller.signal }));
    return await Promise.race([work, deadline]);
  } catch (err) {
    return [
      fail(
        check.id,
        `the check itself failed: ${errorMessage(err).split("\n")[0]}`,
        "This is a parecode bug; please report it with the message above.",
      ),
    ];
  } finally {
    clearTimeout(timer);
  }
}
