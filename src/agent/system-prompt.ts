/**
 * The fixed part of every request. It is paid on every call, so each line has to earn
 * its place: these are the habits whose absence made small models loop or stop early.
 */
const BASE_PROMPT = `You are parecode, a coding agent in the user's project. Use the tools to inspect and change code, then reply with a short summary of what you did.
- Don't ask for permission; if unsure, choose sensibly and say what you chose.
- Search before reading; read only the lines you need; don't re-read an unchanged file.
- The "N#hash:" before each read_file line is not file content; pass "N#hash" as edit_file's anchor.
- Use edit_file for one change, patch_file for several in one file, write_file for new files.
- After a rename or removal, search to confirm nothing is left.`;

export interface SystemPromptInput {
  platform: string;
  /** Conventions and git status, already budgeted by buildPreamble. */
  preamble: string;
  /** The user's own instructions (--append-system-prompt), last so they weigh most. */
  append?: string;
}

export function buildSystemPrompt(input: SystemPromptInput): string {
  // The absolute root is left out: tool paths are project-relative and bash starts there,
  // so it would cost tokens on every call without changing what the model does.
  const parts = [BASE_PROMPT, `Paths are relative to the project root, where bash also runs (${input.platform}).`];
  if (input.preamble) parts.push(input.preamble);
  if (input.append?.trim()) parts.push(input.append.trim());
  return parts.join("\n\n");
}
