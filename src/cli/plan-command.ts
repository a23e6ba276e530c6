/**
 * `parecode plan "task"` and `parecode plan --resume`: the one-shot front end of plan
 * mode. Makes the plan (or loads the saved one), prints it with its estimated cost, asks
 * on a terminal whether to run it (--yes runs it without asking; without a terminal and
 * without --yes the plan is only saved), then runs it step by step and prints what each
 * step cost against the estimate. `--json` prints every plan event as one JSON line.
 */

import { stdin } from "node:process";
import type { Approver } from "../core/approval.js";
import { createRedactor } from "../core/redact.js";
import { secretValuesOf } from "../core/secrets.js";
import type { AgentEvent } from "../core/types.js";
import { killAllProcessGroups } from "../exec/process.js";
import { nextStepIndex, type Plan, type PlanEvent } from "../plan/index.js";
import { createRuntime } from "../runtime/runtime.js";
import { createTerminalApprover, createTrustPrompt } from "./approval-prompt.js";
import type { CliCommand } from "./args.js";
import { confirm } from "./confirm.js";
import { EXIT } from "./exit-codes.js";
import { createOutputStyle } from "./output-style.js";
import { createPlanPrinter, renderPlan, renderTotals } from "./plan-printer.js";
import { reviewOnTerminal } from "./plan-review-prompt.js";
import { createJsonPrinter, createPlainPrinter } from "./printers.js";
import { runtimeOptionsFromFlags } from "./runtime-flags.js";
import { watchSignals } from "./signals.js";

type PlanCommand = Extract<CliCommand, { kind: "plan" }>;

export async function runPlanCommand(command: PlanCommand): Promise<number> {
  const style = createOutputStyle(process.stderr);
  const redactor = createRedactor(secretValuesOf(process.env));
  const out = process.stdout;
  const err = process.stderr;
  const guard =
    <T>(print: (event: T) => void) =>
    (event: T) => {
      try {
        print(event);
      } catch {
        // A closed stdout must not stop a plan mid-step.
      }
    };
  let plan: Plan | undefined;
  const printPlanEvent = command.json
    ? guard((event: PlanEvent) => out.write(`${JSON.stringify(redactor.value(event))}\n`))
    : guard(
        createPlanPrinter({
          out,
          err,
          style,
          verbose: command.verbose,
          redactor,
          total: () => plan?.steps.length ?? 0,
        }),
      );
  const printSessionEvent = guard(
    command.json
      ? createJsonPrinter(out, redactor)
      : createPlainPrinter({ out, err, style, verbose: command.verbose, redactor }),
  );

  const controller = new AbortController();
  const signals = watchSignals(controller, { killCommands: () => killAllProcessGroups() });
  const canAsk = stdin.isTTY === true && process.stderr.isTTY === true;
  const approve: Approver | undefined = command.yes
    ? async () => ({ approved: true, scope: "once" })
    : canAsk
      ? createTerminalApprover({ input: stdin, output: err, style, onInterrupt: () => signals.interrupt() })
      : undefined;
  try {
    const runtime = await createRuntime({
      ...runtimeOptionsFromFlags(command),
      redactor,
      approve,
      confirmWorkspaceTrust: canAsk ? createTrustPrompt({ input: stdin, output: err, style }) : undefined,
      onEvent: (event: AgentEvent) => printSessionEvent(event),
    });
    try {
      const service = await runtime.plans();
      if (command.resume) {
        plan = await service.resumable();
        const back = await service.readBack(plan);
        plan = back.plan;
        if (back.changed.length > 0)
          printPlanEvent({ type: "plan_notice", message: `from plan.md: ${back.changed.join(", ")}` });
        if (!command.json) {
          err.write(renderPlan(plan, style, redactor.text));
          err.write(style.dim(`Resuming at step ${nextStepIndex(plan) + 1}.\n`));
        }
      } else {
        plan = await service.generate(command.task ?? "", { signal: controller.signal, onEvent: printPlanEvent });
        if (!command.json) {
          err.write(renderPlan(plan, style, redactor.text));
          err.write(
            style.dim(`Saved to ${service.store.markdownPath}: edit it before running and parecode reads it back.\n`),
          );
        }
      }

      if (!command.yes) {
        if (!canAsk) {
          err.write(`Not run: there is no terminal to ask. Run it with: parecode plan --resume --yes\n`);
          return EXIT.done;
        }
        const review = await reviewOnTerminal(plan, {
          input: stdin,
          output: err,
          style,
          service,
          root: process.cwd(),
          env: process.env,
          redact: redactor.text,
        });
        plan = review.plan;
        if (review.decision === "later") {
          err.write(
            `Not run. The plan is in ${service.store.markdownPath}; run it later with: parecode plan --resume\n`,
          );
          return EXIT.done;
        }
      } else {
        // Edits made in plan.md since it was written are what runs; --yes approves every step.
        const back = await service.readBack(plan);
        plan = back.plan;
        if (back.changed.length > 0)
          printPlanEvent({ type: "plan_notice", message: `from plan.md: ${back.changed.join(", ")}` });
        plan = { ...plan, steps: plan.steps.map((step) => ({ ...step, approved: true })) };
      }

      const finished = await service.execute(plan, {
        signal: controller.signal,
        onEvent: printPlanEvent,
        resolveConflict: async (conflict) => {
          if (command.yes || !canAsk) return "pause";
          const go = await confirm(
            `Steps ${conflict.steps.join(" and ")} both changed ${conflict.files.join(", ")}. Keep going anyway?`,
            { input: stdin, output: err },
          );
          return go ? "continue" : "pause";
        },
      });
      plan = finished;
      if (!command.json) out.write(renderTotals(finished));
      const signalled = signals.exitCode();
      if (signalled !== undefined) return signalled;
      if (finished.status === "done") return EXIT.done;
      if (!command.json) {
        err.write(
          `Fix what failed (or add a note to the step in ${service.store.markdownPath}), then run: parecode plan --resume\n`,
        );
      }
      return EXIT.failed;
    } finally {
      await runtime.close();
    }
  } finally {
    signals.dispose();
  }
}
