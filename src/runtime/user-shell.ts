/**
 * `!cmd` in a front end: a command the person typed, run through the bash tool so the
 * sandbox, the clean environment and the deny side of the permission policy (the guard,
 * deny rules, read-only mode) apply exactly as they do to the model's commands.
 */
import type { ToolCall } from "../core/types.js";
import type { PermissionPolicy } from "../permissions/policy.js";
import type { ToolRegistry } from "../tools/index.js";

export interface ShellResult {
  /** What the command printed, as the model would receive it (summarised when long). */
  output: string;
  /** One line for people, e.g. "exit 0 · 3 lines". */
  display: string;
  isError: boolean;
  /** Set when the policy refused the command: the rule that did, named for people. */
  blocked?: string;
  durationMs: number;
}

export interface UserShellOptions {
  command: string;
  signal: AbortSignal;
  tools: ToolRegistry;
  policy: PermissionPolicy;
}

let sequence = 0;

export async function runUserShell(options: UserShellOptions): Promise<ShellResult> {
  const started = Date.now();
  const call: ToolCall = {
    id: `user-shell-${++sequence}`,
    name: "bash",
    args: { command: options.command },
    rawArgs: JSON.stringify({ command: options.command }),
  };
  const verdict = await options.policy.check(call);
  if (verdict.action === "deny") {
    return {
      output: verdict.reason,
      display: `blocked (${verdict.rule})`,
      isError: true,
      blocked: verdict.rule,
      durationMs: Date.now() - started,
    };
  }
  const result = await options.tools.execute(call, { signal: options.signal, callId: call.id, turn: 0 });
  return {
    output: result.content,
    display: result.display,
    isError: result.isError,
    durationMs: Date.now() - started,
  };
}
