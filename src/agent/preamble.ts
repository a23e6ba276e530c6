import { type Conventions, loadConventions } from "../context/conventions.js";
import {
  assemblePreamble,
  CONVENTIONS_MAX_TOKENS,
  CONVENTIONS_PRIORITY,
  defaultPreambleMaxTokens,
  GIT_STATUS_MAX_TOKENS,
  GIT_STATUS_PRIORITY,
  type PreambleSection,
} from "../context/preamble.js";
import { countTokensNow } from "../context/tokens.js";
import { gitStatusSummary } from "../git/status.js";

export interface PreambleInput {
  root: string;
  contextTokens: number;
  /** Extra sections supplied by a front end (attached files, plan step). */
  extraSections?: PreambleSection[];
}

export interface BuiltPreamble {
  text: string;
  tokens: number;
  conventions: Conventions | null;
  /** Section names that were cut or dropped to fit. */
  trimmed: string[];
}

/**
 * The variable part of the system prompt: conventions, git status and sections a front
 * end adds (attached files, plan step), each under its own cap and all under one total,
 * so the fixed part of every request cannot crowd out the work. Conventions and git
 * status are read concurrently. Session carry-over is not here: it rides in the task
 * message so this text, and the provider's prompt cache, stay the same between turns.
 */
export async function buildPreamble(input: PreambleInput): Promise<BuiltPreamble> {
  const [conventions, git] = await Promise.all([loadConventions(input.root), gitStatusSummary(input.root)]);
  const sections: PreambleSection[] = [...(input.extraSections ?? [])];
  if (conventions) {
    sections.push({
      name: `Project conventions (${conventions.file})`,
      text: conventions.text,
      maxTokens: CONVENTIONS_MAX_TOKENS,
      priority: CONVENTIONS_PRIORITY,
      more: `read_file ${conventions.file}`,
    });
  }
  if (git) {
    sections.push({
      name: "Git status",
      text: git,
      maxTokens: GIT_STATUS_MAX_TOKENS,
      priority: GIT_STATUS_PRIORITY,
      more: "bash git status",
    });
  }
  if (sections.length === 0) return { text: "", tokens: 0, conventions, trimmed: [] };
  const assembled = assemblePreamble(sections, {
    maxTokens: defaultPreambleMaxTokens(input.contextTokens),
    count: (text) => countTokensNow(text).tokens,
  });
  return { text: assembled.text, tokens: assembled.tokens, conventions, trimmed: assembled.trimmed };
}
