/**
 * The one module that knows where parecode keeps things on disk. Everything takes the
 * environment as a parameter so tests can point it at a temp dir and never touch the
 * real home; nothing else in the codebase calls os.homedir().
 *
 * Layout (XDG Base Directory spec):
 *   config  $XDG_CONFIG_HOME/parecode   (default ~/.config/parecode)
 *   data    $XDG_DATA_HOME/parecode     (default ~/.local/share/parecode)
 *   cache   $XDG_CACHE_HOME/parecode    (default ~/.cache/parecode)
 * `PARECODE_HOME=/some/dir` puts everything in one folder instead: config.toml at its
 * top, data/ and cache/ beneath it (handy for portable installs and isolated tests).
 */

import { homedir } from "node:os";
import { isAbsolute, join, resolve, sep } from "node:path";

type Env = NodeJS.ProcessEnv;

/** The user's home. $HOME first so a fake env fully isolates tests. */
export function homeDir(env: Env = process.env): string {
  return nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir();
}

export function configDir(env: Env = process.env): string {
  const home = parecodeHome(env);
  if (home) return home;
  return join(xdgBase(env.XDG_CONFIG_HOME, env, ".config"), "parecode");
}

export function configPath(env: Env = process.env): string {
  return join(configDir(env), "config.toml");
}

export function dataDir(env: Env = process.env): string {
  const home = parecodeHome(env);
  if (home) return join(home, "data");
  return join(xdgBase(env.XDG_DATA_HOME, env, join(".local", "share")), "parecode");
}

export function cacheDir(env: Env = process.env): string {
  const home = parecodeHome(env);
  if (home) return join(home, "cache");
  return join(xdgBase(env.XDG_CACHE_HOME, env, ".cache"), "parecode");
}

/** Where session JSONL files live. */
export function sessionsDir(env: Env = process.env): string {
  return join(dataDir(env), "sessions");
}

/** A path as people like to read it in messages: the home directory shown as `~`. */
export function displayPath(path: string, env: Env = process.env): string {
  const home = homeDir(env);
  if (path === home) return "~";
  if (home !== sep && path.startsWith(home + sep)) return `~${path.slice(home.length)}`;
  return path;
}

function parecodeHome(env: Env): string | undefined {
  // Unlike XDG values, a relative PARECODE_HOME is taken relative to the working directory:
  // it is our own variable and `PARECODE_HOME=.ph parecode` is a reasonable thing to type.
  const value = nonEmpty(env.PARECODE_HOME);
  return value ? resolve(value) : undefined;
}

/** The XDG spec says relative values are invalid and must be ignored, like unset ones. */
function xdgBase(value: string | undefined, env: Env, fallbackUnderHome: string): string {
  const set = nonEmpty(value);
  if (set && isAbsolute(set)) return set;
  return join(homeDir(env), fallbackUnderHome);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
