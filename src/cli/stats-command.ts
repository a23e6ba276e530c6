/** `parecode stats [--days N] [--json]`: what this project's tasks cost, per day and per model. */
import { renderStats } from "../telemetry/render.js";
import { summariseTelemetry } from "../telemetry/stats.js";
import { readTelemetry, TELEMETRY_FILE } from "../telemetry/store.js";
import type { CliCommand } from "./args.js";

type StatsCommand = Extract<CliCommand, { kind: "stats" }>;

export interface StatsIo {
  cwd: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export async function runStatsCommand(command: StatsCommand, io: StatsIo): Promise<number> {
  const env = io.env ?? process.env;
  const log = await readTelemetry(io.cwd);
  for (const skipped of log.skipped) {
    io.err.write(`parecode: ${TELEMETRY_FILE}:${skipped.line}: skipped, ${skipped.reason}\n`);
  }
  const stats = summariseTelemetry(log.records, { days: command.days, now: io.now });
  if (command.json) {
    io.out.write(`${JSON.stringify({ file: TELEMETRY_FILE, skippedLines: log.skipped.length, ...stats })}\n`);
    return 0;
  }
  if (!log.exists) {
    io.out.write(
      `No telemetry in this project yet: parecode appends one line per task to ${TELEMETRY_FILE} (nothing leaves this machine).\n`,
    );
    return 0;
  }
  const terminal = io.out.isTTY === true && env.TERM !== "dumb";
  io.out.write(
    renderStats(stats, { bars: terminal, color: terminal && env.NO_COLOR === undefined, source: TELEMETRY_FILE }),
  );
  return 0;
}
