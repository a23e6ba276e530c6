import { stdin } from "node:process";
import type { Approver } from "../core/approval.js";
import { UsageError } from "../core/errors.js";
import { createRedactor, type Redactor } from "../core/redact.js";
import { secretValuesOf } from "../core/secrets.js";
import type { AgentEvent } from "../core/types.js";
import { killAllProcessGroups } from "../exec/process.js";
import { redactingEventSink } from "../runtime/redacting-events.js";
import { createRuntime, type Runtime } from "../runtime/runtime.js";
import { createTerminalApprover, createTrustPrompt } from "./approval-prompt.js";
import type { TaskCommand } from "./args.js";
import { exitCodeFor } from "./exit-codes.js";
import { runInteractive, wantsInteractive } from "./interactive.js";
import { loadOutputSchema, type OutputSchema } from "./output-schema.js";
import { createOutputStyle, type OutputStyle } from "./output-style.js";
import { createJsonPrinter, createPlainPrinter, type Sink } from "./printers.js";
import { canShowProgress, clearingSink, createProgressLine, trackProgress } from "./progress.js";
import { runtimeOptionsFromFlags } from "./runtime-flags.js";
import { watchSignals } from "./signals.js";
import { readStdin, STDIN_NOTICE_MS, withPipedInput } from "./stdin.js";
import { createStreamInput, type StreamInput } from "./stream-input.js";
import { createResultPrinter, createStreamJsonPrinter } from "./stream-json.js";

/** Share of the model's window (in characters, ~4 per token: a quarter of it in tokens) piped text may fill. */
const PIPED_CHARS_PER_WINDOW_TOKEN = 1;
const WAITING =
  "parecode: waiting for stdin (piped input is added to the task); close it, or run with </dev/null to give none";

/** One-shot mode: build the runtime with this front end's callbacks, run the task (or tasks), exit. */
export async function runTaskCommand(command: TaskCommand): Promise<number> {
  if (wantsInteractive(command)) {
    // Without a task these would silently do nothing in the UI.
    if (command.quick)
      throw new UsageError('--quick needs a task: parecode --quick "rename total to sum in src/cart.ts"');
    if (command.outputSchema)
      throw new UsageError('--output-schema needs a task: parecode --output-schema FILE "task"');
    return runInteractive(command);
  }
  const style = createOutputStyle(process.stderr);
  const schema = command.outputSchema ? await loadOutputSchema(command.outputSchema) : undefined;
  const input = await openInput(command, style);

  // Keys and secret-looking values never reach stdout, stderr, JSON or (through tool
  // results) the model; the runtime adds the profile's own keys once it has resolved them.
  const redactor = createRedactor(secretValuesOf(process.env));
  const progress = canShowProgress(process.stderr) ? createProgressLine(process.stderr, { style }) : undefined;
  const out: Sink = progress ? clearingSink(process.stdout, progress) : process.stdout;
  const err: Sink = progress ? clearingSink(process.stderr, progress) : process.stderr;
  let runtime: Runtime | undefined;
  const print = printerFor(command, { out, err, style, redactor, schema, runtime: () => runtime });
  const track = progress ? trackProgress(progress, { answerOnTerminal: stdoutIsTerminal() }) : undefined;
  const safeEmit = (event: AgentEvent) => {
    try {
      track?.(event);
      print(event);
    } catch {
      // A closed stdout (e.g. `| head`) must not crash the loop mid-edit.
    }
  };

  const controller = new AbortController();
  const signals = watchSignals(controller, { killCommands: () => killAllProcessGroups() });
  let current = controller;
  const streamInput =
    input.kind === "stream"
      ? createStreamInput(stdin, {
          warn: (message) => err.write(`parecode: ${message}\n`),
          onInterrupt: () => current.abort(),
        })
      : undefined;
  // A person can answer only with a terminal on both ends; otherwise the run is headless
  // unless the controlling program answers over stream-json.
  const canAsk = stdin.isTTY === true && process.stderr.isTTY === true;
  const approve: Approver | undefined = command.yes
    ? async () => ({ approved: true, scope: "once" })
    : streamInput
      ? streamInput.approve
      : canAsk
        ? createTerminalApprover({
            input: stdin,
            output: process.stderr,
            style,
            onInterrupt: () => signals.interrupt(),
          })
        : undefined;
  try {
    runtime = await createRuntime({
      ...runtimeOptionsFromFlags(command),
      resume: command.resume,
      redactor,
      approve,
      confirmWorkspaceTrust: canAsk ? createTrustPrompt({ input: stdin, output: process.stderr, style }) : undefined,
      appendSystemPrompt: command.appendSystemPrompt,
      limits: {
        maxTurns: command.maxTurns,
        maxBudgetUsd: command.maxBudgetUsd,
        timeoutMs: command.timeoutSeconds === undefined ? undefined : Math.round(command.timeoutSeconds * 1000),
      },
      onEvent: safeEmit,
    });
    const active = runtime;
    const prepare = (task: string) => (schema ? `${task}\n\n${schema.instruction}` : task);
    const runOne = async (task: string) => {
      // Each task of a stream-json session can be interrupted on its own.
      current = streamInput ? new AbortController() : controller;
      const signal = streamInput ? AbortSignal.any([controller.signal, current.signal]) : controller.signal;
      return command.quick
        ? active.runQuick(prepare(task), signal)
        : active.run(prepare(task), signal, { checkAnswer: schema?.check });
    };
    try {
      let task: string | undefined;
      if (input.kind === "stream") {
        task = command.task ?? (await firstStreamTask(streamInput as StreamInput, err));
      } else {
        task = input.task;
        const piped = await input.piped;
        if (piped !== undefined && piped.trim() !== "") {
          const joined = withPipedInput(task, piped, active.contextWindow * PIPED_CHARS_PER_WINDOW_TOKEN);
          if (joined.cut) {
            safeEmit({
              type: "notice",
              level: "warn",
              message: `stdin was cut to its first ${joined.cut.kept.toLocaleString("en-US")} of ${joined.cut.total.toLocaleString("en-US")} characters to fit the model's window`,
            });
          }
          task = joined.text;
        }
      }
      let code = 0;
      while (task !== undefined) {
        const result = await runOne(task);
        code = signals.exitCode() ?? exitCodeFor(result);
        if (!streamInput || controller.signal.aborted) break;
        task = await streamInput.next();
      }
      return code;
    } finally {
      await active.close();
    }
  } finally {
    streamInput?.close();
    progress?.dispose();
    signals.dispose();
  }
}

