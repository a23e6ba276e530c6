/** `parecode sessions list|show|export|rename|delete`: the saved sessions, outside any run. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { displayPath, sessionsDir } from "../config/paths.js";
import { UsageError } from "../core/errors.js";
import { createSessionStore, type Session, type SessionSummary, summariseSession } from "../sessions/index.js";
import type { CliCommand } from "./args.js";
import { canAsk, confirm } from "./confirm.js";

type SessionsCommand = Extract<CliCommand, { kind: "sessions" }>;

export async function runSessionsCommand(command: SessionsCommand, cwd: string): Promise<number> {
  const store = createSessionStore(sessionsDir(process.env));
  switch (command.action) {
    case "list": {
      const { sessions, skipped } = store.list(command.all ? {} : { root: cwd });
      for (const { file, reason } of skipped) process.stderr.write(`parecode: skipped ${file}: ${reason}\n`);
      if (sessions.length === 0) {
        process.stdout.write(
          command.all
            ? "No sessions yet.\n"
            : "No sessions for this folder yet. parecode sessions list --all shows every folder's.\n",
        );
        return 0;
      }
      process.stdout.write(formatList(sessions, command.all));
      return 0;
    }
    case "show": {
      const session = open(store.open(command.id));
      process.stdout.write(formatShow(session));
      return 0;
    }
    case "export": {
      const session = open(store.open(command.id));
      const markdown = store.exportMarkdown(session.id);
      if (!command.output) {
        process.stdout.write(markdown);
        return 0;
      }
      const file = path.resolve(cwd, command.output);
      await writeFile(file, markdown);
      process.stderr.write(`Wrote session ${session.id} to ${displayPath(file)}\n`);
      return 0;
    }
    case "rename": {
      const session = store.rename(command.id, command.name);
      process.stdout.write(`Renamed session ${session.id} to "${session.title()}".\n`);
      return 0;
    }
    case "delete": {
      const session = store.open(command.id);
      const turns = session.turns().length;
      const what = `session ${session.id} "${session.title()}" (${turns} turn${turns === 1 ? "" : "s"})`;
      if (!command.yes) {
        if (!canAsk()) {
          throw new UsageError(`Deleting ${what} cannot be undone: add --yes to confirm when not at a terminal.`);
        }
        if (!(await confirm(`Delete ${what}? This cannot be undone.`))) {
          process.stderr.write("Nothing deleted.\n");
          return 1;
        }
      }
      store.delete(session.id);
      process.stdout.write(`Deleted ${what}.\n`);
      return 0;
    }
  }
}

/** Reading warnings (lines skipped after a crash) go to stderr; the session is still shown. */
function open(session: Session): Session {
  for (const warning of session.warnings) process.stderr.write(`parecode: warning: ${warning}\n`);
  return session;
}

function formatList(sessions: SessionSummary[], withRoot: boolean): string {
  const rows = sessions.map((s) => [
    s.id,
    localTime(s.updated),
    String(s.turns),
    cost(s.costUsd),
    withRoot ? `${s.title}  ${displayPath(s.root)}` : s.title,
  ]);
  const header = ["ID", "UPDATED", "TURNS", "COST", withRoot ? "TITLE  PROJECT" : "TITLE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

function formatShow(session: Session): string {
  const { header } = session;
  const summary = summariseSession(session);
  const lines = [`Session ${header.id}: ${session.title()}`, `Project: ${displayPath(header.root)}`];
  lines.push(`Created: ${localTime(header.created)}, updated ${localTime(summary.updated)}`);
  if (header.profile || header.model) {
    lines.push(`Profile: ${[header.profile, header.model && `model ${header.model}`].filter(Boolean).join(", ")}`);
  }
  if (header.parent) lines.push(`Branched from: ${header.parent.session}`);
  const turns = session.turns();
  lines.push(`Turns: ${turns.length}, cost ${cost(summary.costUsd)}`, "");
  turns.forEach((turn, i) => {
    const result = turn.result;
    const status = result?.status ?? "unfinished";
    const task = oneLine(turn.task.task, 100);
    const facts = result
      ? [
          `${result.toolCalls} tool call${result.toolCalls === 1 ? "" : "s"}`,
          ...(result.filesChanged.length > 0 ? [`changed ${result.filesChanged.slice(0, 5).join(", ")}`] : []),
        ]
      : [];
    lines.push(`${String(i + 1).padStart(3)}. [${status}] ${task}${facts.length > 0 ? `  (${facts.join(", ")})` : ""}`);
    if (result?.message) lines.push(`     ${oneLine(result.message, 200)}`);
  });
  return `${lines.join("\n")}\n`;
}

function localTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function cost(usd: number | null): string {
  return usd === null ? "?" : `$${usd.toFixed(4)}`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
