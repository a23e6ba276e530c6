import type { CommandAssessment } from "../permissions/policy.js";

/**
 * Until the shell-grammar assessor lands, every command is asked: nothing runs that a
 * person (or a mode that trusts everything) did not allow.
 */
export async function assessCommandConservatively(command: string): Promise<CommandAssessment> {
  const first = command.trim().split(/\s+/)[0] ?? "";
  return {
    action: "ask",
    rule: "default: commands are asked",
    reason: "",
    readOnly: false,
    explicitAsk: false,
    askedPrefixes: first ? [first] : [],
  };
}