type Input =
  /** A task, plus whatever is piped on stdin (still being read). */
  { kind: "text"; task: string; piped?: Promise<string> } | { kind: "stream" };

async function openInput(command: TaskCommand, style: OutputStyle): Promise<Input> {
  if (command.inputFormat === "stream-json") {
    if (stdin.isTTY) {
      throw new UsageError("--input-format stream-json reads JSON lines from stdin; pipe them in from a program.");
    }
    return { kind: "stream" };
  }
  if (command.task !== undefined) {
    // Read alongside start-up; added to the task once the runtime knows the model's window.
    const piped = stdin.isTTY ? undefined : readStdin(stdin, { onWaiting: () => waiting(style) });
    piped?.catch(() => undefined);
    return { kind: "text", task: command.task, piped };
  }
  if (stdin.isTTY) {
    throw new UsageError(
      'No task given. Run parecode "describe the change you want", or pipe one in: echo "task" | parecode',
    );
  }
  const text = (await readStdin(stdin, { onWaiting: () => waiting(style) })).trim();
  if (text === "") throw new UsageError('The task read from stdin was empty. Usage: parecode "task"');
  return { kind: "text", task: text };
}

function waiting(style: OutputStyle): void {
  process.stderr.write(`${style.dim(WAITING)}\n`);
}

async function firstStreamTask(input: StreamInput, err: Sink): Promise<string> {
  const timer = setTimeout(
    () => err.write('parecode: waiting for a {"type":"user",…} message on stdin\n'),
    STDIN_NOTICE_MS,
  );
  timer.unref();
  try {
    const task = await input.next();
    if (task === undefined) {
      throw new UsageError(
        'stdin ended before any user message. Send one JSON line like {"type":"user","message":{"role":"user","content":"the task"}}',
      );
    }
    return task;
  } finally {
    clearTimeout(timer);
  }
}

function stdoutIsTerminal(): boolean {
  return process.stdout.isTTY === true;
}

interface PrinterContext {
  out: Sink;
  err: Sink;
  style: OutputStyle;
  redactor: Redactor;
  schema?: OutputSchema;
  runtime(): Runtime | undefined;
}

function printerFor(command: TaskCommand, context: PrinterContext): (event: AgentEvent) => void {
  const { out, err, style, redactor, schema } = context;
  const structuredOutput = schema
    ? (answer: string) => {
        try {
          return schema.parse(answer);
        } catch {
          return null;
        }
      }
    : undefined;
  const sessionId = () => context.runtime()?.sessionId;
  switch (command.outputFormat) {
    case "events":
      return createJsonPrinter(out, redactor);
    case "json":
      return redactingEventSink(redactor, createResultPrinter(out, { sessionId, structuredOutput }));
    case "stream-json":
      return redactingEventSink(
        redactor,
        createStreamJsonPrinter(out, {
          cwd: process.cwd(),
          sessionId,
          tools: () => context.runtime()?.toolNames() ?? [],
          permissionMode: () => context.runtime()?.permissionMode ?? "ask",
          structuredOutput,
        }),
      );
    case "text":
      return createPlainPrinter({
        out,
        err,
        style,
        verbose: command.verbose,
        redactor,
        // A file or pipe gets each turn's answer once it is complete, so a retried stream leaves no fragment.
        perTurn: !stdoutIsTerminal(),
        answerOnly: schema !== undefined,
      });
  }
}
