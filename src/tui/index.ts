/**
 * The interactive UI's entry: `parecode` with no task on a terminal. Builds the runtime
 * with this front end's callbacks, renders the Ink app into the terminal's own scrollback
 * (no alternate screen, no mouse capture) and returns the exit code when the person leaves.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import { CONVENTIONS_PATH } from "../context/init/index.js";
import { UsageError } from "../core/errors.js";
import { createRedactor } from "../core/redact.js";
import { secretValuesOf } from "../core/secrets.js";
import { redactingEventSink } from "../runtime/redacting-events.js";
import { createRuntime, type RuntimeOptions } from "../runtime/runtime.js";
import { BUILTIN_COMMANDS } from "./commands/builtin.js";
import { COST_AND_HOOK_COMMANDS } from "./commands/cost-hook-commands.js";
import { createPlanExtension } from "./commands/plan-commands.js";
import { createCommandRegistry, createViewRegistry, type TuiExtension } from "./commands/registry.js";
import { createController } from "./controller.js";
import { createHistoryStore, historyFile } from "./history-store.js";
import { mountApp } from "./mount.js";
import { needsSetup, runSetup } from "./setup/run-setup.js";
import { BUILTIN_VIEWS } from "./views/builtin.js";

export type { CommandContext, CommandSpec, TuiExtension, ViewProps, ViewSpec } from "./commands/registry.js";

/** The runtime options the UI passes on as given (the rest it supplies itself). */
type PassedRuntimeOptions = Pick<
  RuntimeOptions,
  | "cwd"
  | "env"
  | "profileName"
  | "modelOverride"
  | "permissionMode"
  | "trustProject"
  | "sandbox"
  | "resume"
  | "appendSystemPrompt"
  | "limits"
  | "confirmWorkspaceTrust"
>;

export interface TuiOptions extends PassedRuntimeOptions {
  /** Commands and views of other features (sessions, undo/diff, MCP, plan). */
  extensions?: TuiExtension[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export async function startTui(options: TuiOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  // Ink needs raw mode: without a terminal on both ends it would throw, so say what to do instead.
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new UsageError('The interactive UI needs a terminal. Run parecode "task" for one task, or pipe one in.');
  }
  let justSetUp = false;
  if (!options.profileName && (await needsSetup(options.env))) {
    justSetUp = await runSetup({ env: options.env, stdin, stdout });
    if (!justSetUp) return 0;
  }

  // Keys never reach the screen: the runtime adds the profiles' keys to this redactor.
  const redactor = createRedactor(secretValuesOf(options.env));
  const commands = createCommandRegistry([...BUILTIN_COMMANDS, ...COST_AND_HOOK_COMMANDS]);
  const views = createViewRegistry(BUILTIN_VIEWS);
  for (const extension of [createPlanExtension(redactor), ...(options.extensions ?? [])]) {
    for (const command of extension.commands ?? []) commands.register(command);
    for (const view of extension.views ?? []) views.register(view);
  }
  const controller = createController({
    commands,
    views,
    history: createHistoryStore(historyFile(options.env)),
    env: options.env,
    width: stdout.columns || 80,
    height: stdout.rows || 24,
    createRuntime: async (cwd, callbacks) => {
      const previous = controller.runtime();
      const next = await createRuntime({
        cwd,
        env: options.env,
        profileName: previous?.profile.name,
        permissionMode: options.permissionMode,
        sandbox: options.sandbox,
        appendSystemPrompt: options.appendSystemPrompt,
        limits: options.limits,
        redactor,
        approve: callbacks.approve,
        onEvent: redactingEventSink(redactor, callbacks.onEvent),
        earlierTurns: previous?.turns(),
      });
      // The folder's MCP servers belong to the runtime being replaced.
      await previous?.close();
      return next;
    },
  });
  // The runtime is built before Ink takes the terminal: a config error is printed plainly
  // and the workspace-trust question can use the ordinary prompt.
  const runtime = await createRuntime({
    cwd: options.cwd,
    env: options.env,
    profileName: options.profileName,
    modelOverride: options.modelOverride,
    permissionMode: options.permissionMode,
    trustProject: options.trustProject,
    sandbox: options.sandbox,
    resume: options.resume,
    appendSystemPrompt: options.appendSystemPrompt,
    limits: options.limits,
    confirmWorkspaceTrust: options.confirmWorkspaceTrust,
    redactor,
    approve: controller.callbacks.approve,
    onEvent: redactingEventSink(redactor, controller.callbacks.onEvent),
  });
  controller.attach(runtime);
  controller.dispatch({
    type: "print",
    body: {
      kind: "welcome",
      lines: [
        `parecode · ${runtime.profile.name} · ${runtime.profile.model} · ${runtime.root}`,
        "Type a task. / commands · @ attach a file · !cmd runs a shell command · Ctrl+P palette · Ctrl+C cancels, twice exits",
      ],
    },
  });
  if (justSetUp && !existsSync(path.join(runtime.root, CONVENTIONS_PATH))) {
    controller.dispatch({
      type: "print",
      body: {
        kind: "notice",
        level: "info",
        text: `Set up. For better answers in this project run /init: it writes ${CONVENTIONS_PATH} from the README, manifests and lint configs (you see it before it is saved).`,
      },
    });
  }
  // on_session_start runs beside the UI (its output appears like any hook's); on_session_end before leaving.
  void runtime.hooks.run("on_session_start");
  try {
    await mountApp({ controller, views, stdin, stdout, env: options.env });
  } finally {
    controller.dispose();
    const last = controller.runtime();
    await last?.hooks.run("on_session_end");
    await last?.close();
  }
  return 0;
}
