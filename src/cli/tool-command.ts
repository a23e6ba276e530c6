import { UsageError } from "../core/errors.js";
import type { CliCommand } from "./args.js";

type ToolCommand = Extract<CliCommand, { kind: "tool" }>;

/**
 * `parecode tool NAME --json ARGS`: runs one native tool in `root` and prints exactly
 * the text the model would receive. Exit 0 on success, 1 when the tool reports an error.
 */
export async function runToolCommand(command: ToolCommand, root: string): Promise<number> {
  let args: unknown;
  try {
    args = JSON.parse(command.argsJson);
  } catch (err) {
    throw new UsageError(
      `--json is not valid JSON (${(err as Error).message}). Example: --json '{"path":"README.md"}'`,
    );
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new UsageError(`--json must be a JSON object of the tool's arguments, e.g. '{"path":"README.md"}'`);
  }
  const { createNativeToolRegistry } = await import("../tools/index.js");
  const registry = createNativeToolRegistry({ root });
  if (!registry.has(command.name)) {
    throw new UsageError(`Unknown tool "${command.name}". Native tools: ${registry.names().join(", ")}`);
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  try {
    const result = await registry.execute(
      { id: "cli_1", name: command.name, args: args as Record<string, unknown>, rawArgs: command.argsJson },
      { signal: controller.signal, callId: "cli_1", turn: 1 },
    );
    process.stdout.write(result.content.endsWith("\n") ? result.content : `${result.content}\n`);
    return result.isError ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
