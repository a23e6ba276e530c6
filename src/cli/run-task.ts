import { stdin } from "node:process";
import { runAgentTask } from "../agent/agent.js";
import { buildPreamble } from "../agent/preamble.js";
import { buildSystemPrompt } from "../agent/system-prompt.js";
import { collectSecrets } from "../config/collect-secrets.js";
import { UsageError } from "../core/errors.js";
import { createRedactor } from "../core/redact.js";
import type { AgentEvent } from "../core/types.js";
import type { CliCommand } from "./args.js";
import { createOutputStyle } from "./output-style.js";
import { createJsonPrinter, createPlainPrinter } from "./printers.js";
import { readStdin } from "./stdin.js";

type TaskCommand = Extract<CliCommand, { kind: "task" }>;

const EXIT_FOR_STATUS = { done: 0, failed: 1, interrupted: 130 } as const;

/** One-shot mode: resolve the profile, build the agent, run the task, print, exit. */
export async function runTaskCommand(command: TaskCommand): Promise<number> {
  const task = command.task ?? (await taskFromStdin());
  const root = process.cwd();

  const [{ resolveProfile }, { createModelClient, costUsd }, { createNativeToolRegistry }] = await Promise.all([
    import("../config/resolve.js"),
    import("../providers/index.js"),
    import("../tools/index.js"),
  ]);
  const { profile, config, notices, available } = await resolveProfile({
    env: process.env,
    profileName: command.profile,
    modelOverride: command.model,
  });

  const client = createModelClient(profile, config.settings);
  const tools = createNativeToolRegistry({ root, bashMaxTimeoutSeconds: config.settings.bashMaxTimeoutSeconds });
  // Ollama reports the model's real window; elsewhere this is the configured one, at once.
  const window = await client
    .contextInfo()
    .catch(() => ({ effective: profile.contextTokens, warning: undefined as string | undefined }));
  const preamble = await buildPreamble({ root, contextTokens: window.effective });
  const systemPrompt = buildSystemPrompt({ platform: process.platform, preamble: preamble.text });

  // Keys and secret-looking env values never reach stdout, stderr, --json or (through tool results) the model.
  const redactor = createRedactor(collectSecrets(process.env, [profile, ...available]));
  const onEvent = command.json
    ? createJsonPrinter(process.stdout, redactor)
    : createPlainPrinter({
        out: process.stdout,
        err: process.stderr,
        style: createOutputStyle(process.stderr),
        verbose: command.verbose,
        redactor,
      });
  const safeEmit = (event: AgentEvent) => {
    try {
      onEvent(event);
    } catch {
      // A closed stdout (e.g. `| head`) must not crash the loop mid-edit.
    }
  };

  for (const message of notices) safeEmit({ type: "notice", level: "info", message });
  if (window.warning) safeEmit({ type: "notice", level: "warn", message: window.warning });

  const controller = new AbortController();
  const interrupts = watchInterrupts(controller);
  try {
    const result = await runAgentTask(
      task,
      {
        root,
        client,
        tools,
        model: profile.model,
        profileName: profile.name,
        provider: profile.provider,
        systemPrompt,
        contextTokens: window.effective,
        onContextTrimmed: () => tools.cache.clear(),
        redact: redactor.text,
        maxIterations: config.settings.maxIterations,
        costUsd: (usage) => costUsd(usage, profile),
      },
      { signal: controller.signal, onEvent: safeEmit },
    );
    return EXIT_FOR_STATUS[result.status];
  } finally {
    interrupts.dispose();
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

/**
 * First Ctrl+C (or SIGTERM) cancels the task cleanly: the model call is aborted and
 * running commands are killed with their process group. A second one exits at once.
 */
function watchInterrupts(controller: AbortController): { dispose(): void } {
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
