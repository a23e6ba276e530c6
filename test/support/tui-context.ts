/** A TUI command context that records what a command showed, as the UI would display it. */
import type { Runtime } from "../../src/runtime/runtime.js";
import type { CommandContext, PickOptions } from "../../src/tui/commands/registry.js";

export function commandContext(rt: Runtime, picks: string[] = []) {
  const notices: string[] = [];
  const views: Array<{ id: string; data: unknown }> = [];
  const picked: PickOptions[] = [];
  const ctx = {
    get runtime() {
      return rt;
    },
    state: () => ({}) as ReturnType<CommandContext["state"]>,
    print: () => undefined,
    info: (lines: string[]) => notices.push(lines.join("\n")),
    notice: (text: string) => notices.push(text),
    pick: async (options: PickOptions) => {
      picked.push(options);
      return picks.shift();
    },
    openView: (id: string, data?: unknown) => views.push({ id, data }),
    closeView: () => undefined,
    dispatch: () => undefined,
    replaceRuntime: () => undefined,
    createRuntime: () => Promise.reject(new Error("not used")),
    clearScreen: () => undefined,
    openInEditor: () => "no editor in this test",
    exit: () => undefined,
    runTask: <T>(_badge: string, run: (signal: AbortSignal) => Promise<T>) =>
      run(new AbortController().signal).catch((err: unknown) => {
        notices.push((err as Error).message);
        return undefined;
      }),
  } satisfies CommandContext;
  return { ctx, notices, views, picked };
}
