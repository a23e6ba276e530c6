/**
 * The one composition root. Every front end (the one-shot CLI, the TUI, stream-json,
 * ACP, the MCP server) asks for a runtime with its own callbacks — where events go, how
 * a person is asked — and gets a live session: profile, provider client, tools,
 * permission policy and carry-over between tasks. No front end wires these parts itself.
 */

import path from "node:path";
import type { TaskResultEvent } from "../agent/agent.js";
import { createAgentSession } from "../agent/session.js";
import { collectSecrets } from "../config/collect-secrets.js";
import { cacheDir } from "../config/paths.js";
import type { Profile, ResolvedConfig } from "../config/types.js";
import type { Approver, PermissionMode } from "../core/approval.js";
import { createRedactor, type Redactor } from "../core/redact.js";
import { configureTempJournal, sweepStaleTemps } from "../core/temp-files.js";
import type { AgentEvent } from "../core/types.js";
import type { PlanService } from "../plan/index.js";
import { chooseModels } from "../plan/routes.js";
import { assessCommandConservatively } from "./command-assessor.js";
import { commandSandbox, withoutKeyVariable } from "./command-setup.js";
import { createIsolatedRunner, type IsolatedRunOptions, QUICK_TOOLS, quickModeWarning } from "./isolated.js";
import { startSessionMcp } from "./mcp.js";
import { buildSessionPermissions, toolKindOf, type WorkspaceTrustPrompt } from "./permissions.js";

export interface RuntimeOptions {
  /** The project root: tools resolve paths inside it and commands start there. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --profile NAME. */
  profileName?: string;
  /** --model ID. */
  modelOverride?: string;
  /** --permission-mode / --trust. */
  permissionMode?: PermissionMode;
  /** --trust-project. */
  trustProject?: boolean;
  /** --sandbox / --no-sandbox; undefined: the config's `sandbox` setting. */
  sandbox?: "auto" | "off";
  /**
   * The front end's redactor (its printers use it for streamed text). The runtime adds the
   * profiles' keys to it and applies it to tool results and approval requests.
   */
  redactor?: Redactor;
  /**
   * The front end's way of asking a person. Absent when nobody can be asked (headless):
   * everything that would ask is then denied and listed in the result.
   */
  approve?: Approver;
  /** Asked once when the project's permission file would loosen the rules. */
  confirmWorkspaceTrust?: WorkspaceTrustPrompt;
  /** Every event of every task, in order. Must not throw. */
  onEvent(event: AgentEvent): void;
}

export interface Runtime {
  readonly profile: Profile;
  readonly config: ResolvedConfig;
  readonly permissionMode: PermissionMode;
  /** Runs one task; earlier tasks of this runtime reach the model as carry-over. */
  run(task: string, signal: AbortSignal): Promise<TaskResultEvent>;
  /**
   * Runs one task in a fresh context of its own (no carry-over, its own read cache) with
   * the model, tools, permission mode and preamble sections given. Runs may overlap.
   */
  runIsolated(options: IsolatedRunOptions, signal: AbortSignal): Promise<TaskResultEvent>;
  /**
   * Quick mode: one model call on the quick route with the system prompt and the task
   * only, at most one tool call (an edit, a search or a read-only command), no history.
   */
  runQuick(task: string, signal: AbortSignal): Promise<TaskResultEvent>;
  /** Plan mode on this session: generate, review, run and resume plans (loaded on first use). */
  plans(): Promise<PlanService>;
  /** Ends what the session started (MCP servers). */
  close(): Promise<void>;
}

