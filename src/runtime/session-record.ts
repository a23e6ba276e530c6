/**
 * What outlives a run: every task of a runtime is recorded as it happens in a session
 * file (redacted, deltas held back like on screen), with a checkpoint of the project taken
 * before it so the task can be diffed and undone. One-shot runs are sessions too, so
 * `parecode -c` continues where the last run in this folder left off.
 */
import { dataDir, sessionsDir } from "../config/paths.js";
import type { Redactor } from "../core/redact.js";
import type { AgentEvent } from "../core/types.js";
import type { Checkpoint, CheckpointMode } from "../git/checkpoints.js";
import { createSessionStore, type Session, type SessionStore } from "../sessions/index.js";
import { redactingEventSink } from "./redacting-events.js";

/** `-c` continues the latest session of this folder; `--resume ID` a chosen one (an id or unique prefix). */
export type ResumeTarget = { latest: true } | { id: string };

export interface SessionRecordOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** `checkpoints` in config.toml: "auto" (git in a repository, the snapshot store elsewhere), "files", or "off". */
  checkpoints: CheckpointMode | "off";
  resume?: ResumeTarget;
  /** Lines for the person (a skipped checkpoint, lines skipped in a damaged session file). */
  notice(level: "info" | "warn", message: string): void;
}

export interface TaskStart {
  /** Takes the checkpoint (the first call only) and writes the task's entry; later calls share the result. */
  checkpoint(): Promise<Checkpoint | undefined>;
}

export interface SessionRecord {
  /** The current session's id; undefined until the first task of a new session. */
  readonly id: string | undefined;
  /** Finished turns of a resumed session, for carry-over. */
  resumedTurns(): ReturnType<Session["completedTurns"]>;
  /**
   * A task starts: its events are held from now until its entry is written. The entry
   * follows the checkpoint, which is taken when `checkpoint()` is first called (the
   * runtime calls it once the first request is out, and before any tool runs).
   */
  beginTask(task: string, meta: { profile: string; model: string }): TaskStart;
  /** Every event of the task, in order; redacted before it is written. */
  record(event: AgentEvent): void;
  /** Rolls the conversation back n turns (the file keeps them; the branch moves). */
  rollback(n: number): ReturnType<Session["completedTurns"]>;
  /** The next task starts a new session file. */
  startNew(): void;
  /** Continues another recorded session from now on; returns its finished turns. Throws UsageError for an unknown id. */
  switchTo(target: ResumeTarget): ReturnType<Session["completedTurns"]>;
  store(): SessionStore;
  checkpointOptions(): { dataDir: string; mode?: CheckpointMode };
  close(): void;
}

export function createSessionRecord(options: SessionRecordOptions): SessionRecord {
  const store = createSessionStore(sessionsDir(options.env));
  let session: Session | undefined;
  let sink: ((event: AgentEvent) => void) | undefined;
  /** Events of a task whose entry is not written yet (its checkpoint is still being taken). */
  let held: AgentEvent[] | undefined;

  const use = (next: Session | undefined) => {
    session?.close();
    session = next;
    // A fresh holding sink per session, so nothing held back leaks from one into another.
    sink = next ? redactingEventSink(options.redactor, (event) => next.append(event)) : undefined;
    for (const warning of next?.warnings ?? []) options.notice("warn", warning);
  };

  const find = (target: ResumeTarget): Session | undefined => {
    const found = "latest" in target ? store.latestFor(options.root) : store.open(target.id);
    if (!found) options.notice("warn", "No earlier session in this folder to continue; starting a new one.");
    return found;
  };
  if (options.resume) use(find(options.resume));

  const checkpointOptions = () => ({
    dataDir: dataDir(options.env),
    mode: options.checkpoints === "off" ? undefined : options.checkpoints,
  });

  /** The checkpoint before a task (or a notice why none), then its entry and the events held meanwhile. */
  const checkpointThenEntry = async (task: string): Promise<Checkpoint | undefined> => {
    let checkpoint: Checkpoint | undefined;
    if (options.checkpoints !== "off") {
      try {
        // Loaded here, after the first request is out: start-up never pays for the checkpoint code.
        const { createCheckpoint } = await import("../git/checkpoints.js");
        const taken = await createCheckpoint(options.root, { ...checkpointOptions(), label: task });
        if (taken.status === "created") checkpoint = taken.checkpoint;
        else options.notice("warn", taken.message);
      } catch (err) {
        // A checkpoint that cannot be taken must not stop the task: say so, and go on.
        options.notice("warn", `No checkpoint before this task: ${(err as Error).message}`);
      }
    }
    session?.appendTask(options.redactor.text(task), checkpoint ? { checkpoint: checkpoint.id } : {});
    const waiting = held ?? [];
    held = undefined;
    for (const event of waiting) sink?.(event);
    return checkpoint;
  };

  return {
    get id() {
      return session?.id;
    },
    resumedTurns: () => session?.completedTurns() ?? [],
    beginTask(task, meta) {
      if (!session) use(store.create({ root: options.root, profile: meta.profile, model: meta.model }));
      held = [];
      let taken: Promise<Checkpoint | undefined> | undefined;
      return {
        checkpoint() {
          taken ??= checkpointThenEntry(task);
          return taken;
        },
      };
    },
    record(event) {
      if (held) held.push(event);
      else sink?.(event);
    },
    rollback(n) {
      if (!session) return [];
      session.rollback(n);
      return session.completedTurns();
    },
    startNew() {
      use(undefined);
    },
    switchTo(target) {
      const next = find(target);
      if (next?.id === session?.id) return session?.completedTurns() ?? [];
      use(next);
      return next?.completedTurns() ?? [];
    },
    store: () => store,
    checkpointOptions,
    close() {
      use(undefined);
    },
  };
}
