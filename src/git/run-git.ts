import { execFile } from "node:child_process";

/**
 * Runs one read-only git command in `root` and resolves its stdout, or null when git is
 * missing, the folder is not a repository, or the command fails or outlives `timeoutMs`.
 * GIT_OPTIONAL_LOCKS=0 keeps a status from taking the index lock a user's own git needs.
 */
export function readGit(
  root: string,
  args: string[],
  timeoutMs: number,
  maxBuffer = 4 * 1024 * 1024,
): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      { cwd: root, timeout: timeoutMs, maxBuffer, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" } },
      (error, stdout) => resolve(error ? null : stdout),
    );
  });
}
