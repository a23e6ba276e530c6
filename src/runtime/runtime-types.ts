/**
 * What a front end hands the runtime and gets back: the contract every front end (the
 * one-shot CLI, the TUI, stream-json, ACP, the MCP server) is written against.
 */
import type { TaskResultEvent } from "../agent/agent.js";
import type { McpServerConfig } from "../config/mcp-servers.js";
import type { ProfileRow } from "../config/resolve.js";
import type { Profile, ResolvedConfig } from "../config/types.js";
import type { CompletedTurn } from "../context/carry-over.js";
import type { Approver, PermissionMode } from "../core/approval.js";
import type { Redactor } from "../core/redact.js";
import type { AgentEvent } from "../core/types.js";
import type { PlanService } from "../plan/index.js";
import type { SessionSummary } from "../sessions/index.js";
import type { IsolatedRunOptions } from "./isolated.js";
import type { McpView } from "./mcp.js";
import type { WorkspaceTrustPrompt } from "./permissions.js";
import type { RuntimeHooks } from "./runtime-hooks.js";
import type { SessionCosts } from "./session-costs.js";
import type { createSessionRecord, ResumeTarget } from "./session-record.js";
import type { ShellResult } from "./user-shell.js";

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
  /** Appended to the system prompt of every task (--append-system-prompt). */
  appendSystemPrompt?: string;
  limits?: RuntimeLimits;
  /** Every event of every task, in order. Must not throw. */
  onEvent(event: AgentEvent): void;
}

/** Limits a front end puts on the session's tasks (the CLI's --max-turns, --max-budget-usd, --timeout). */
export interface RuntimeLimits {
  /** Model calls per task; the smaller of this and max_iterations applies. */
  maxTurns?: number;
  /**
   * USD the whole session may spend; a call that would pass it is not made. The active
   * profile's model must have a known price (else createRuntime throws a ConfigError).
   */
  maxBudgetUsd?: number;
  /** Each task ends as a `timeout` after this long, its commands with it. */
  timeoutMs?: number;
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
  /** Judges the final answer (e.g. against a JSON Schema); see RunOptions.checkAnswer. */
  checkAnswer?: (answer: string) => string | undefined;
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
  /** Names of the tools the model is offered (native and MCP), for a front end's init message. */
  toolNames(): string[];
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
