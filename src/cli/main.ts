/**
 * The composition root's entry: parse argv and dispatch. Everything heavier than
 * argument parsing is imported lazily so `parecode --version` stays as fast as Node.
 */
import { ConfigError, ParecodeError, UsageError } from "../core/errors.js";
import { removeTrackedTemps } from "../core/temp-files.js";
import { VERSION } from "../core/version.js";
import { type CliCommand, parseCli, takeDirectory } from "./args.js";
import { helpFor } from "./help-text.js";
import { jsonErrorFormat } from "./json-error.js";

async function main(argv: string[]): Promise<number> {
  let command: CliCommand;
  try {
    const { dir, rest } = takeDirectory(argv);
    if (dir !== undefined) enterDirectory(dir);
    command = parseCli(rest);
  } catch (err) {
    return reportError(err, argv);
  }
  try {
    switch (command.kind) {
      case "version":
        process.stdout.write(`parecode ${VERSION}\n`);
        return 0;
      case "help":
        process.stdout.write(helpFor(command.topic));
        return 0;
      case "models": {
        const { runModelsCommand } = await import("./models-command.js");
        return await runModelsCommand(command, { env: process.env, out: process.stdout, err: process.stderr });
      }
      case "completion": {
        const { completionScript } = await import("./completion.js");
        process.stdout.write(completionScript(command.shell));
        return 0;
      }
      case "mechanical": {
        const { runMechanicalCommand } = await import("./mechanical/command.js");
        return await runMechanicalCommand(command, process.cwd());
      }
      case "profiles": {
        const { runProfilesCommand } = await import("./profiles-command.js");
        return await runProfilesCommand(command);
      }
      case "init": {
        const { runInitCommand } = await import("./init-command.js");
        return await runInitCommand(command, process.cwd());
      }
      case "doctor": {
        const { runDoctorCommand } = await import("./doctor-command.js");
        return await runDoctorCommand(command, { cwd: process.cwd(), env: process.env, stdout: process.stdout });
      }
      case "tool": {
        const { runToolCommand } = await import("./tool-command.js");
        return await runToolCommand(command, process.cwd());
      }
      case "mcp": {
        const { runMcpCommand } = await import("./mcp-command.js");
        return await runMcpCommand(command, {
          out: process.stdout,
          err: process.stderr,
          env: process.env,
          cwd: process.cwd(),
        });
      }
      case "acp": {
        const { runAcpCommand } = await import("./acp/command.js");
        return await runAcpCommand(command);
      }
      case "sessions": {
        const { runSessionsCommand } = await import("./sessions-command.js");
        return await runSessionsCommand(command, process.cwd());
      }
      case "diff": {
        const { runDiffCommand } = await import("./diff-command.js");
        return await runDiffCommand(command, process.cwd());
      }
      case "undo": {
        const { runUndoCommand } = await import("./undo-command.js");
        return await runUndoCommand(command, process.cwd());
      }
      case "stats": {
        const { runStatsCommand } = await import("./stats-command.js");
        return await runStatsCommand(command, { cwd: process.cwd(), out: process.stdout, err: process.stderr });
      }
      case "plan": {
        const { runPlanCommand } = await import("./plan-command.js");
        return await runPlanCommand(command);
      }
      case "task": {
        // A task given on the command line sends its first request at once: its git status
        // starts now, beside the loading of everything else.
        if (command.task !== undefined && command.inputFormat === "text" && !command.quick) {
          const { prefetchGitStatus } = await import("../git/status.js");
          prefetchGitStatus(process.cwd());
        }
        const { runTaskCommand } = await import("./run-task.js");
        return await runTaskCommand(command);
      }
    }
  } catch (err) {
    return reportError(err, argv);
  }
}

/** -C DIR: everything after runs as if parecode had been started there. */
function enterDirectory(dir: string): void {
  try {
    process.chdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "not a directory" : (code ?? "cannot enter");
    throw new UsageError(`-C ${dir}: ${why}. Give a directory that exists.`);
  }
}

/**
 * Ends a run that failed before or outside a task. With a JSON output format asked for,
 * stdout gets a JSON error object too (`{"type":"error","reason":"usage"|"config"|…}`),
 * so a script reading stdout never sees nothing at all.
 */
function reportError(err: unknown, argv: readonly string[]): number {
  const code = err instanceof ParecodeError ? err.exitCode : 1;
  if (jsonErrorFormat(argv)) {
    const reason =
      err instanceof UsageError
        ? "usage"
        : err instanceof ConfigError
          ? "config"
          : err instanceof ParecodeError
            ? "error"
            : "internal";
    const message = (err as Error)?.message ?? String(err);
    process.stdout.write(`${JSON.stringify({ type: "error", reason, is_error: true, message, exit_code: code })}\n`);
  }
  if (err instanceof ParecodeError) {
    process.stderr.write(`parecode: ${err.message}\n`);
    return err.exitCode;
  }
  const detail = process.env.PARECODE_DEBUG ? `\n${(err as Error)?.stack ?? String(err)}` : "";
  process.stderr.write(
    `parecode: internal error: ${(err as Error)?.message ?? String(err)}${detail}\nRerun with PARECODE_DEBUG=1 for details, and please report it.\n`,
  );
  return 1;
}

/**
 * Exit once both output streams have flushed: keep-alive sockets and stray timers in
 * SDKs must not hold a finished one-shot run open, and piped output must not be cut.
 */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

/**
 * A reader that goes away (`parecode --json "task" | head -1`) turns the next write into
 * an asynchronous EPIPE 'error' event, which Node would throw as an uncaught exception
 * with a stack trace. The task keeps running (it may be mid-edit) and its output is
 * dropped; the exit code still says how the task ended.
 */
function tolerateClosedOutput(stream: NodeJS.WriteStream): void {
  stream.on("error", () => undefined);
}

// Whatever ends the run (done, Ctrl+C, SIGTERM, an uncaught error), its temp files go with it.
process.on("exit", removeTrackedTemps);
tolerateClosedOutput(process.stdout);
tolerateClosedOutput(process.stderr);
const argv = process.argv.slice(2);
main(argv).then(exitAfterFlush, (err: unknown) => exitAfterFlush(reportError(err, argv)));
