import type { ToolCall, ToolContext, ToolResult } from "../core/types.js";
import type { ToolRunner } from "./agent.js";

/**
 * The tools of `runner` that `allowed` names, and only those: the others are left out of
 * every request's schemas (a model is not shown what it may not use, which also saves
 * their tokens), and a call to one anyway is answered with an error result, never run.
 */
export function restrictTools(runner: ToolRunner, allowed: readonly string[]): ToolRunner {
  const names = new Set(allowed);
  return filterTools(runner, (name) => names.has(name));
}

/** `runner` without the named tools, on the same terms as restrictTools; tools added later still appear. */
export function withoutTools(runner: ToolRunner, hidden: readonly string[]): ToolRunner {
  const names = new Set(hidden);
  return filterTools(runner, (name) => !names.has(name));
}

function filterTools(runner: ToolRunner, offered: (name: string) => boolean): ToolRunner {
  return {
    schemas: () => runner.schemas().filter((schema) => offered(schema.name)),
    async execute(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
      if (offered(call.name)) return runner.execute(call, ctx);
      const names = runner
        .schemas()
        .map((schema) => schema.name)
        .filter(offered);
      return {
        content: `${call.name} is not available in this run; the tools are ${names.join(", ") || "none"}.`,
        display: `${call.name}: not available here`,
        isError: true,
      };
    },
  };
}
