/**
 * The one composition root. Every front end (the one-shot CLI, the TUI, stream-json,
 * ACP, the MCP server) asks for a runtime with its own callbacks — where events go, how
 * a person is asked — and gets a live session: profile, provider client, tools,
 * permission policy and carry-over between tasks. No front end wires these parts itself.
 */

import path from "node:path";
import { attachedFileSections, type ShellNote, shellNoteSection } from "../agent/attachments.js";
import { type AgentSession, createAgentSession } from "../agent/session.js";
import { collectSecrets } from "../config/collect-secrets.js";
import { cacheDir } from "../config/paths.js";
import { readProjectConfigFile } from "../config/project-config.js";
import type { Profile } from "../config/types.js";
import type { CompletedTurn } from "../context/carry-over.js";
import type { PreambleSection } from "../context/preamble.js";
import { ConfigError } from "../core/errors.js";
import { createRedactor } from "../core/redact.js";
import { configureTempJournal, sweepStaleTemps } from "../core/temp-files.js";
import type { AgentEvent } from "../core/types.js";
import { createTrustStore } from "../permissions/workspace-trust.js";
import type { PlanService } from "../plan/index.js";
import { chooseModels } from "../plan/routes.js";
import { afterTask } from "./after-task.js";
import { sessionCommandAssessor } from "./command-assessor.js";
import { commandSandbox, withoutKeyVariable } from "./command-setup.js";
import { buildSessionHooks } from "./hooks-setup.js";
import { createIsolatedRunner, QUICK_TOOLS, quickModeWarning } from "./isolated.js";
import { mcpServersKey, type SessionMcp, startSessionMcp } from "./mcp.js";
import { listModels } from "./models.js";
import { buildSessionPermissions, toolKindOf, trustStoreFile } from "./permissions.js";
import { projectConfigLayer } from "./project-layer.js";
import { createRuntimeHooks, type RuntimeHooksHolder } from "./runtime-hooks.js";
import type { Runtime, RuntimeOptions } from "./runtime-types.js";
import { createSessionRecord, type TaskStart } from "./session-record.js";
import { createTaskAccounting } from "./task-accounting.js";
import { runUserShell } from "./user-shell.js";

export type { McpServerView, McpView } from "./mcp.js";
export type { RuntimeHooks } from "./runtime-hooks.js";
export type { RunTaskOptions, Runtime, RuntimeLimits, RuntimeOptions } from "./runtime-types.js";
export type { SessionCosts } from "./session-costs.js";
export type { ShellResult } from "./user-shell.js";

/** How long after the first request is sent the task's checkpoint starts. */
const CHECKPOINT_AFTER_REQUEST_MS = 50;

