import { ENV_KEY_VARS } from "../config/env.js";
import { hasUrlCredentials, isSecretName, looksLikeSecretValue } from "../core/secrets.js";

export interface CommandEnvironmentOptions {
  /**
   * Variables kept even though they look secret (config `env_allow = ["GITHUB_TOKEN"]`):
   * exact, case-sensitive names. The user's explicit choice wins over every rule below.
   */
  allow?: readonly string[];
  /** More names to remove whatever they look like (a profile's `api_key_env`). */
  remove?: readonly string[];
}

export interface CommandEnvironment {
  env: NodeJS.ProcessEnv;
  /** Names of the variables taken out, sorted; never their values. For `-v` and doctor. */
  removed: string[];
}

/**
 * Settings that keep a command from waiting on a terminal nobody is looking at: no pagers,
 * no colour, no interactive git prompts, and no editors. With no terminal an editor (the
 * user's EDITOR=vim) would wait until the timeout; `true` makes `git commit` without -m
 * fail at once and `git merge` or `rebase --continue` keep their default message.
 */
const NON_INTERACTIVE: Readonly<Record<string, string>> = {
  PAGER: "cat",
  GIT_PAGER: "cat",
  NO_COLOR: "1",
  TERM: "dumb",
  GIT_TERMINAL_PROMPT: "0",
  GIT_EDITOR: "true",
  EDITOR: "true",
  VISUAL: "true",
};

/**
 * The environment a command runs with: `base` without the provider keys and without any
 * variable whose name looks secret, whose value has a credential's shape or is a URL with
 * a password; then the non-interactive settings on top. A model can run `env`, so
 * anything left here is something the model may read.
 */
export function commandEnvironment(
  base: NodeJS.ProcessEnv,
  options: CommandEnvironmentOptions = {},
): CommandEnvironment {
  const allow = new Set(options.allow ?? []);
  const alwaysRemove = new Set([...ENV_KEY_VARS, ...(options.remove ?? [])]);
  const env: NodeJS.ProcessEnv = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (!allow.has(name) && (alwaysRemove.has(name) || isSecret(name, value))) {
      removed.push(name);
      continue;
    }
    env[name] = value;
  }
  delete env.FORCE_COLOR;
  Object.assign(env, NON_INTERACTIVE);
  return { env, removed: removed.sort() };
}

function isSecret(name: string, value: string): boolean {
  return isSecretName(name) || looksLikeSecretValue(value) || hasUrlCredentials(value);
}
