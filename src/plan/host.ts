/**
 * What plan mode needs from the session it runs in. The runtime implements this with its
 * profile, provider clients, tools, permission policy and sandbox; the plan module never
 * wires any of those itself. Kept narrow so tests and other hosts can supply it.
 */
import type { TaskResultEvent, ToolRunner } from "../agent/agent.js";
import type { PreambleSection } from "../context/preamble.js";
import type { AgentEvent } from "../core/types.js";
import type { ModelPrice } from "../providers/pricing.js";
import type { ModelChoice } from "./routes.js";
import type { RunCommand } from "./verify.js";

/** One isolated agent run: a fresh context with nothing of earlier runs but what is passed here. */
export interface IsolatedRun {
  /** The user message: the step's instruction, or the planning request. */
  task: string;
  model: string;
  /** Extra system-prompt sections (attached files, finished steps); the project's conventions are added by the host. */
  sections?: PreambleSection[];
  /** Offer only these tools (the others are left out of the request, not merely refused). */
  onlyTools?: readonly string[];
  /** Leave these tools out of the request. */
  withoutTools?: readonly string[];
  /** Run under the read-only permission mode whatever the session's mode is. */
  readOnly?: boolean;
  /** Texts that must survive when old turns are dropped. */
  pinned?: string[];
  maxToolCalls?: number;
  maxIterations?: number;
  /** One model call, no loop. */
  singleTurn?: boolean;
  maxOutputTokens?: number;
  /** The kind of work (a step's category): MCP servers with a `scope` are offered only when it lists this kind. */
  mcpScope?: string;
  /** Lets the caller watch or guard tool calls (e.g. keep a file's text before it is edited). */
  wrapTools?: (tools: ToolRunner) => ToolRunner;
  /** This run's events; must not throw. */
  onEvent(event: AgentEvent): void;
}

export interface PlanHost {
  /** The project root. */
  readonly root: string;
  /** The planner's model and the model of each step category. */
  readonly models: ModelChoice;
  /** Steps that may run at once (config `parallel_steps`); 1 runs them one by one. */
  readonly parallelSteps: number;
  /** Where the project map keeps its cache between runs; in memory only when absent. */
  readonly mapCacheDir?: string;
  runAgent(run: IsolatedRun, signal: AbortSignal): Promise<TaskResultEvent>;
  /** Runs a verification command through the permission policy and sandbox. */
  runCommand: RunCommand;
  /** A model's price, when known (for the estimate). */
  price(model: string): ModelPrice | undefined;
  /** Tokens every request pays before its messages: system prompt and the schemas of the tools offered. */
  fixedTokens(options?: { withoutTools?: readonly string[] }): number;
}