/** Quick mode's reply cap: the whole call stays under ~2k tokens. */
const QUICK_MAX_OUTPUT_TOKENS = 800;

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const root = options.cwd;
  const emit = options.onEvent;
  const [{ resolveProfile }, { createModelClient, costUsd, priceFor }, { createNativeToolRegistry }] =
    await Promise.all([import("../config/resolve.js"), import("../providers/index.js"), import("../tools/index.js")]);
  // A project's .parecode/config.toml may loosen things only in a folder the user trusts.
  const project = await projectConfigLayer(root, options.env, options.trustProject);
  const first = await resolveProfile({
    env: options.env,
    profileName: options.profileName,
    modelOverride: options.modelOverride,
    project,
  });
  const config = first.config;
  const limits = options.limits ?? {};
  /** --max-budget-usd cannot be kept without a price: refuse before spending anything. */
  const requirePrice = (next: Profile) => {
    if (limits.maxBudgetUsd === undefined) return;
    if (costUsd({ inputTokens: 1_000_000, outputTokens: 0 }, next) !== null) return;
    throw new ConfigError(
      `--max-budget-usd needs the price of ${next.model}, which parecode does not know. Add cost_per_mtok_input and cost_per_mtok_output under [profiles.${next.name}] in config.toml, or leave out --max-budget-usd.`,
    );
  };
  requirePrice(first.profile);
  if (options.trustProject && (await readProjectConfigFile(root))) {
    await createTrustStore(trustStoreFile(options.env)).trust(root);
  }
  const redactor = options.redactor ?? createRedactor([]);
  const hideKeysOf = (profiles: readonly Profile[]) => {
    for (const secret of collectSecrets(options.env, profiles)) redactor.add(secret);
  };
  hideKeysOf([first.profile, ...first.available]);

  // Temps are journalled so a run killed outright is cleaned up by the next one.
  const journal = path.join(cacheDir(options.env), "temps");
  configureTempJournal(journal);
  void sweepStaleTemps(journal).catch(() => undefined);

  const sandbox = commandSandbox(
    root,
    options.env,
    options.sandbox ?? config.settings.sandbox,
    config.settings.sandboxNetwork,
  );
  let mcp: SessionMcp | undefined;
  /** The MCP scope of the session's task while it runs (tasks of a session never overlap). */
  let taskScope: string | undefined;
  const buildTools = (profile: Profile, scope: () => string | undefined) => {
    const native = createNativeToolRegistry({
      root,
      bashMaxTimeoutSeconds: config.settings.bashMaxTimeoutSeconds,
      env: withoutKeyVariable(options.env, profile.apiKeyEnv),
      envAllow: config.settings.envAllow,
      sandbox: sandbox.run,
      extraTools: mcp?.tools,
    });
    // The read cache and output store stay reachable through the filtered view.
    const exposed = mcp ? mcp.expose(native, scope) : native;
    // No tool runs before the task's checkpoint is complete: it is taken while the first
    // request is out (never delaying it), and must capture the files before any change.
    return Object.assign(Object.create(exposed) as typeof exposed, {
      execute: async (...args: Parameters<typeof exposed.execute>) => {
        await currentTask?.checkpoint();
        return exposed.execute(...args);
      },
    });
  };
  /** The task running now: its checkpoint is taken once the first request is out. */
  let currentTask: TaskStart | undefined;
  /**
   * Starts a task's record and arranges its checkpoint: a moment after the first request
   * is sent (so the git work never competes with building and sending it), and in any case
   * before the first tool runs (the tool barrier above asks for it).
   */
  const startTask = (task: string) => {
    const started = record.beginTask(task, { profile: profile.name, model: profile.model });
    currentTask = started;
    let scheduled = false;
    const observe = (event: AgentEvent) => {
      if (event.type !== "request" || scheduled) return;
      scheduled = true;
      setTimeout(() => void started.checkpoint(), CHECKPOINT_AFTER_REQUEST_MS);
    };
    return { started, observe };
  };
  /** Starts (or keeps) the MCP servers a profile asks for; restarts only when they differ. */
  const ensureMcp = async (next: Profile, contextTokens: number) => {
    const key = mcpServersKey({ config, profile: next, env: options.env, extraServers: options.mcpServers });
    if ((mcp?.key ?? "") === key) return;
    await mcp?.close();
    mcp = undefined;
    if (key === "") return;
    const started = await startSessionMcp({
      config,
      profile: next,
      env: options.env,
      root,
      contextTokens,
      extraServers: options.mcpServers,
    });
    mcp = started.mcp;
    for (const message of started.warnings) emit({ type: "notice", level: "warn", message });
  };
  let tools: ReturnType<typeof buildTools> | undefined;
  // The policy outlives profile switches: tool kinds do not depend on the profile.
  const permissions = await buildSessionPermissions({
    root,
    env: options.env,
    config,
    cliMode: options.permissionMode,
    trustProject: options.trustProject,
    confirmTrust: options.confirmWorkspaceTrust,
    toolKind: (name) => toolKindOf(name, (tool) => tools?.mutates(tool)),
    commandAssessor: (resolved) => sessionCommandAssessor(root, options.env, resolved),
  });

  const record = createSessionRecord({
    root,
    env: options.env,
    redactor,
    checkpoints: config.settings.checkpoints,
    resume: options.resume,
    notice: (level, message) => emit({ type: "notice", level, message }),
  });

  const accounting = createTaskAccounting(root);
  let hooks: RuntimeHooksHolder | undefined;
  /** The profile's hooks (detected and written to the config on its first run); the toggle carries over. */
  const useHooksOf = async (next: Profile) => {
    const built = await buildSessionHooks({
      root,
      env: options.env,
      config,
      profile: next,
      trustProject: options.trustProject,
      sandbox: sandbox.run,
    });
    for (const notice of built.notices) emit({ type: "notice", ...notice });
    if (hooks) hooks.use(built.hooks);
    else hooks = createRuntimeHooks(built.hooks, emit, redactor.text);
    return hooks;
  };

  let profile = first.profile;
  let window = profile.contextTokens;
  let session: AgentSession;
  let shellNotes: ShellNote[] = [];
  let running = false;

  /** Builds the client and agent session for a profile, carrying `earlier` turns over. */
  const activate = async (next: Profile, earlier: readonly CompletedTurn[]) => {
    const client = createModelClient(next, config.settings);
    // MCP servers start while the model's window is looked up; neither waits for the other.
    const [info, holder] = await Promise.all([
      // Ollama reports the model's real window; elsewhere this is the configured one, at once.
      client.contextInfo().catch(() => ({ effective: next.contextTokens, warning: undefined as string | undefined })),
      useHooksOf(next),
      ensureMcp(next, next.contextTokens),
    ]);
    if (info.warning) emit({ type: "notice", level: "warn", message: info.warning });
    // Fresh tools for a fresh session: the read cache must not answer for another conversation.
    const toolsNow = buildTools(next, () => taskScope);
    tools = toolsNow;
    profile = next;
    window = info.effective;
    session = createAgentSession({
      root,
      client,
      tools: toolsNow,
      model: next.model,
      profileName: next.name,
      provider: next.provider,
      contextTokens: info.effective,
      onContextTrimmed: () => toolsNow.cache.clear(),
      maxIterations: config.settings.maxIterations,
      costUsd: (usage) => costUsd(usage, next),
      permissions: { policy: permissions.policy, approve: options.approve },
      redact: redactor.text,
      hooks: holder.agent,
      earlierTurns: earlier,
      appendSystemPrompt: options.appendSystemPrompt,
    });
  };

  const configWarnings = new Set(config.warnings ?? []);
  for (const message of first.notices) {
    emit({ type: "notice", level: configWarnings.has(message) ? "warn" : "info", message });
  }
  let spentUsd = 0;
  emit({ type: "notice", level: "debug", message: sandbox.description });
  for (const message of permissions.notices) emit({ type: "notice", level: "warn", message });
  await activate(first.profile, options.earlierTurns ?? record.resumedTurns());

  const isolated = createIsolatedRunner({
    root,
    profile: () => profile,
    settings: config.settings,
    contextTokens: () => window,
    tools: (scope) => buildTools(profile, () => scope),
    permissions,
    approve: options.approve,
    redact: redactor.text,
    emit,
    client: (forModel) => createModelClient(forModel, config.settings),
    costUsd,
    appendSystemPrompt: options.appendSystemPrompt,
    hooks: () => (hooks as RuntimeHooksHolder).agent,
  });
  let plans: Promise<PlanService> | undefined;
  const loadPlans = () =>
    import("../plan/index.js").then(({ createPlanService }) => {
      const service = createPlanService({
        root,
        models: chooseModels(profile),
        parallelSteps: config.settings.parallelSteps,
        mapCacheDir: path.join(cacheDir(options.env), "project-maps"),
        runAgent: (run, signal) => isolated.run(run, signal),
        runCommand: (command, signal) => isolated.runCommand(command, signal),
        price: (model) => priceFor({ ...profile, model }),
        fixedTokens: (opts) => isolated.fixedTokens(opts),
      });
      return {
        ...service,
        async execute(plan, executeOptions) {
          // One checkpoint before the plan's first step to run: undo takes the whole plan back.
          await startTask(`plan: ${plan.task}`).started.checkpoint();
          return service.execute(plan, {
            ...executeOptions,
            async onStepDone(done) {
              await (hooks as RuntimeHooksHolder).api.run("on_plan_step_done", executeOptions.signal);
              await executeOptions.onStepDone?.(done);
            },
          });
        },
      } satisfies PlanService;
    });

  /** The next task's share of the limits: its turns, and what the session's budget has left. */
  const taskLimits = () => ({
    maxTurns: limits.maxTurns,
    maxBudgetUsd: limits.maxBudgetUsd === undefined ? undefined : limits.maxBudgetUsd - spentUsd,
  });
  /** The task's signal with --timeout folded in; `done` stops the timer. */
  const limitedSignal = (signal: AbortSignal) => {
    if (limits.timeoutMs === undefined) return { signal, done: () => undefined };
    // A timer of our own, not AbortSignal.timeout: a signal only AbortSignal.any holds
    // may be collected on Node 20 and then never fire.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("The task's time limit ran out.", "TimeoutError")),
      limits.timeoutMs,
    );
    return { signal: AbortSignal.any([signal, deadline.signal]), done: () => clearTimeout(timer) };
  };

  const guardIdle = (what: string) => {
    if (running) throw new Error(`Cannot ${what} while a task is running; wait for it or cancel it first.`);
  };

  return {
    root,
    get profile() {
      return profile;
    },
    config,
    get permissionMode() {
      return permissions.policy.mode;
    },
    get contextWindow() {
      return window;
    },
    get hooks() {
      return (hooks as RuntimeHooksHolder).api;
    },
    costs: () => accounting.costs(),
    resetCosts: () => accounting.resetCosts(),
    runIsolated: (run, signal) => isolated.run(run, signal),
    async runQuick(task, signal) {
      guardIdle("start another task");
      const quickModel = chooseModels(profile).routes.quick;
      requirePrice({ ...profile, model: quickModel });
      running = true;
      try {
        const warning = quickModeWarning(task);
        if (warning) emit({ type: "notice", level: "warn", message: warning });
        const { started, observe } = startTask(task);
        const tracked = accounting.track(window, (event) => {
          observe(event);
          emit(event);
          record.record(event);
        });
        const limited = limitedSignal(signal);
        const result = await isolated
          .run(
            {
              task,
              model: quickModel,
              limits: taskLimits(),
              bare: true,
              onlyTools: QUICK_TOOLS,
              readOnlyCommands: true,
              singleTurn: true,
              maxToolCalls: 1,
              maxIterations: 1,
              maxOutputTokens: QUICK_MAX_OUTPUT_TOKENS,
              onEvent: tracked.onEvent,
            },
            limited.signal,
          )
          .finally(limited.done);
        spentUsd += result.costUsd ?? 0;
        await started.checkpoint();
        await tracked.finish(result);
        return result;
      } finally {
        running = false;
      }
    },
    plans: () => {
      plans ??= loadPlans();
      return plans;
    },
    async run(task, signal, runOptions = {}) {
      guardIdle("start another task");
      running = true;
      try {
        const sections: PreambleSection[] = [];
        if (runOptions.attachments && runOptions.attachments.length > 0) {
          const attached = await attachedFileSections(root, runOptions.attachments);
          sections.push(...attached.sections);
          for (const problem of attached.problems) {
            emit({ type: "notice", level: "warn", message: `Not attached: ${problem}` });
          }
        }
        const shared = shellNoteSection(shellNotes);
        if (shared) sections.push(shared);
        shellNotes = [];
        const { started, observe } = startTask(task);
        const tracked = accounting.track(window, (event) => {
          observe(event);
          emit(event);
          record.record(event);
        });
        const onEvent = tracked.onEvent;
        taskScope = runOptions.mcpScope;
        const limited = limitedSignal(signal);
        const result = await session
          .run(
            task,
            {
              signal: limited.signal,
              onEvent,
              checkAnswer: runOptions.checkAnswer,
              limits: taskLimits(),
            },
            { sections },
          )
          .finally(limited.done);
        spentUsd += result.costUsd ?? 0;
        await started.checkpoint();
        await tracked.finish(result);
        await afterTask({
          root,
          profile,
          task,
          result,
          notice: (message) => onEvent({ type: "notice", level: "info", message }),
        });
        return result;
      } finally {
        running = false;
        taskScope = undefined;
      }
    },
    async runShell(command, signal) {
      if (!tools) throw new Error("The runtime has no tools yet.");
      const result = await runUserShell({ command, signal, tools, policy: permissions.policy });
      if (!result.blocked) {
        shellNotes.push({ command, output: result.output, isError: result.isError });
        // Only the last few matter to the next task; older ones would crowd the preamble.
        shellNotes = shellNotes.slice(-3);
      }
      return result;
    },
    setPermissionMode(mode) {
      permissions.policy.setMode(mode);
    },
    async switchProfile(name, switchOptions = {}) {
      guardIdle("switch profiles");
      const next = await resolveProfile({
        env: options.env,
        profileName: name,
        modelOverride: switchOptions.model,
        project,
      });
      requirePrice(next.profile);
      hideKeysOf([next.profile, ...next.available]);
      await activate(next.profile, session.turns());
      // Plan mode chose its models from the profile it was loaded with.
      plans = undefined;
      return profile;
    },
    async newSession() {
      guardIdle("start a new session");
      shellNotes = [];
      record.startNew();
      await activate(profile, []);
    },
    get mcp() {
      return mcp?.view;
    },
    get sessionId() {
      return record.id;
    },
    async rollback(n) {
      guardIdle("roll back");
      await activate(profile, record.rollback(n));
    },
    async resumeSession(target) {
      guardIdle("switch sessions");
      shellNotes = [];
      await activate(profile, record.switchTo(target));
    },
    listSessions: () => record.store().list({ root }).sessions,
    checkpointOptions: () => record.checkpointOptions(),
    turns: () => session.turns(),
    toolNames: () => tools?.schemas().map((schema) => schema.name) ?? [],
    listModels: (signal) => listModels(profile, signal),
    async listProfiles() {
      const { listProfiles } = await import("../config/resolve.js");
      return listProfiles({ env: options.env, project });
    },
    async close() {
      record.close();
      await mcp?.close();
      mcp = undefined;
    },
  };
}
