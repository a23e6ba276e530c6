/**
 * Writes detected hooks into the user's config.toml as an editable block, appended as
 * text so every comment and layout choice already in the file survives (a TOML
 * round-trip would drop them). The result is parsed before it is written: if anything
 * but the one new table would change, nothing is written.
 *
 * The block itself is the record that detection ran: even when nothing was found it is
 * written (all commented out), so the next run finds a `hooks` table and never probes
 * again.
 */
import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { parseToml } from "../config/load.js";
import { displayPath } from "../config/paths.js";
import { tomlKey, tomlString } from "../config/toml-text.js";
import { writeConfigFile } from "../config/write.js";
import { ConfigError } from "../core/errors.js";
import { HOOK_EVENTS, isTable } from "./config.js";
import type { DetectedHooks } from "./detect.js";

/**
 * Where the block goes: a config profile's own `[profiles.NAME.hooks]`, or the top-level
 * `[hooks]` that serves profiles with no table in the file (environment keys, Ollama).
 */
export type HooksTarget = { kind: "profile"; profile: string } | { kind: "global" };

export interface HooksBlockOptions {
  /** The project detection looked at, named in the block's comment. */
  project: string;
  env?: NodeJS.ProcessEnv;
}

/** The dotted key of the target table, as written in the file. */
export function hooksTableName(target: HooksTarget): string {
  return target.kind === "global" ? "hooks" : `profiles.${tomlKey(target.profile)}.hooks`;
}

/** The TOML text of the block, ending with a newline. */
export function hooksBlock(target: HooksTarget, detected: DetectedHooks, options: HooksBlockOptions): string {
  const where = oneLine(displayPath(options.project, options.env));
  const scope = target.kind === "global" ? "for profiles without hooks of their own" : "for this profile";
  const lines =
    detected.found.length > 0
      ? [
          `# Hooks parecode detected in ${where} (${detected.found.join(", ")}). Edit freely:`,
          `# detection does not run again ${scope}. on_edit output reaches the model after`,
          "# every edit; hooks_disabled = true in the profile turns all hooks off.",
        ]
      : [
          `# parecode found no build, type or lint check to run in ${where}; detection does`,
          `# not run again ${scope}. Add commands here: on_edit output reaches the model`,
          '# after every edit, e.g. on_edit = ["npm run typecheck"].',
        ];
  lines.push(`[${hooksTableName(target)}]`);
  for (const event of HOOK_EVENTS) {
    const commands = detected.hooks[event];
    if (commands.length > 0) lines.push(`${event} = [${commands.map(tomlString).join(", ")}]`);
    else lines.push(`# ${event} = []`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Appends the block unless the target table already exists ("exists": nothing written).
 * Creates the file (mode 0600) when there is none. Throws ConfigError when the file does
 * not parse, or the block cannot be added without changing anything else (an inline
 * `profiles.NAME = {...}` cannot take a sub-table).
 */
export async function appendHooksBlock(
  file: string,
  target: HooksTarget,
  detected: DetectedHooks,
  options: HooksBlockOptions,
): Promise<"written" | "exists"> {
  const shown = displayPath(file, options.env);
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });
  const before = parseToml(text, file, shown);
  if (tableAt(before, target) !== undefined) return "exists";
  const table = `[${hooksTableName(target)}]`;
  // Appending [profiles.NAME.hooks] for a profile the file lacks would create half a profile.
  if (target.kind === "profile" && !isTable(profileOf(before, target.profile))) {
    throw new ConfigError(`${shown} has no [profiles.${tomlKey(target.profile)}] to add ${table} to`, { file });
  }

  const block = hooksBlock(target, detected, options);
  const separator = text === "" ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  const next = `${text}${separator}${block}`;
  const refuse = () =>
    new ConfigError(
      `could not add ${table} to ${shown} without changing the rest of it; add the table by hand (see the README's Hooks section)`,
      { file },
    );
  let after: Record<string, unknown>;
  try {
    after = parseToml(next, file, shown);
  } catch {
    throw refuse();
  }
  const written = Object.fromEntries(
    HOOK_EVENTS.filter((event) => detected.hooks[event].length > 0).map((event) => [event, detected.hooks[event]]),
  );
  const added = tableAt(after, target);
  // smol-toml's tables have no prototype; the spread makes it comparable with a literal.
  if (!isTable(added) || !isDeepStrictEqual({ ...added }, written)) throw refuse();
  removeTableAt(after, target);
  if (!isDeepStrictEqual(after, before)) throw refuse();
  await writeConfigFile(file, next);
  return "written";
}

function profileOf(raw: Record<string, unknown>, name: string): unknown {
  return isTable(raw.profiles) ? raw.profiles[name] : undefined;
}

function tableAt(raw: Record<string, unknown>, target: HooksTarget): unknown {
  if (target.kind === "global") return raw.hooks;
  const profile = profileOf(raw, target.profile);
  return isTable(profile) ? profile.hooks : undefined;
}

function removeTableAt(raw: Record<string, unknown>, target: HooksTarget): void {
  if (target.kind === "global") {
    delete raw.hooks;
    return;
  }
  const profile = profileOf(raw, target.profile);
  if (isTable(profile)) delete profile.hooks;
}

/** A path in a TOML comment must stay on one line. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, "?");
}
