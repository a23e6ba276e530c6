/**
 * The one composition root. Every front end (the one-shot CLI, the TUI, stream-json,
 * ACP, the MCP server) asks for a runtime with its own callbacks — where events go, how
 * a person is asked — and gets a live session: profile, provider client, tools,
 * permission policy and carry-over between tasks. No front end wires these parts itself.
 */

import path from "node:path";
import type { TaskResultEvent } from "../agent/agent.js";
import { attachedFileSections, type ShellNote, shellNoteSection } from "../agent/attachments.js";
import { type AgentSession, createAgentSession } from "../agent/session.js";
import { collectSecrets } from "../config/collect-secrets.js";
import type { McpServerConfig } from "../config/mcp-servers.js";
import { cacheDir } from "../config/paths.js";
import type { ProfileRow } from "../config/resolve.js";
import type { Profile, ResolvedConfig } from "../config/types.js";
import type { CompletedTurn } from "../context/carry-over.js";
import type { PreambleSection } from "../context/preamble.js";
import type { Approver, PermissionMode } from "../core/approval.js";
import { createRedactor, type Redactor } from "../core/redact.js";
import { configureTempJournal, sweepStaleTemps } from "../core/temp-files.js";
import type { AgentEvent } from "../core/types.js";
import type { PlanService } from "../plan/index.js";
import { chooseModels } from "../plan/routes.js";
import type { SessionSummary } from "../sessions/index.js";
import { afterTask } from "./after-task.js";
import { sessionCommandAssessor } from "./command-assessor.js";
import { commandSandbox, withoutKeyVariable } from "./command-setup.js";
import { buildSessionHooks } from "./hooks-setup.js";
import { createIsolatedRunner, type IsolatedRunOptions, QUICK_TOOLS, quickModeWarning } from "./isolated.js";
import { type McpView, mcpServersKey, type SessionMcp, startSessionMcp } from "./mcp.js";
import { listModels } from "./models.js";
import { buildSessionPermissions, toolKindOf, type WorkspaceTrustPrompt } from "./permissions.js";
import { createRuntimeHooks, type RuntimeHooks, type RuntimeHooksHolder } from "./runtime-hooks.js";
import type { SessionCosts } from "./session-costs.js";
import { createSessionRecord, type ResumeTarget } from "./session-record.js";
import { createTaskAccounting } from "./task-accounting.js";
import { runUserShell, type ShellResult } from "./user-shell.js";

export type { McpServerView, McpView } from "./mcp.js";
export type { RuntimeHooks } from "./runtime-hooks.js";
export type { SessionCosts } from "./session-costs.js";
export type { ShellResult } from "./user-shell.js";

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
  /** Turns of an earlier runtime this one continues (e.g. after moving to another folder). */
  earlierTurns?: readonly CompletedTurn[];
  /** -c (the latest session of this folder) or --resume ID: continue a recorded session. */
  resume?: ResumeTarget;
  /**
   * MCP servers the front end brings (an editor's, over ACP), started beside the configured
   * ones; a configured server of the same name wins.
   */
  mcpServers?: readonly McpServerConfig[];
  /** Every event of every task, in order. Must not throw. */
  onEvent(event: AgentEvent): void;
}

export interface RunTaskOptions {
  /**
   * Project-relative files pinned in context: read fresh for this task and put in the
   * system prompt's preamble under their own cap, never compressed or dropped by the
   * history budget. Files that cannot be read are reported as a warning notice.
   */
  attachments?: readonly string[];
  /**
   * The kind of work this task is (a plan step's category): MCP servers that declare a
   * `scope` are offered only when it lists this kind; servers without one always are.
   * Undefined: every server.
   */
  mcpScope?: string;
}

