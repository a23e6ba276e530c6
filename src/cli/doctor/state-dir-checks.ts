/**
 * parecode's own folders (config, data, cache) must exist or be creatable, and be
 * writable. Checked by writing and removing a temp file, never by reading mode bits:
 * root ignores them, read-only mounts and full disks do not show in them. A folder that
 * does not exist yet is not created; its nearest existing parent is tested instead.
 */
import { randomBytes } from "node:crypto";
import { stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { cacheDir, configDir, dataDir, displayPath } from "../../config/paths.js";
import { errorMessage } from "../../core/errors.js";
import { type CheckResult, type DoctorContext, fail, ok } from "./types.js";

interface StateDir {
  id: string;
  dir: string;
  /** The variable that moves it, for the fix. */
  variable: string;
}

export async function stateDirChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const { env } = ctx;
  const moved = env.PARECODE_HOME ? "PARECODE_HOME" : undefined;
  const dirs: StateDir[] = [
    { id: "config-dir", dir: configDir(env), variable: moved ?? "XDG_CONFIG_HOME" },
    { id: "data-dir", dir: dataDir(env), variable: moved ?? "XDG_DATA_HOME" },
    { id: "cache-dir", dir: cacheDir(env), variable: moved ?? "XDG_CACHE_HOME" },
  ];
  return Promise.all(dirs.map((entry) => checkDir(entry, env)));
}

async function checkDir({ id, dir, variable }: StateDir, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const shown = displayPath(dir, env);
  const elsewhere = `or set ${variable} to a writable folder`;
  const details = { path: dir };
  let found: { path: string; isDirectory: boolean };
  try {
    found = await nearestExisting(dir);
  } catch (err) {
    return fail(
      id,
      `cannot reach ${shown} (${errorMessage(err)})`,
      `Make its parent folders accessible, ${elsewhere}.`,
      details,
    );
  }
  if (!found.isDirectory) {
    return fail(
      id,
      `${displayPath(found.path, env)} is a file, so ${shown} cannot be a folder`,
      `Move the file ${found.path} out of the way, ${elsewhere}.`,
      details,
    );
  }
  const probe = path.join(found.path, `.parecode-doctor-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(probe, "");
    await unlink(probe);
  } catch (err) {
    return fail(
      id,
      `cannot write to ${displayPath(found.path, env)} (${errorMessage(err)})`,
      `Make ${found.path} writable (chmod u+w ${found.path}), ${elsewhere}.`,
      details,
    );
  }
  if (found.path === dir) return ok(id, `${shown} is writable`, details);
  return ok(id, `${shown} will be created (${displayPath(found.path, env)} is writable)`, details);
}

/** `dir` itself or its closest ancestor that exists, and whether that is a folder. */
async function nearestExisting(dir: string): Promise<{ path: string; isDirectory: boolean }> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      return { path: current, isDirectory: (await stat(current)).isDirectory() };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = path.dirname(current);
      // ENOTDIR: an ancestor is a file; keep climbing until we find it.
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === current) throw err;
    }
  }
}
