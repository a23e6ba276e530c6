import { createRedactor } from "../core/redact.js";
import { secretValuesOf } from "../core/secrets.js";
import type { CliCommand } from "./args.js";
import { loadConfigState } from "./doctor/config-state.js";
import { doctorReport, renderJson, renderPlain } from "./doctor/render.js";
import { runDoctorChecks } from "./doctor/run-checks.js";
import type { ConfigState } from "./doctor/types.js";
import { createOutputStyle } from "./output-style.js";

type DoctorCommand = Extract<CliCommand, { kind: "doctor" }>;

export interface DoctorCommandOptions {
  /** The project folder (hooks and .parecode/permissions.toml are resolved here). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
}

/**
 * `parecode doctor [--json] [--no-network] [--profile NAME]`: checks config, profiles,
 * folders, git, ripgrep, the sandbox and hooks, and prints one line (or one JSON entry)
 * per check. Exit 0 when nothing failed (warnings allowed), 1 otherwise.
 */
export async function runDoctorCommand(command: DoctorCommand, options: DoctorCommandOptions): Promise<number> {
  const { cwd, env, stdout } = options;
  const config = await loadConfigState(env);
  const checks = await runDoctorChecks({ cwd, env, network: command.network, profileName: command.profile, config });
  // Redacted as data, before rendering: no key reaches the terminal even if a check's
  // message quotes one, and JSON escaping cannot hide a key from the search.
  const report = createRedactor(knownSecrets(config, env)).value(doctorReport(checks));
  const text = command.json ? renderJson(report) : renderPlain(report, createOutputStyle(stdout, env));
  stdout.write(text);
  return report.ok ? 0 : 1;
}

/** Every key doctor could have seen: secret-looking env values and the keys written in the config. */
function knownSecrets(config: ConfigState, env: NodeJS.ProcessEnv): string[] {
  const secrets = secretValuesOf(env);
  for (const profile of config.config?.profiles ?? []) if (profile.apiKey) secrets.push(profile.apiKey);
  const tables = config.raw?.profiles;
  if (typeof tables === "object" && tables !== null) {
    for (const table of Object.values(tables)) {
      const key = typeof table === "object" && table !== null ? (table as Record<string, unknown>).api_key : undefined;
      if (typeof key === "string") secrets.push(key);
    }
  }
  return secrets;
}
