import { type CompletedTurn, interpretShortReply, summariseEarlierTurns } from "../context/carry-over.js";
import type { PreambleSection } from "../context/preamble.js";
import { countTokensNow } from "../context/tokens.js";
import { type AgentOptions, type RunOptions, runAgentTask, type TaskResultEvent } from "./agent.js";
import { buildPreamble } from "./preamble.js";
import { buildSystemPrompt } from "./system-prompt.js";

export interface AgentSessionOptions extends Omit<AgentOptions, "systemPrompt"> {
  root: string;
  platform?: string;
  /**
   * Turns of an earlier session this one continues (a profile switch, a new folder): they
   * reach the model as carry-over exactly as if they had run here.
   */
  earlierTurns?: readonly CompletedTurn[];
  /** Appended to the system prompt of every task (--append-system-prompt). */
  appendSystemPrompt?: string;
}

export interface SessionRunExtras {
  /**
   * Preamble sections for this task only (attached files, shell output the user shared).
   * They sit in the system prompt under the preamble's caps, so the history budget never
   * compresses or drops them.
   */
  sections?: PreambleSection[];
}

export interface AgentSession {
  /** Runs one user turn; earlier turns of this session reach the model as a capped summary. */
  run(input: string, run: RunOptions, extras?: SessionRunExtras): Promise<TaskResultEvent>;
  turns(): readonly CompletedTurn[];
}

/**
 * Several tasks in a row with carry-over: each new task starts a fresh, budgeted context
 * and sees the earlier turns only as a deterministic summary (at most a quarter of the
 * window). A short reply such as "yes" is read as the answer to the last question.
 *
 * The summary travels in the task message, not the system prompt, so the system prompt
 * and tools stay byte-identical between turns and provider prompt caches keep hitting.
 */
export function createAgentSession(options: AgentSessionOptions): AgentSession {
  const completed: CompletedTurn[] = [...(options.earlierTurns ?? [])];
  return {
    async run(input, run, extras) {
      const task = interpretShortReply(input, completed.at(-1)?.answer);
      const carryOver =
        completed.length > 0
          ? summariseEarlierTurns(completed, {
              contextTokens: options.contextTokens,
              count: (text) => countTokensNow(text).tokens,
            })
          : "";
      const preamble = await buildPreamble({
        root: options.root,
        contextTokens: options.contextTokens,
        extraSections: extras?.sections,
      });
      const systemPrompt = buildSystemPrompt({
        platform: options.platform ?? process.platform,
        preamble: preamble.text,
        append: options.appendSystemPrompt,
      });
      const message = carryOver ? `[Earlier in this session]\n${carryOver}\n\n[Current task]\n${task}` : task;
      const result = await runAgentTask(message, { ...options, systemPrompt }, run);
      completed.push({
        task: input,
        answer: result.message,
        filesChanged: result.filesChanged,
        toolCalls: result.toolCalls,
        status: result.status,
      });
      return result;
    },
    turns: () => completed,
  };
}
