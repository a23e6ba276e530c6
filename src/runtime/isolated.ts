/**
 * Isolated runs: one agent task in a context of its own — no carry-over from the session,
 * a fresh read cache, the model, tools, permission mode and preamble sections the caller
 * asks for — plus verification commands put through the same policy, and quick mode.
 * Plan steps, the planner and `--quick` run here; the session's own tasks do not.
 */
import { type AgentHooks, runAgentTask, type TaskResultEvent, type ToolRunner } from "../agent/agent.js";
import { createPermissionGate } from "../agent/permission-gate.js";
import { buildPreamble } from "../agent/preamble.js";
import { buildSystemPrompt } from "../agent/system-prompt.js";
import type { TaskLimits } from "../agent/task-limits.js";
import { restrictTools, withoutTools } from "../agent/tool-subset.js";
import type { Profile, Settings } from "../config/types.js";
import { countTokensNow } from "../context/tokens.js";
import type { Approver } from "../core/approval.js";
import type { AgentEvent, ModelClient, ToolCall, Usage } from "../core/types.js";
import type { PermissionPolicy } from "../permissions/policy.js";
import type { CommandRun, IsolatedRun } from "../plan/index.js";
import type { SessionPermissions } from "./permissions.js";

export interface IsolatedRunOptions extends IsolatedRun {
  /** The --max-turns/--max-budget-usd limits this run is held to. */
  limits?: TaskLimits;
  /** System prompt and task only: no conventions, git status or sections (quick mode). */
  bare?: boolean;
  /** Commands are held to the read-only mode's rule (only read-only commands run); other tools follow the session. */
  readOnlyCommands?: boolean;
}

/** What the isolated runner needs of the session; the runtime supplies it. */
export interface IsolatedDeps {
  root: string;
  profile(): Profile;
  settings: Settings;
  contextTokens(): number;
  /** A fresh tool registry (its own read cache), MCP tools included (only those offered to `mcpScope` when given). */
  tools(mcpScope?: string): ToolRunner & { cache: { clear(): void } };
  permissions: SessionPermissions;
  approve?: Approver;
  redact(text: string): string;
  emit(event: AgentEvent): void;
  client(profile: Profile): ModelClient;
  costUsd(usage: Usage, profile: Profile): number | null;
  /** The user's --append-system-prompt, for every run as for the session's own tasks. */
  appendSystemPrompt?: string;
  /** The session's hooks (on_edit output reaches the step's model like any task's). */
  hooks?(): AgentHooks;
}

export interface IsolatedRunner {
  run(options: IsolatedRunOptions, signal: AbortSignal): Promise<TaskResultEvent>;
  /** Runs a command through the policy (asking when it says so) and the bash tool. */
  runCommand(command: string, signal: AbortSignal): Promise<CommandRun>;
  /** Tokens of the system prompt (no preamble) and the schemas of the tools offered. */
  fixedTokens(options?: { withoutTools?: readonly string[] }): number;
}

/** The tools quick mode offers: one edit, a search, or a read-only command. */
export const QUICK_TOOLS: readonly string[] = ["edit_file", "search", "bash"];

