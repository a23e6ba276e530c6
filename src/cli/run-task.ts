import { stdin } from "node:process";
import type { Approver } from "../core/approval.js";
import { UsageError } from "../core/errors.js";
import { createRedactor } from "../core/redact.js";
import { secretValuesOf } from "../core/secrets.js";
import type { AgentEvent } from "../core/types.js";
import { killAllProcessGroups } from "../exec/process.js";
import { createRuntime } from "../runtime/runtime.js";
import { createTerminalApprover, createTrustPrompt } from "./approval-prompt.js";
import type { CliCommand } from "./args.js";
import { exitCodeFor } from "./exit-codes.js";
import { runInteractive, wantsInteractive } from "./interactive.js";
import { createOutputStyle } from "./output-style.js";
import { createJsonPrinter, createPlainPrinter } from "./printers.js";
import { watchSignals } from "./signals.js";
import { readStdin } from "./stdin.js";

type TaskCommand = Extract<CliCommand, { kind: "task" }>;

/** One-shot mode: build the runtime with this front end's callbacks, run the task, exit. */
export async function runTaskCommand(command: TaskCommand): Promise<number> {
  if (wantsInteractive(command)) return runInteractive(command);
  const task = command.task ?? (await taskFromStdin());
  const style = createOutputStyle(process.stderr);
  // Keys and secret-looking values never reach stdout, stderr, --json or (through tool
  // results) the model; the runtime adds the profile's own keys once it has resolved them.
  const redactor = createRedactor(secretValuesOf(process.env));
  const onEvent = command.json
    ? createJsonPrinter(process.stdout, redactor)
    : createPlainPrinter({ out: process.stdout, err: process.stderr, style, verbose: command.verbose, redactor });
  const safeEmit = (event: AgentEvent) => {
    try {
      onEvent(event);
    } catch {
      // A closed stdout (e.g. `| head`) must not crash the loop mid-edit.
    }
  };

  const controller = new AbortController();
  const signals = watchSignals(controller, { killCommands: () => killAllProcessGroups() });
  // A person can answer only with a terminal on both ends; otherwise the run is headless.
  const canAsk = stdin.isTTY === true && process.stderr.isTTY === true;
  const approve: Approver | undefined = command.yes
    ? async () => ({ approved: true, scope: "once" })
    : canAsk
      ? createTerminalApprover({
          input: stdin,
          output: process.stderr,
          style,
          onInterrupt: () => signals.interrupt(),
        })
      : undefined;
  try {
    const runtime = await createRuntime({
      cwd: process.cwd(),
      env: process.env,
      profileName: command.profile,
      modelOverride: command.model,
      permissionMode: command.permissionMode,
      trustProject: command.trustProject,
      sandbox: command.sandbox,
      resume: command.resume,
      redactor,
      approve,
      confirmWorkspaceTrust: canAsk ? createTrustPrompt({ input: stdin, output: process.stderr, style }) : undefined,
      onEvent: safeEmit,
    });
    try {
      const result = command.quick
        ? await runtime.runQuick(task, controller.signal)
        : await runtime.run(task, controller.signal);
      return signals.exitCode() ?? exitCodeFor(result);
    } finally {
      await runtime.close();
    }
  } finally {
    signals.dispose();
  }
}

async function taskFromStdin(): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(
      'No task given. Run parecode "describe the change you want", or pipe one in: echo "task" | parecode',
    );
  }
  const text = (await readStdin(stdin)).trim();
  if (text === "") throw new UsageError('The task read from stdin was empty. Usage: parecode "task"');
  return text;
}