export interface Runtime {
  /** The project root. */
  readonly root: string;
  /** The active profile; changes with switchProfile. */
  readonly profile: Profile;
  readonly config: ResolvedConfig;
  readonly permissionMode: PermissionMode;
  /** The window the budget works against (Ollama's real one when it told us). */
  readonly contextWindow: number;
  /** /hooks on|off, /list-hooks, and the session-level hook events. */
  readonly hooks: RuntimeHooks;
  /**
   * Runs one task; earlier tasks of this runtime reach the model as carry-over. Afterwards
   * the task's telemetry record is appended to `.parecode/telemetry.jsonl`.
   */
  run(task: string, signal: AbortSignal, options?: RunTaskOptions): Promise<TaskResultEvent>;
  /**
   * Runs one task in a fresh context of its own (no carry-over, its own read cache) with
   * the model, tools, permission mode and preamble sections given. Runs may overlap.
   */
  runIsolated(options: IsolatedRunOptions, signal: AbortSignal): Promise<TaskResultEvent>;
  /**
   * Quick mode: one model call on the quick route with the system prompt and the task
   * only, at most one tool call (an edit, a search or a read-only command), no history.
   * Checkpointed and recorded like any task.
   */
  runQuick(task: string, signal: AbortSignal): Promise<TaskResultEvent>;
  /**
   * Plan mode on this session: generate, review, run and resume plans (loaded on first
   * use). Running a plan takes a checkpoint first, so `undo` takes the whole plan back,
   * and on_plan_step_done hooks run after each step that passes.
   */
  plans(): Promise<PlanService>;
  /** Tokens and cost of the tasks run since the session began or the last resetCosts (/cost). */
  costs(): SessionCosts;
  /** /cost reset. */
  resetCosts(): void;
  /**
   * Runs a command the person typed (`!cmd`) through the bash tool: the same sandbox,
   * clean environment and deny rules as the model's commands. The person typing it is the
   * one who would be asked, so an "ask" verdict runs; a deny (guard, rule, read-only
   * mode) does not. The command and its output reach the model with the next task.
   */
  runShell(command: string, signal: AbortSignal): Promise<ShellResult>;
  setPermissionMode(mode: PermissionMode): void;
  /**
   * Continues the session with another profile (and optionally another model): the
   * earlier turns stay as carry-over and answers given this session stay remembered.
   * Must not be called while a task runs.
   */
  switchProfile(name: string, options?: { model?: string }): Promise<Profile>;
  /** Forgets the carry-over: the next task starts a fresh conversation. */
  newSession(): Promise<void>;
  /** The tasks run so far in this session, oldest first. */
  turns(): readonly CompletedTurn[];
  /** Models the active profile's server offers (Ollama's installed models; an OpenAI-compatible /models). */
  listModels(signal?: AbortSignal): Promise<string[]>;
  /** Every profile that could be switched to: config, environment keys, a running Ollama. */
  listProfiles(): Promise<ProfileRow[]>;
  /**
   * The session's MCP servers as they are now (status, tools, a redacted log tail), for
   * /mcp; undefined when none are configured.
   */
  readonly mcp: McpView | undefined;
  /** The recorded session's id (undefined until the first task of a new session). */
  readonly sessionId: string | undefined;
  /** Rolls the conversation back `n` turns: carry-over continues from before them. */
  rollback(n: number): Promise<void>;
  /** Continues another recorded session (its turns become the carry-over). */
  resumeSession(target: ResumeTarget): Promise<void>;
  /** This folder's recorded sessions, newest first. */
  listSessions(): SessionSummary[];
  /** Where this project's checkpoints live, for diff and undo (src/git/checkpoints.ts). */
  checkpointOptions(): ReturnType<ReturnType<typeof createSessionRecord>["checkpointOptions"]>;
  /** Ends what the session started (MCP servers, the session file). Call once, when the front end exits. */
  close(): Promise<void>;
}

/** Quick mode's reply cap: the whole call stays under ~2k tokens. */
const QUICK_MAX_OUTPUT_TOKENS = 800;

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const root = options.cwd;
  const emit = options.onEvent;
  const [{ resolveProfile }, { createModelClient, costUsd, priceFor }, { createNativeToolRegistry }] =
    await Promise.all([import("../config/resolve.js"), import("../providers/index.js"), import("../tools/index.js")]);
  const first = await resolveProfile({
    env: options.env,
    profileName: options.profileName,
    modelOverride: options.modelOverride,
  });
  const config = first.config;
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
        await checkpointTaken;
        return exposed.execute(...args);
      },
    });
  };
  let checkpointTaken: Promise<unknown> = Promise.resolve();
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
    });
  };

  for (const message of first.notices) emit({ type: "notice", level: "info", message });
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
          checkpointTaken = record.beginTask(`plan: ${plan.task}`, { profile: profile.name, model: profile.model });
          await checkpointTaken;
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
      running = true;
      try {
        const warning = quickModeWarning(task);
        if (warning) emit({ type: "notice", level: "warn", message: warning });
        checkpointTaken = record.beginTask(task, { profile: profile.name, model: profile.model });
        const tracked = accounting.track(window, (event) => {
          emit(event);
          record.record(event);
        });
        const result = await isolated.run(
          {
            task,
            model: chooseModels(profile).routes.quick,
            bare: true,
            onlyTools: QUICK_TOOLS,
            readOnlyCommands: true,
            singleTurn: true,
            maxToolCalls: 1,
            maxIterations: 1,
            maxOutputTokens: QUICK_MAX_OUTPUT_TOKENS,
            onEvent: tracked.onEvent,
          },
          signal,
        );
        await checkpointTaken;
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
        checkpointTaken = record.beginTask(task, { profile: profile.name, model: profile.model });
        const tracked = accounting.track(window, (event) => {
          emit(event);
          record.record(event);
        });
        const onEvent = tracked.onEvent;
        taskScope = runOptions.mcpScope;
        const result = await session.run(task, { signal, onEvent }, { sections });
        await checkpointTaken;
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
      const next = await resolveProfile({ env: options.env, profileName: name, modelOverride: switchOptions.model });
      hideKeysOf([next.profile, ...next.available]);
      await activate(next.profile, session.turns());
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
    listModels: (signal) => listModels(profile, signal),
    async listProfiles() {
      const { listProfiles } = await import("../config/resolve.js");
      return listProfiles({ env: options.env });
    },
    async close() {
      record.close();
      await mcp?.close();
      mcp = undefined;
    },
  };
}
