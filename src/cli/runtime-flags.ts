/** What every front end started from the command line passes on from the flags it shares. */
import type { RuntimeOptions } from "../runtime/runtime.js";
import type { RunFlags } from "./task-args.js";

export type FlagOptions = Pick<
  RuntimeOptions,
  "cwd" | "env" | "profileName" | "modelOverride" | "permissionMode" | "trustProject" | "sandbox"
>;

export function runtimeOptionsFromFlags(flags: RunFlags): FlagOptions {
  return {
    cwd: process.cwd(),
    env: process.env,
    profileName: flags.profile,
    modelOverride: flags.model,
    permissionMode: flags.permissionMode,
    trustProject: flags.trustProject,
    sandbox: flags.sandbox,
  };
}
