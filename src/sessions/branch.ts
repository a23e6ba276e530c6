/** Pure functions over a session's entries: the current branch, its turns, the carry-over list. */
import type { SessionEntry, SessionTurn, TaskResultEvent, TurnRecord } from "./types.js";

/**
 * The entries on the current branch, oldest first: the parent chain from the last entry in
 * the file that is not a rename (a rename written by `sessions rename` while a run appends
 * may hang off an older entry; it names the session and never moves the branch). When a
 * parent is missing (its line was corrupt and skipped) the chain goes on from the entry
 * written just before, which in a file without branches is that parent.
 */
export function currentBranch(entries: readonly SessionEntry[]): SessionEntry[] {
  if (entries.length === 0) return [];
  const byId = new Map<string, number>();
  entries.forEach((entry, index) => {
    byId.set(entry.id, index);
  });
  const chain: SessionEntry[] = [];
  const seen = new Set<number>();
  let index: number | undefined = entries.findLastIndex((e) => e.type !== "rename");
  while (index !== undefined && index >= 0 && !seen.has(index)) {
    seen.add(index);
    const entry: SessionEntry = entries[index];
    chain.push(entry);
    if (entry.parentId === null) break;
    index = byId.get(entry.parentId) ?? index - 1;
  }
  return chain.reverse();
}

/** The turns on a branch: each starts at a task entry and ends at its result event. */
export function groupTurns(branch: readonly SessionEntry[]): TurnRecord[] {
  const turns: TurnRecord[] = [];
  let current: TurnRecord | undefined;
  for (const entry of branch) {
    if (entry.type === "task") {
      current = { task: entry, steps: [] };
      turns.push(current);
      continue;
    }
    if (!current || current.result) continue;
    if (entry.type === "event" && entry.event.type === "result") current.result = entry.event;
    else if (entry.type === "assistant" || entry.type === "event") current.steps.push(entry);
  }
  return turns;
}

/** What carry-over is told about one turn. A turn the run never finished is marked interrupted. */
export function toSessionTurn(record: TurnRecord): SessionTurn {
  const result: TaskResultEvent | undefined = record.result;
  if (result) {
    return {
      task: record.task.task,
      answer: result.message,
      filesChanged: result.filesChanged,
      toolCalls: result.toolCalls,
      status: result.status,
    };
  }
  const toolCalls = record.steps.filter((s) => s.type === "event" && s.event.type === "tool_end").length;
  const lastText = record.steps
    .filter((s) => s.type === "assistant")
    .map((s) => s.text.trim())
    .filter((t) => t !== "")
    .at(-1);
  return {
    task: record.task.task,
    answer: lastText
      ? `${lastText}\n(The run stopped before this task finished.)`
      : "(The run stopped before this task finished.)",
    filesChanged: [],
    toolCalls,
    status: "interrupted",
  };
}

/** Default title: the first task on one line, cut to fit a list column. */
export function titleFromTask(task: string, max = 60): string {
  const line = task.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
