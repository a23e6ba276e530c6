/**
 * The session file format (JSONL, one JSON object per line). Line 1 is the header; every
 * later line is an entry with an `id` and the `parentId` of the entry it follows. The
 * current branch is the chain of parents from the last entry in the file, so a rollback
 * or a rename is one more line and nothing is ever rewritten.
 *
 * Changing any shape here means a new SESSION_FORMAT_VERSION and an explicit migration
 * when reading older files.
 */
import type { AgentEvent, TaskStatus, ToolCall } from "../core/types.js";

export const SESSION_FORMAT_VERSION = 1;

export interface SessionHeader {
  type: "session";
  version: number;
  id: string;
  /** Absolute path of the project root the session ran in. */
  root: string;
  /** ISO time. */
  created: string;
  profile?: string;
  model?: string;
  /** A title given at creation; later `rename` entries win. */
  title?: string;
  /** Set on a session made by `branch()`: where it split off. */
  parent?: { session: string; entry: string | null };
}

interface EntryBase {
  id: string;
  /** The entry this one follows on its branch; null for the first entry after the header. */
  parentId: string | null;
  /** ISO time the entry was written. */
  ts: string;
}

/** The user's task as typed: it starts a turn. */
export interface TaskEntry extends EntryBase {
  type: "task";
  task: string;
  /** The checkpoint taken before the task ran, when there was one. */
  checkpoint?: string;
}

/**
 * One model reply. Streamed deltas are never stored one by one: they are folded into this
 * entry (the reply's text from `assistant_message`, the reasoning from its deltas).
 * `partial` marks text that streamed before the turn ended without a complete reply.
 */
export interface AssistantEntry extends EntryBase {
  type: "assistant";
  turn: number;
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  partial?: boolean;
}

/** Every other AgentEvent, as the caller passed it (already redacted). */
export type StoredEvent = Exclude<AgentEvent, { type: "text_delta" | "reasoning_delta" | "assistant_message" }>;

export interface EventEntry extends EntryBase {
  type: "event";
  event: StoredEvent;
}

export interface RenameEntry extends EntryBase {
  type: "rename";
  title: string;
}

/**
 * Rolls the branch back: its parent is where the branch continues from (the end of the
 * turn kept last), so the rolled-back turns are no longer on the chain. `from` keeps the
 * entry that was last before, for history.
 */
export interface RollbackEntry extends EntryBase {
  type: "rollback";
  turns: number;
  from: string | null;
}

export type SessionEntry = TaskEntry | AssistantEntry | EventEntry | RenameEntry | RollbackEntry;

/**
 * One earlier task as carry-over needs it; the same shape as context/carry-over's
 * CompletedTurn (sessions may not import context/, the structural type is the contract).
 */
export interface SessionTurn {
  task: string;
  answer: string;
  filesChanged: string[];
  toolCalls: number;
  status: TaskStatus;
}

export type TaskResultEvent = Extract<AgentEvent, { type: "result" }>;

/** A turn on the current branch with everything recorded for it, for show and export. */
export interface TurnRecord {
  task: TaskEntry;
  /** Replies and events in order, excluding the result. */
  steps: Array<AssistantEntry | EventEntry>;
  /** Undefined when the run ended before the task did (a crash, kill -9). */
  result?: TaskResultEvent;
}

export interface SessionMetaInput {
  root: string;
  profile?: string;
  model?: string;
  title?: string;
}

export interface SessionSummary {
  id: string;
  file: string;
  root: string;
  title: string;
  /** Turns on the current branch. */
  turns: number;
  created: string;
  /** ISO time of the last write (the file's mtime). */
  updated: string;
  /** Cost of every task recorded, rolled back or not (the money was spent); null when any price was unknown. */
  costUsd: number | null;
  profile?: string;
  model?: string;
  parent?: SessionHeader["parent"];
}

export interface SessionList {
  sessions: SessionSummary[];
  /** Files that could not be read as sessions, with the reason. */
  skipped: Array<{ file: string; reason: string }>;
}
