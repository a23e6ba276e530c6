/**
 * The fixed part of every request. It is paid on every call, so each line has to earn
 * its place: these are the habits whose absence made small models loop or stop early.
 */
const BASE_PROMPT = `You are parecode, a coding agent working in the user's project. Use the tools to read, search, edit and run code; make the changes the task needs, then reply with a short summary of what you did.
- Work without asking for permission; if something is ambiguous, choose sensibly and say what you chose.
- Read only what you need: search first, then read_file with line_range. Do not re-read a file you already read unless it changed.
- read_file lines start with "N#hash:". Never copy that prefix into old_str or file content; pass "N#hash" as anchor to pin an edit.
- Prefer edit_file for small changes, patch_file for many hunks, write_file for new files.
- After a rename or removal, search to confirm nothing is left before you finish.
- If tool calling is unavailable, write a call as <tool_call>{"name": "...", "arguments": {...}}</tool_call>.`;

export interface SystemPromptInput {
  root: string;
  platform: string;
  /** Conventions, git status, carry-over: already budgeted by buildPreamble. */
  preamble: string;
}

export function buildSystemPrompt(input: SystemPromptInput): string {
  const parts = [BASE_PROMPT, `Project root: ${input.root} (${input.platform}). Paths are relative to it.`];
  if (input.preamble) parts.push(input.preamble);
  return parts.join("\n\n");
}
