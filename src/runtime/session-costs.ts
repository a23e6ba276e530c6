/** The running cost of a session, for /cost; reset by /cost reset. */
import { addUsage, emptyUsage, type Usage } from "../core/types.js";

export interface SessionCosts {
  tasks: number;
  usage: Usage;
  /** USD of the tasks whose price was known. */
  costUsd: number;
  /** Tasks whose model has no known price (not in costUsd). */
  unpricedTasks: number;
  /** Per model, in the order first used. */
  byModel: Array<{ model: string; tasks: number; usage: Usage; costUsd: number; unpricedTasks: number }>;
  /** When counting started (the session's start or the last reset), ISO 8601. */
  since: string;
}

export interface CostMeter {
  add(model: string, usage: Usage, costUsd: number | null): void;
  totals(): SessionCosts;
  reset(): void;
}

export function createCostMeter(now: () => Date = () => new Date()): CostMeter {
  let since = now().toISOString();
  let models = new Map<string, SessionCosts["byModel"][number]>();
  return {
    add(model, usage, costUsd) {
      const row = models.get(model) ?? { model, tasks: 0, usage: emptyUsage(), costUsd: 0, unpricedTasks: 0 };
      models.set(model, row);
      row.tasks++;
      addUsage(row.usage, usage);
      if (costUsd === null) row.unpricedTasks++;
      else row.costUsd = Math.round((row.costUsd + costUsd) * 1e6) / 1e6;
    },
    totals() {
      const byModel = [...models.values()].map((row) => ({ ...row, usage: { ...row.usage } }));
      const usage = emptyUsage();
      for (const row of byModel) addUsage(usage, row.usage);
      return {
        tasks: byModel.reduce((sum, row) => sum + row.tasks, 0),
        usage,
        costUsd: Math.round(byModel.reduce((sum, row) => sum + row.costUsd, 0) * 1e6) / 1e6,
        unpricedTasks: byModel.reduce((sum, row) => sum + row.unpricedTasks, 0),
        byModel,
        since,
      };
    },
    reset() {
      models = new Map();
      since = now().toISOString();
    },
  };
}