export function createIsolatedRunner(deps: IsolatedDeps): IsolatedRunner {
  const approve = deps.approve ? oneQuestionAtATime(deps.approve) : undefined;
  const clients = new Map<string, ModelClient>();
  const clientFor = (profile: Profile) => {
    // After a profile switch the same model name may live behind another endpoint or key.
    const key = [profile.name, profile.provider, profile.endpoint, profile.model].join("\u0000");
    let client = clients.get(key);
    if (!client) {
      client = deps.client(profile);
      clients.set(key, client);
    }
    return client;
  };
  const platform = process.platform;
  let commandCount = 0;

  return {
    async run(options, signal) {
      const profile = { ...deps.profile(), model: options.model };
      const registry = deps.tools(options.mcpScope);
      let tools: ToolRunner = registry;
      if (options.onlyTools) tools = restrictTools(tools, options.onlyTools);
      if (options.withoutTools && options.withoutTools.length > 0) tools = withoutTools(tools, options.withoutTools);
      if (options.wrapTools) tools = options.wrapTools(tools);
      const contextTokens = deps.contextTokens();
      const preamble = options.bare
        ? ""
        : (await buildPreamble({ root: deps.root, contextTokens, extraSections: options.sections })).text;
      let policy: PermissionPolicy = options.readOnly
        ? deps.permissions.withMode("read-only")
        : deps.permissions.policy;
      if (options.readOnlyCommands) policy = commandsReadOnly(policy, deps.permissions.withMode("read-only"));
      return runAgentTask(
        options.task,
        {
          root: deps.root,
          client: clientFor(profile),
          tools,
          model: profile.model,
          profileName: profile.name,
          provider: profile.provider,
          systemPrompt: buildSystemPrompt({ platform, preamble, append: deps.appendSystemPrompt }),
          contextTokens,
          pinned: options.pinned,
          maxIterations: Math.min(options.maxIterations ?? deps.settings.maxIterations, deps.settings.maxIterations),
          maxToolCalls: options.maxToolCalls,
          singleTurn: options.singleTurn,
          maxOutputTokens: options.maxOutputTokens,
          costUsd: (usage) => deps.costUsd(usage, profile),
          onContextTrimmed: () => registry.cache.clear(),
          permissions: { policy, approve },
          redact: deps.redact,
          hooks: deps.hooks?.(),
        },
        { signal, onEvent: options.onEvent, limits: options.limits },
      );
    },

    async runCommand(command, signal) {
      commandCount += 1;
      const call: ToolCall = {
        id: `verify_${commandCount}`,
        name: "bash",
        args: { command },
        rawArgs: JSON.stringify({ command }),
      };
      const gate = createPermissionGate({
        policy: deps.permissions.policy,
        approve,
        emit: deps.emit,
        redact: deps.redact,
      });
      const verdict = await gate.authorize(call, 0, signal);
      if (!verdict.allowed) return { ok: false, exitCode: null, output: "", refused: verdict.content };
      const result = await deps.tools().execute(call, { signal, callId: call.id, turn: 0 });
      const code = /^exit (\d+)/.exec(result.content);
      return {
        ok: !result.isError,
        exitCode: code ? Number(code[1]) : null,
        output: deps.redact(result.content),
      };
    },

    fixedTokens(options = {}) {
      const without = new Set(options.withoutTools ?? []);
      const schemas = deps
        .tools()
        .schemas()
        .filter((schema) => !without.has(schema.name));
      const system = buildSystemPrompt({ platform, preamble: "" });
      return countTokensNow(system).tokens + (schemas.length > 0 ? countTokensNow(JSON.stringify(schemas)).tokens : 0);
    },
  };
}

/**
 * Why a task looks too big for quick mode (one call, one tool call), or undefined: words
 * of multi-step work, or several files named.
 */
export function quickModeWarning(task: string): string | undefined {
  // What the person wrote counts, not text they piped or pasted in a fenced block.
  const own = task.replace(/```[\s\S]*?(```|$)/g, "");
  const word = /\b(refactor|implement|add (a )?feature|plan|migrate|rewrite)\b/i.exec(own)?.[1];
  const files = new Set(own.match(/[\w./-]+\.[A-Za-z]{1,5}\b/g) ?? []);
  if (!word && files.size < 2) return undefined;
  const why = word ? `it says "${word}"` : `it names ${files.size} files`;
  return `This looks like more than one quick change (${why}); quick mode makes one model call and at most one tool call. Run it without --quick, or with parecode plan.`;
}

/** Steps running at once may each need an answer; a person is asked one question at a time. */
function oneQuestionAtATime(approve: Approver): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  return (request, signal) => {
    const answer = queue.then(() => approve(request, signal));
    queue = answer.catch(() => undefined);
    return answer;
  };
}

/** The session's policy, except that commands are judged as in read-only mode. */
function commandsReadOnly(policy: PermissionPolicy, readOnly: PermissionPolicy): PermissionPolicy {
  return {
    get mode() {
      return policy.mode;
    },
    setMode: (mode) => policy.setMode(mode),
    check: (call) => (call.name === "bash" ? readOnly.check(call) : policy.check(call)),
    remember: (verdict, scope) => policy.remember(verdict, scope),
  };
}
