/**
 * Bare `parecode` on a terminal: the interactive UI, loaded only now so `--version` and
 * one-shot runs never pay for Ink and React.
 */

import { stdin } from "node:process";
import { createTrustPrompt } from "./approval-prompt.js";
import type { TaskCommand } from "./args.js";
import { createOutputStyle } from "./output-style.js";
import { runtimeOptionsFromFlags } from "./runtime-flags.js";

/** True when the UI can run: no task given, no -p, text in and out, and a terminal on both ends. */
export function wantsInteractive(command: TaskCommand): boolean {
  return (
    command.task === undefined &&
    !command.print &&
    command.outputFormat === "text" &&
    command.inputFormat === "text" &&
    stdin.isTTY === true &&
    process.stdout.isTTY === true
  );
}

export async function runInteractive(command: TaskCommand): Promise<number> {
  const [{ startTui }, { SESSION_EXTENSION }, { MCP_EXTENSION }] = await Promise.all([
    importUi(),
    import("../tui/commands/session-commands.js"),
    import("../tui/commands/mcp-commands.js"),
  ]);
  return startTui({
    extensions: [SESSION_EXTENSION, MCP_EXTENSION],
    ...runtimeOptionsFromFlags(command),
    resume: command.resume,
    appendSystemPrompt: command.appendSystemPrompt,
    limits: {
      maxTurns: command.maxTurns,
      maxBudgetUsd: command.maxBudgetUsd,
      timeoutMs: command.timeoutSeconds === undefined ? undefined : Math.round(command.timeoutSeconds * 1000),
    },
    confirmWorkspaceTrust: createTrustPrompt({
      input: stdin,
      output: process.stderr,
      style: createOutputStyle(process.stderr),
    }),
  });
}

/**
 * Ink decides once, when it loads, whether it runs under CI (then it prints only the last
 * frame). A person at a terminal is not CI even when CI is set in the environment, so the
 * flag is hidden from that one check and restored at once.
 */
async function importUi(): Promise<typeof import("../tui/index.js")> {
  const names = ["CI", "CONTINUOUS_INTEGRATION"] as const;
  const saved = names.map((name) => process.env[name]);
  for (const name of names) process.env[name] = "false";
  try {
    return await import("../tui/index.js");
  } finally {
    names.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    });
  }
}
