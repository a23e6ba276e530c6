import { execFileSync } from "node:child_process";

/**
 * A fixed identity so commits work on machines (and CI) with no git user configured, and
 * no global or system config, so a developer's commit signing or hooks cannot interfere.
 */
const TEST_GIT_ENV = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "parecode-test",
  GIT_AUTHOR_EMAIL: "test@parecode.invalid",
  GIT_COMMITTER_NAME: "parecode-test",
  GIT_COMMITTER_EMAIL: "test@parecode.invalid",
};

/** Runs one git command in `dir` with the test identity. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, env: { ...process.env, ...TEST_GIT_ENV }, encoding: "utf8" });
}

/** Makes `dir` a repository on branch main with everything in it committed. */
export function commitAll(dir: string): void {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "init");
}
