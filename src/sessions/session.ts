/**
 * One session file, open for reading and appending. Appends are synchronous writes on an
 * append-only descriptor, one line per entry, so a crash or kill -9 loses at most the
 * turn in flight (the reply still streaming); nothing already written is rewritten.
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../core/errors.js";
import { newSortableId, randomBase36 } from "../core/sortable-id.js";
import type { AgentEvent } from "../core/types.js";
import { currentBranch, groupTurns, titleFromTask, toSessionTurn } from "./branch.js";
import { parseSessionText } from "./session-file.js";
import {
  SESSION_FORMAT_VERSION,
  type SessionEntry,
  type SessionHeader,
  type SessionMetaInput,
  type SessionTurn,
  type TurnRecord,
} from "./types.js";

export interface Session {
  readonly id: string;
  readonly file: string;
  readonly header: SessionHeader;
  /** Lines skipped when the file was read (cut off by a crash, corrupt); empty for a new session. Show them. */
  readonly warnings: readonly string[];
  title(): string;
  /** Records the task as the user typed it; starts a turn. `checkpoint` names the checkpoint taken before it. */
  appendTask(task: string, details?: { checkpoint?: string }): void;
  /**
   * Records one event as it happens (the caller redacts first). Text and reasoning deltas
   * are held and stored once, with the reply they belong to; a `retry` discards them.
   */
  append(event: AgentEvent): void;
  rename(title: string): void;
  /** The finished turns on the current branch, oldest first: what carry-over needs to resume. */
  completedTurns(): SessionTurn[];
  /** The turns on the current branch with all their entries, for show and export. */
  turns(): TurnRecord[];
  /** Rolls back the last `n` turns: the branch continues from before them. Throws UsageError for a bad `n`. */
  rollback(n: number): void;
  /** A new session file holding this one's current branch, its header naming this session as parent. */
  branch(): Session;
  /** Every valid entry in file order (all branches). */
  entries(): readonly SessionEntry[];
  /** Releases the file descriptor; later appends reopen it. */
  close(): void;
}

export function sessionFile(dir: string, id: string): string {
  return path.join(dir, `${id}.jsonl`);
}

export function createSessionFile(dir: string, meta: SessionMetaInput, parent?: SessionHeader["parent"]): Session {
  const header: SessionHeader = {
    type: "session",
    version: SESSION_FORMAT_VERSION,
    id: newSortableId(),
    root: path.resolve(meta.root),
    created: new Date().toISOString(),
    ...(meta.profile !== undefined && { profile: meta.profile }),
    ...(meta.model !== undefined && { model: meta.model }),
    ...(meta.title !== undefined && { title: meta.title }),
    ...(parent && { parent }),
  };
  const file = sessionFile(dir, header.id);
  // Sessions hold code and conversation: readable by the user only. `wx` never overwrites.
  writeFileSync(file, `${JSON.stringify(header)}\n`, { flag: "wx", mode: 0o600 });
  return makeSession(file, header, [], [], true);
}

export function openSessionFile(file: string): Session {
  const parsed = parseSessionText(readFileSync(file, "utf8"), file);
  return makeSession(file, parsed.header, parsed.entries, parsed.warnings, parsed.endsWithNewline);
}

