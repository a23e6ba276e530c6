/** What happens once a task has ended: the opt-in auto-commit of the files it changed. */
import type { TaskResultEvent } from "../agent/agent.js";
import type { Profile } from "../config/types.js";
import { autoCommit } from "../git/auto-commit.js";

export interface AfterTaskInput {
  root: string;
  profile: Profile;
  task: string;
  result: TaskResultEvent;
  notice(message: string): void;
}

export async function afterTask(input: AfterTaskInput): Promise<void> {
  const { profile, result } = input;
  // Only work that finished well is committed; a failed or interrupted task is the user's to judge.
  if (!profile.autoCommit || result.status !== "done" || result.filesChanged.length === 0) return;
  const outcome = await autoCommit(input.root, {
    files: result.filesChanged,
    task: input.task,
    prefix: profile.autoCommitPrefix,
  });
  input.notice(
    outcome.status === "committed"
      ? `Committed ${outcome.files.length} file${outcome.files.length === 1 ? "" : "s"} as ${outcome.commit}: ${outcome.message}`
      : `Not auto-committed: ${outcome.reason}.`,
  );
}
