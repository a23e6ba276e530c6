/**
 * Checks of the files that configure parecode: config.toml (valid, and not readable by
 * others when it holds a key), its [permissions] table, and the project's own
 * .parecode/permissions.toml.
 */
import { readFile, stat } from "node:fs/promises";
import { displayPath } from "../../config/paths.js";
import { ConfigError, errorMessage } from "../../core/errors.js";
import { readProjectPermissions } from "../../permissions/project-file.js";
import { readPermissionSettings } from "../../permissions/settings.js";
import type { PermissionSettings } from "../../permissions/types.js";
import { type CheckResult, type DoctorContext, fail, ok, splitConfigError, warn } from "./types.js";

export async function configChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  return [configValidity(ctx), await configFileMode(ctx), userPermissions(ctx), await projectPermissions(ctx)];
}

function configValidity(ctx: DoctorContext): CheckResult {
  const { config, env } = ctx;
  const shown = displayPath(config.path, env);
  if (!config.exists) {
    return ok("config", `no config file at ${shown}; using environment keys / Ollama`, { path: config.path });
  }
  if (config.error) {
    const { problem, fix } = splitConfigError(config.error.message);
    return fail("config", problem, fix, {
      path: config.path,
      ...(config.error.line === undefined ? {} : { line: config.error.line }),
      ...(config.error.key === undefined ? {} : { key: config.error.key }),
    });
  }
  const count = config.config?.profiles.length ?? 0;
  return ok("config", `${shown} is valid (${count} profile${count === 1 ? "" : "s"})`, { path: config.path });
}

/**
 * A key in a file others can read is a leaked key; a config others can write lets them
 * point parecode at their server or add hook commands, so that warns with or without a key.
 */
async function configFileMode(ctx: DoctorContext): Promise<CheckResult> {
  const { config, env } = ctx;
  const id = "config-permissions";
  if (!config.exists) return ok(id, "no config file");
  let mode: number;
  let text: string;
  try {
    mode = (await stat(config.path)).mode & 0o777;
    text = await readFile(config.path, "utf8");
  } catch (err) {
    return warn(
      id,
      `cannot inspect ${displayPath(config.path, env)}: ${errorMessage(err)}`,
      "Check that it is a readable file.",
    );
  }
  const octal = mode.toString(8).padStart(3, "0");
  const hasKey = holdsKey(config.raw, text);
  const details = { path: config.path, mode: octal, holdsKey: hasKey };
  const readableByOthers = (mode & 0o044) !== 0;
  const writableByOthers = (mode & 0o022) !== 0;
  const fix = `chmod 600 ${config.path}`;
  if (writableByOthers) {
    return warn(id, `${displayPath(config.path, env)} can be changed by other users (mode ${octal})`, fix, details);
  }
  if (hasKey && readableByOthers) {
    return warn(
      id,
      `${displayPath(config.path, env)} holds an API key and other users can read it (mode ${octal})`,
      fix,
      details,
    );
  }
  return ok(
    id,
    hasKey ? `holds an API key; only you can read it (mode ${octal})` : `mode ${octal}; no API key stored in it`,
    details,
  );
}

/** True when some profile stores `api_key` itself (not `api_key_env`). Falls back to the text when the TOML does not parse. */
function holdsKey(raw: Record<string, unknown> | undefined, text: string): boolean {
  if (raw === undefined) return /^\s*["']?api_key["']?\s*=/m.test(text);
  const profiles = raw.profiles;
  if (typeof profiles !== "object" || profiles === null) return false;
  return Object.values(profiles).some(
    (table) =>
      typeof table === "object" && table !== null && typeof (table as Record<string, unknown>).api_key === "string",
  );
}

function userPermissions(ctx: DoctorContext): CheckResult {
  const { config, env } = ctx;
  const id = "permissions";
  if (!config.exists) return ok(id, "no [permissions] table; the defaults apply");
  if (config.raw === undefined) {
    return warn(id, "not checked: the config file does not parse", "Fix the config file first (see the config check).");
  }
  if (config.raw.permissions === undefined) return ok(id, "no [permissions] table; the defaults apply");
  const shown = displayPath(config.path, env);
  try {
    const { settings, warnings } = readPermissionSettings(config.raw.permissions, {
      file: config.path,
      shown,
      at: ["permissions"],
      source: { kind: "user", file: shown },
    });
    if (warnings.length > 0) return warn(id, warnings[0], "Remove or rename that key.", { warnings });
    return ok(id, `[permissions] is valid (${describeSettings(settings)})`);
  } catch (err) {
    return configFailure(id, err);
  }
}

async function projectPermissions(ctx: DoctorContext): Promise<CheckResult> {
  const id = "project-permissions";
  try {
    const project = await readProjectPermissions(ctx.cwd);
    if (project === null) return ok(id, "no .parecode/permissions.toml in this project");
    if (project.warnings.length > 0) {
      return warn(id, project.warnings[0], "Remove or rename that key.", {
        path: project.file,
        warnings: project.warnings,
      });
    }
    return ok(id, `${project.shown} is valid (${describeSettings(project.settings)})`, { path: project.file });
  } catch (err) {
    return configFailure(id, err);
  }
}

function configFailure(id: string, err: unknown): CheckResult {
  if (!(err instanceof ConfigError)) throw err;
  const { problem, fix } = splitConfigError(err.message);
  return fail(id, problem, fix, {
    ...(err.file === undefined ? {} : { path: err.file }),
    ...(err.line === undefined ? {} : { line: err.line }),
  });
}

function describeSettings(settings: PermissionSettings): string {
  const rules = settings.tools.length + settings.bash.length;
  const mode = settings.mode ? `mode ${settings.mode}, ` : "";
  return `${mode}${rules} rule${rules === 1 ? "" : "s"}`;
}
