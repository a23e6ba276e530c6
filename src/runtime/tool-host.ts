/**
 * The native tools for a front end that has no model and no person of its own
 * (`parecode mcp serve`): rooted at the project, judged by the same session permission
 * policy as the agent's calls (rules, modes, the shell-grammar command judge and the
 * always-denied guard), run through the same sandbox and clean environment, with secrets
 * redacted from what goes back. Nobody can be asked, so what the policy would ask is
 * refused with a line saying how to allow it.
 */

import { collectSecrets } from "../config/collect-secrets.js";
import { loadConfig } from "../config/load.js";
import type { ResolvedConfig } from "../config/types.js";
import type { ReadCache } from "../context/read-cache.js";
import type { PermissionMode } from "../core/approval.js";
import { createRedactor } from "../core/redact.js";
import type { Tool, ToolCall } from "../core/types.js";
import type { AskVerdict } from "../permissions/policy.js";
import type { OutputStore } from "../tools/output-store.js";
import { sessionCommandAssessor } from "./command-assessor.js";
import { commandSandbox, withoutKeyVariable } from "./command-setup.js";
import { buildSessionPermissions, toolKindOf } from "./permissions.js";
import { projectConfigLayer } from "./project-layer.js";

export interface ToolHostOptions {
  /** The project root: tools resolve paths inside it and commands start there. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --permission-mode; undefined: config `[permissions] mode`, else ask. */
  permissionMode?: PermissionMode;
  /** --trust-project: the project's permission file may loosen the rules. */
  trustProject?: boolean;
  /** --sandbox / --no-sandbox; undefined: the config's `sandbox` setting. */
  sandbox?: "auto" | "off";
  /** The line the caller reads when the policy would have asked a person. */
  refuseAsk?(verdict: AskVerdict, mode: PermissionMode): string;
}

export type HostVerdict = { allow: true; rule: string } | { allow: false; rule: string; reason: string };

export interface ToolHost {
  readonly root: string;
  readonly config: ResolvedConfig;
  readonly permissionMode: PermissionMode;
  /** Where the mode came from ("default", "config.toml [permissions]", "--permission-mode"). */
  readonly modeSource: string;
  /** One line: which sandbox commands run in, or why none. */
  readonly sandbox: string;
  /** Lines for the person starting it: ignored project rules, unknown keys. */
  readonly notices: readonly string[];
  /**
   * Makes the native tools. They share `outputs` (recall reads it) and read through
   * `cache`; the caller picks the cache because a host with a context of its own may
   * have dropped an earlier read.
   */
  tools(io: { cache: ReadCache; outputs: OutputStore }): Promise<Tool[]>;
  /** The policy's verdict on one call, with "ask" turned into a refusal. Never throws. */
  check(call: Pick<ToolCall, "id" | "name" | "args">): Promise<HostVerdict>;
  redact(text: string): string;
}

export async function createToolHost(options: ToolHostOptions): Promise<ToolHost> {
  const root = options.cwd;
  const config = await loadConfig(options.env, { project: await projectConfigLayer(root, options.env) });
  const redactor = createRedactor(collectSecrets(options.env, config.profiles));
  const sandbox = commandSandbox(
    root,
    options.env,
    options.sandbox ?? config.settings.sandbox,
    config.settings.sandboxNetwork,
  );
  let commandEnv = options.env;
  for (const profile of config.profiles) commandEnv = withoutKeyVariable(commandEnv, profile.apiKeyEnv);

  const mutating = new Map<string, boolean>();
  const permissions = await buildSessionPermissions({
    root,
    env: options.env,
    config,
    cliMode: options.permissionMode,
    trustProject: options.trustProject,
    toolKind: (name) => toolKindOf(name, (tool) => mutating.get(tool)),
    commandAssessor: (resolved) => sessionCommandAssessor(root, options.env, resolved),
  });
  const { policy } = permissions;
  const refuseAsk = options.refuseAsk ?? defaultRefusal;

  return {
    root,
    config,
    get permissionMode() {
      return policy.mode;
    },
    modeSource: permissions.resolved.modeSource,
    sandbox: sandbox.description,
    notices: permissions.notices,
    async tools(io) {
      const { createNativeTools } = await import("../tools/index.js");
      const tools = createNativeTools({
        root,
        cache: io.cache,
        outputs: io.outputs,
        env: commandEnv,
        envAllow: config.settings.envAllow,
        bashMaxTimeoutSeconds: config.settings.bashMaxTimeoutSeconds,
        sandbox: sandbox.run,
      });
      for (const tool of tools) mutating.set(tool.name, tool.mutates);
      return tools;
    },
    async check(call) {
      try {
        const verdict = await policy.check(call);
        if (verdict.action === "allow") return { allow: true, rule: verdict.rule };
        if (verdict.action === "deny") return { allow: false, rule: verdict.rule, reason: verdict.reason };
        return { allow: false, rule: verdict.rule, reason: refuseAsk(verdict, policy.mode) };
      } catch (err) {
        return { allow: false, rule: "error", reason: `the permission check failed: ${(err as Error).message}` };
      }
    },
    redact: redactor.text,
  };
}

function defaultRefusal(verdict: AskVerdict, mode: PermissionMode): string {
  return `${verdict.request.title} needs a person's approval in ${mode} mode (${verdict.rule}) and nobody can be asked here.`;
}
