/**
 * Builds a session's hooks from the config: the profile's `[profiles.NAME.hooks]` (or,
 * for profiles with no table in the file — environment keys, Ollama — the top-level
 * `[hooks]`), the project's `.parecode/config.toml` `[hooks]` when the folder is trusted
 * (its events replace the profile's), and, the first time a profile has no table at all,
 * the checks detected in the project, written into config.toml for the user to edit.
 */

import { displayPath } from "../config/paths.js";
import type { Profile, ResolvedConfig } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import type { HookEventName } from "../core/types.js";
import type { SandboxRun } from "../exec/sandbox.js";
import {
  DEFAULT_HOOK_TIMEOUT_SECONDS,
  describeHooks,
  HOOK_EVENTS,
  type HookSet,
  hasCommands,
  parseHooksTable,
} from "../hooks/config.js";
import { appendHooksBlock, type HooksTarget, hooksTableName } from "../hooks/config-block.js";
import { detectProjectHooks } from "../hooks/detect.js";
import { createHooks, type Hooks } from "../hooks/hooks.js";
import { readProjectHooks } from "../hooks/project-file.js";
import { createHookRunner } from "../hooks/runner.js";
import { createTrustStore } from "../permissions/workspace-trust.js";
import { summariseText } from "../tools/truncate.js";
import { withoutKeyVariable } from "./command-setup.js";
import { trustStoreFile } from "./permissions.js";

export interface SessionHooksOptions {
  root: string;
  /** The user's environment; hook commands get it without keys or secret-looking values. */
  env: NodeJS.ProcessEnv;
  config: ResolvedConfig;
  profile: Profile;
  /** --trust-project: trust this folder (remembered), so its hooks run. */
  trustProject?: boolean;
  sandbox?: SandboxRun;
  /** Per command; default the table's `timeout`, else 30 s. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL of a hook's process group. */
  graceMs?: number;
}

export interface SessionHooks {
  hooks: Hooks;
  notices: Array<{ level: "info" | "warn" | "debug"; message: string }>;
}

export async function buildSessionHooks(options: SessionHooksOptions): Promise<SessionHooks> {
  const { root, env, config, profile } = options;
  const notices: SessionHooks["notices"] = [];
  const shown = displayPath(config.path, env);
  const fromFile = profile.source === "config";
  const target: HooksTarget = fromFile ? { kind: "profile", profile: profile.name } : { kind: "global" };
  const table = fromFile ? profile.raw?.hooks : config.raw?.hooks;
  const disabled = profile.raw?.hooks_disabled === true || config.raw?.hooks_disabled === true;
  const place = fromFile ? `under [profiles.${profile.name}] in ${shown}` : `under [hooks] in ${shown}`;

  const user = parseHooksTable(table, hooksTableName(target), place);
  for (const problem of user.problems) notices.push({ level: "warn", message: `${problem.problem}; ${problem.fix}` });
  const hooks: HookSet = user.hooks;
  const sources: Partial<Record<HookEventName, string>> = {};
  for (const event of HOOK_EVENTS) if (hooks[event].length > 0) sources[event] = shown;

  const project = await readProjectHooks(root);
  let projectRuns = false;
  if (project) {
    const trust = createTrustStore(trustStoreFile(env));
    if (options.trustProject) await trust.trust(root);
    if (await trust.isTrusted(root)) {
      projectRuns = true;
      for (const problem of project.problems)
        notices.push({ level: "warn", message: `${problem.problem}; ${problem.fix}` });
      for (const event of HOOK_EVENTS) {
        if (project.hooks[event].length === 0) continue;
        hooks[event] = project.hooks[event];
        sources[event] = project.shown;
      }
    } else if (hasCommands(project.hooks)) {
      notices.push({
        level: "warn",
        message: `${project.shown} defines hooks (${describeHooks(project.hooks)}); they run only in a trusted folder. Run with --trust-project to trust this folder.`,
      });
    }
  }

  if (!disabled && table === undefined && !projectRuns) {
    const detected = detectProjectHooks(root, env);
    for (const event of HOOK_EVENTS) {
      hooks[event] = detected.hooks[event];
      if (hooks[event].length > 0) sources[event] = shown;
    }
    try {
      const outcome = await appendHooksBlock(config.path, target, detected, { project: root, env });
      if (outcome === "written" && detected.found.length > 0) {
        notices.push({
          level: "info",
          message: `Hooks detected from ${detected.found.join(", ")} and written to ${shown} [${hooksTableName(target)}]: ${describeHooks(detected.hooks)}. Edit them there; hooks_disabled = true turns them off.`,
        });
      } else if (outcome === "written") {
        notices.push({
          level: "debug",
          message: `No checks detected for hooks; an empty [${hooksTableName(target)}] was written to ${shown} so detection does not run again.`,
        });
      }
    } catch (err) {
      notices.push({
        level: "warn",
        message: `Detected hooks could not be saved (${errorMessage(err)}); they apply to this run only.`,
      });
    }
  }

  const seconds = user.timeoutSeconds ?? (projectRuns ? project?.timeoutSeconds : undefined);
  const runner = createHookRunner({
    root,
    env: withoutKeyVariable(env, profile.apiKeyEnv),
    envAllow: config.settings.envAllow,
    sandbox: options.sandbox,
    timeoutMs: options.timeoutMs ?? (seconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS) * 1000,
    graceMs: options.graceMs,
    summarise: (text, limits) => summariseText(text, "", 0, limits).text,
  });
  const session = createHooks({ hooks, disabled, runner, sources });
  if (hasCommands(hooks)) {
    notices.push({
      level: "info",
      message: disabled
        ? `hooks are disabled (hooks_disabled = true): ${describeHooks(hooks)}`
        : `⚙ hooks ${describeHooks(hooks)}`,
    });
  }
  return { hooks: session, notices };
}
