import type { ToolCall, ToolContext, ToolResult } from "../core/types.js";
import type { ToolRunner } from "./agent.js";

/**
 * The tools of `runner` that `allowed` names, and only those: the others are left out of
 * every request's schemas (a model is not shown what it may not use, which also saves
 * their tokens), and a call to one anyway is answered with an error result, never run.
 */
export function restrictTools(runner: ToolRunner, allowed: readonly string[]): ToolRunner {
  const names = new Set(allowed);
  return {
    schemas: () => runner.schemas().filter((schema) => names.has(schema.name)),
    async execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
      if (names.has(call.name)) return runner.execute(call, ctx);
      const offered = runner
        .schemas()
        .map((schema) => schema.name)
        .filter((name) => names.has(name));
      return {
        content: `${call.name} is not available in this run; the tools are ${offered.join(", ") || "none"}.`,
        display: `${call.name}: not available here`,
        isError: true,
      };
    },
  };
}
