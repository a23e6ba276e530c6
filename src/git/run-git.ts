import { execFile, spawn } from "node:child_process";

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

export interface GitRunOptions {
  /** Extra environment, e.g. GIT_INDEX_FILE for a temporary index. */
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
}

export interface GitRun {
  /** Exit code; null when git could not be started or was killed at the timeout. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git and collects everything, whatever the outcome, for the checkpoint code that
 * writes objects and refs (never the user's index or branch). Output is kept as bytes:
 * file contents from `cat-file --batch` are not text.
 */
export function runGit(cwd: string, args: string[], options: GitRunOptions = {}): Promise<GitRun> {
  return new Promise((resolve) => {
    const child = spawn("git", args, {
      cwd,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err.trim() });
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      err += `\ngit ${args[0]} did not finish within ${options.timeoutMs} ms`;
      finish(null);
    }, options.timeoutMs ?? 120_000);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (err.length < 64 * 1024) err += chunk;
    });
    child.on("error", (error) => {
      err += error.message;
      finish(null);
    });
    child.on("close", (code) => finish(code));
    // A command that exits before reading its input closes the pipe: not our error.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input);
  });
}
