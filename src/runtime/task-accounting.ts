/**
 * What the runtime keeps about finished tasks: the telemetry record each one appends to
 * `.parecode/telemetry.jsonl`, and the session's running cost for /cost.
 */
import type { TaskResultEvent } from "../agent/agent.js";
import type { AgentEvent } from "../core/types.js";
import { createTaskMeter } from "../telemetry/record.js";
import { appendTelemetry } from "../telemetry/store.js";
import { createCostMeter, type SessionCosts } from "./session-costs.js";

export interface TaskAccounting {
  /**
   * Wraps the front end's event sink for one task; `window` is the context window the
   * task starts with. Call `finish` with the task's result afterwards.
   */
  track(
    window: number,
    emit: (event: AgentEvent) => void,
  ): { onEvent(event: AgentEvent): void; finish(result: TaskResultEvent): Promise<void> };
  costs(): SessionCosts;
  resetCosts(): void;
}

export function createTaskAccounting(root: string): TaskAccounting {
  const costs = createCostMeter();
  return {
    track(window, emit) {
      const meter = createTaskMeter({ window });
      let model = "";
      return {
        onEvent(event) {
          if (event.type === "task_start") model = event.model;
          meter.observe(event);
          emit(event);
        },
        async finish(result) {
          costs.add(model, result.usage, result.costUsd);
          const record = meter.record();
          if (!record) return;
          // Telemetry is a convenience: a read-only project must not fail the task.
          await appendTelemetry(root, record).catch((err: unknown) =>
            emit({ type: "notice", level: "debug", message: `telemetry not written: ${(err as Error).message}` }),
          );
        },
      };
    },
    costs: () => costs.totals(),
    resetCosts: () => costs.reset(),
  };
}