/** Quick mode's reply cap: the whole call stays under ~2k tokens. */
const QUICK_MAX_OUTPUT_TOKENS = 800;

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const root = options.cwd;
  const emit = options.onEvent;
  const [{ resolveProfile }, { createModelClient, costUsd, priceFor }, { createNativeToolRegistry }] =
    await Promise.all([import("../config/resolve.js"), import("../providers/index.js"), import("../tools/index.js")]);
  const { profile, config, notices, available } = await resolveProfile({
    env: options.env,
    profileName: options.profileName,
    modelOverride: options.modelOverride,
  });

  const redactor = options.redactor ?? createRedactor([]);
  for (const secret of collectSecrets(options.env, [profile, ...available])) redactor.add(secret);

  // Temps are journalled so a run killed outright is cleaned up by the next one.
  const journal = path.join(cacheDir(options.env), "temps");
  configureTempJournal(journal);
  void sweepStaleTemps(journal).catch(() => undefined);

  const client = createModelClient(profile, config.settings);
  const sandbox = commandSandbox(
    root,
    options.env,
    options.sandbox ?? config.settings.sandbox,
    config.settings.sandboxNetwork,
  );
  // MCP servers start while the model's window is looked up; neither waits for the other.
  const [window, started] = await Promise.all([
    // Ollama reports the model's real window; elsewhere this is the configured one, at once.
    client.contextInfo().catch(() => ({ effective: profile.contextTokens, warning: undefined as string | undefined })),
    startSessionMcp({ config, profile, env: options.env, root, contextTokens: profile.contextTokens }),
  ]);
  const mcp = started.mcp;
  const buildTools = () => {
    const native = createNativeToolRegistry({
      root,
      bashMaxTimeoutSeconds: config.settings.bashMaxTimeoutSeconds,
      env: withoutKeyVariable(options.env, profile.apiKeyEnv),
      envAllow: config.settings.envAllow,
      sandbox: sandbox.run,
      extraTools: mcp?.tools,
    });
    return mcp ? mcp.expose(native) : native;
  };
  const tools = buildTools();
  const permissions = await buildSessionPermissions({
    root,
    env: options.env,
    config,
    cliMode: options.permissionMode,
    trustProject: options.trustProject,
    confirmTrust: options.confirmWorkspaceTrust,
    toolKind: (name) => toolKindOf(name, (tool) => tools.mutates(tool)),
    assessCommand: assessCommandConservatively,
  });

  for (const message of notices) emit({ type: "notice", level: "info", message });
  emit({ type: "notice", level: "debug", message: sandbox.description });
  for (const message of permissions.notices) emit({ type: "notice", level: "warn", message });
  if (window.warning) emit({ type: "notice", level: "warn", message: window.warning });
  for (const message of started.warnings) emit({ type: "notice", level: "warn", message });

  const session = createAgentSession({
    root,
    client,
    tools,
    model: profile.model,
    profileName: profile.name,
    provider: profile.provider,
    contextTokens: window.effective,
    onContextTrimmed: () => tools.cache.clear(),
    maxIterations: config.settings.maxIterations,
    costUsd: (usage) => costUsd(usage, profile),
    permissions: { policy: permissions.policy, approve: options.approve },
    redact: redactor.text,
  });

  const isolated = createIsolatedRunner({
    root,
    profile: () => profile,
    settings: config.settings,
    contextTokens: () => window.effective,
    tools: buildTools,
    permissions,
    approve: options.approve,
    redact: redactor.text,
    emit,
    client: (forModel) => createModelClient(forModel, config.settings),
    costUsd,
  });
  const models = chooseModels(profile);
  let plans: Promise<PlanService> | undefined;
  const loadPlans = () =>
    import("../plan/index.js").then(({ createPlanService }) =>
      createPlanService({
        root,
        models,
        parallelSteps: config.settings.parallelSteps,
        mapCacheDir: path.join(cacheDir(options.env), "project-maps"),
        runAgent: (run, signal) => isolated.run(run, signal),
        runCommand: (command, signal) => isolated.runCommand(command, signal),
        price: (model) => priceFor({ ...profile, model }),
        fixedTokens: (opts) => isolated.fixedTokens(opts),
      }),
    );

  return {
    profile,
    config,
    get permissionMode() {
      return permissions.policy.mode;
    },
    run: (task, signal) => session.run(task, { signal, onEvent: emit }),
    runIsolated: (run, signal) => isolated.run(run, signal),
    runQuick: (task, signal) => {
      const warning = quickModeWarning(task);
      if (warning) emit({ type: "notice", level: "warn", message: warning });
      return isolated.run(
        {
          task,
          model: models.routes.quick,
          bare: true,
          onlyTools: QUICK_TOOLS,
          readOnlyCommands: true,
          singleTurn: true,
          maxToolCalls: 1,
          maxIterations: 1,
          maxOutputTokens: QUICK_MAX_OUTPUT_TOKENS,
          onEvent: emit,
        },
        signal,
      );
    },
    plans: () => {
      plans ??= loadPlans();
      return plans;
    },
    close: async () => {
      await mcp?.close();
    },
  };
}
