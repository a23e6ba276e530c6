/** How commands run for this session: the OS sandbox (or why not) and the environment they start from. */
import { resolveSandbox, type SandboxRun, sandboxFor } from "../exec/sandbox.js";

export interface CommandSandbox {
  run?: SandboxRun;
  /** One line for -v and doctor: which sandbox, with or without network, or why none. */
  description: string;
}

export function commandSandbox(
  root: string,
  env: NodeJS.ProcessEnv,
  setting: "auto" | "off",
  network: boolean,
): CommandSandbox {
  const resolution = resolveSandbox(setting, { env });
  if (!resolution.active) return { description: `commands run without a sandbox: ${resolution.reason}` };
  const run = sandboxFor(resolution, { root, env, network });
  if (!run) return { description: "commands run without a sandbox" };
  return {
    run,
    description: `commands run in the ${resolution.kind} sandbox: writes only inside the project and the temp dir, network ${network ? "on" : "off"}`,
  };
}

/** The profile's own key variable leaves the command environment whatever its name looks like. */
export function withoutKeyVariable(env: NodeJS.ProcessEnv, keyVar: string | undefined): NodeJS.ProcessEnv {
  if (keyVar === undefined || env[keyVar] === undefined) return env;
  const copy = { ...env };
  delete copy[keyVar];
  return copy;
}
