import { applyBudget, type BudgetResult, DEFAULT_TARGET_SHARE, messageBudget } from "../context/budget.js";
import { parseServedWindow } from "../context/overflow.js";
import { countTokensNow, preloadTokenizer } from "../context/tokens.js";
import type { Message } from "../core/types.js";

export interface ContextStateOptions {
  /** The model's window as configured (or detected, whichever is smaller). */
  contextTokens: number;
  /** System prompt + preamble + tool schemas, counted once per task. */
  fixedTokens: number;
  targetShare?: number;
  /** Texts that must survive dropped turns (plan step, conventions digest). */
  pinned?: string[];
}

/**
 * The per-task view of the context window: applies the proactive budget before every
 * call and learns a smaller window when the server reports an overflow.
 */
export interface ContextState {
  readonly window: number;
  /** Budgets `messages` for the next call; the agent replaces its history with the result. */
  prepare(messages: Message[], filesTouched: Iterable<string>): Promise<BudgetResult>;
  /**
   * Learns from an overflow error (or a reply cut off at the window) and shrinks the window.
   * Returns false when the window was already learned once: the agent retries only once.
   */
  learnOverflow(errorMessage: string, observedTokens?: number): boolean;
  /** The fixed part changed (more tools became available): budget against the new size. */
  setFixedTokens(tokens: number): void;
}

export function createContextState(options: ContextStateOptions): ContextState {
  let window = options.contextTokens;
  let fixedTokens = options.fixedTokens;
  let noticeGiven = false;
  let learned = false;

  return {
    get window() {
      return window;
    },
    async prepare(messages, filesTouched) {
      const budget = messageBudget(window, fixedTokens, options.targetShare ?? DEFAULT_TARGET_SHARE);
      // The tokenizer loads in the background; until it has, a character estimate is
      // good enough for small requests. Near the budget, wait for exact counts.
      const rough = messages.reduce((sum, m) => sum + countTokensNow(m.content).tokens, 0);
      if (rough > budget / 4) await preloadTokenizer();
      const result = applyBudget({
        messages,
        fixedTokens,
        contextTokens: window,
        targetShare: options.targetShare,
        count: (text) => countTokensNow(text).tokens,
        noticeAlreadyGiven: noticeGiven,
        pinned: options.pinned,
        filesTouched: [...filesTouched].sort(),
      });
      if (result.notice) noticeGiven = true;
      return result;
    },
    setFixedTokens(tokens) {
      fixedTokens = tokens;
    },
    learnOverflow(errorMessage, observedTokens) {
      if (learned) return false;
      learned = true;
      const served = parseServedWindow(errorMessage) ?? observedTokens;
      // Without a number to go by, assume the server serves three quarters of what we thought.
      window = Math.max(1_024, Math.min(window, served ?? Math.floor(window * 0.75)));
      return true;
    },
  };
}