function makeSession(
  file: string,
  header: SessionHeader,
  entries: SessionEntry[],
  warnings: string[],
  endsWithNewline: boolean,
): Session {
  let fd: number | undefined;
  let needsNewline = !endsWithNewline;
  const ids = new Set(entries.map((e) => e.id));
  let pending = { turn: 0, text: "", reasoning: "" };
  /** True between appendTask and its result: that turn is not finished yet. */
  let inFlight = false;

  const newId = (): string => {
    let id = randomBase36(8);
    while (ids.has(id)) id = randomBase36(8);
    ids.add(id);
    return id;
  };

  // Distributive over the union, so each entry type keeps its own fields.
  type NewEntry = SessionEntry extends infer E
    ? E extends SessionEntry
      ? Omit<E, "id" | "parentId" | "ts"> & { parentId?: string | null }
      : never
    : never;
  const write = (fields: NewEntry): void => {
    const entry = {
      id: newId(),
      parentId: entries.at(-1)?.id ?? null,
      ts: new Date().toISOString(),
      ...fields,
    } as SessionEntry;
    const line = `${needsNewline ? "\n" : ""}${JSON.stringify(entry)}\n`;
    fd ??= openSync(file, "a", 0o600);
    writeSync(fd, line);
    needsNewline = false;
    entries.push(entry);
  };

  const flushPartial = (): void => {
    if (pending.text === "" && pending.reasoning === "") return;
    write({
      type: "assistant",
      turn: pending.turn,
      text: pending.text,
      ...(pending.reasoning !== "" && { reasoning: pending.reasoning }),
      toolCalls: [],
      partial: true,
    });
    pending = { turn: 0, text: "", reasoning: "" };
  };

  const turnsOnBranch = (): TurnRecord[] => groupTurns(currentBranch(entries));

  const session: Session = {
    id: header.id,
    file,
    header,
    warnings,
    title() {
      const renamed = entries.findLast((e) => e.type === "rename");
      if (renamed?.type === "rename") return renamed.title;
      if (header.title) return header.title;
      const first = entries.find((e) => e.type === "task");
      return first?.type === "task" ? titleFromTask(first.task) : "(no task yet)";
    },
    appendTask(task, details = {}) {
      flushPartial();
      write({ type: "task", task, ...(details.checkpoint !== undefined && { checkpoint: details.checkpoint }) });
      inFlight = true;
    },
    append(event) {
      switch (event.type) {
        case "text_delta":
          pending.turn = event.turn;
          pending.text += event.delta;
          return;
        case "reasoning_delta":
          pending.turn = event.turn;
          pending.reasoning += event.delta;
          return;
        case "retry":
          pending = { turn: 0, text: "", reasoning: "" };
          write({ type: "event", event });
          return;
        case "assistant_message":
          write({
            type: "assistant",
            turn: event.turn,
            text: event.text,
            ...(pending.reasoning !== "" && { reasoning: pending.reasoning }),
            toolCalls: event.toolCalls,
          });
          pending = { turn: 0, text: "", reasoning: "" };
          return;
        default:
          // Usage and notices arrive between a reply's deltas and its assistant_message; only
          // a new turn or the result means the reply will never be completed.
          if (event.type === "turn_start" || event.type === "result") flushPartial();
          write({ type: "event", event });
          if (event.type === "result") inFlight = false;
      }
    },
    rename(title) {
      const trimmed = title.replace(/\s+/g, " ").trim();
      if (trimmed === "") throw new UsageError("A session name cannot be empty.");
      write({ type: "rename", title: trimmed });
    },
    completedTurns() {
      const turns = turnsOnBranch();
      if (inFlight && !turns.at(-1)?.result) turns.pop();
      return turns.map(toSessionTurn);
    },
    turns: turnsOnBranch,
    rollback(n) {
      if (inFlight) throw new UsageError("A task is still running; roll back after it ends.");
      const turns = turnsOnBranch();
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`Roll back by a whole number of turns (1 or more), not ${n}.`);
      if (n > turns.length) {
        throw new UsageError(
          `This session has ${turns.length} turn${turns.length === 1 ? "" : "s"}; roll back at most that many.`,
        );
      }
      write({
        type: "rollback",
        turns: n,
        from: entries.at(-1)?.id ?? null,
        parentId: turns[turns.length - n].task.parentId,
      });
    },
    branch() {
      flushPartial();
      const dir = path.dirname(file);
      const child = createSessionFile(
        dir,
        { root: header.root, profile: header.profile, model: header.model, title: session.title() },
        { session: header.id, entry: entries.at(-1)?.id ?? null },
      );
      // The copy is a plain chain, so it reads the same even without this file.
      let parentId: string | null = null;
      const lines = currentBranch(entries).map((entry) => {
        const copy = { ...entry, parentId };
        parentId = entry.id;
        return `${JSON.stringify(copy)}\n`;
      });
      if (lines.length > 0) writeFileSync(child.file, lines.join(""), { flag: "a" });
      return openSessionFile(child.file);
    },
    entries: () => entries,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
  return session;
}
