/**
 * Whether bash and hook commands will run in the OS sandbox. Not having one is a
 * warning (commands still run, guarded by the permission rules); the reason names how to
 * get one.
 */
import { DEFAULT_SETTINGS } from "../../config/types.js";
import { resolveSandbox } from "../../exec/sandbox.js";
import { type CheckResult, type DoctorContext, ok, warn } from "./types.js";

export async function sandboxChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const id = "sandbox";
  const settings = ctx.config.config?.settings ?? DEFAULT_SETTINGS;
  if (settings.sandbox === "off") {
    return [ok(id, 'off by config (sandbox = "off"): commands run without the OS sandbox', { active: false })];
  }
  const resolution = resolveSandbox(settings.sandbox, { env: ctx.env, fresh: true });
  if (resolution.active) {
    const network = settings.sandboxNetwork ? "on" : "off";
    return [
      ok(id, `${resolution.kind} (${resolution.path}); network ${network}`, {
        active: true,
        kind: resolution.kind,
        path: resolution.path,
        network: settings.sandboxNetwork,
      }),
    ];
  }
  const { problem, fix } = splitReason(resolution.reason);
  const off = /sandbox = "off"/.test(fix) ? "" : '; or set sandbox = "off" to run commands without it';
  return [warn(id, `no OS sandbox: ${problem}`, `${fix}${off}`, { active: false })];
}

/** exec/sandbox reasons read "what is wrong: what to do"; the first colon outside brackets divides them. */
export function splitReason(reason: string): { problem: string; fix: string } {
  let depth = 0;
  for (let i = 0; i < reason.length - 1; i++) {
    const ch = reason[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === ":" && reason[i + 1] === " " && depth === 0) {
      return { problem: reason.slice(0, i), fix: reason.slice(i + 2) };
    }
  }
  return { problem: reason, fix: 'Set sandbox = "off" to run commands without it and silence this' };
}
