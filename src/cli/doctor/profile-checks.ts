/**
 * One check per usable profile (config, environment keys, a running Ollama): does it
 * have the key it needs, and does its server answer. Profiles are checked concurrently.
 */
import { ENV_KEY_VARS, envProfiles } from "../../config/env.js";
import { detectOllama, ollamaProfile } from "../../config/ollama-detect.js";
import { displayPath } from "../../config/paths.js";
import { knownProfiles, requireKey } from "../../config/resolve.js";
import type { Profile } from "../../config/types.js";
import { ConfigError } from "../../core/errors.js";
import { checkReachability, profileDetails } from "./reachability.js";
import { type CheckResult, type DoctorContext, fail, ok, warn } from "./types.js";

export async function profileChecks(ctx: DoctorContext): Promise<CheckResult[]> {
  const { config, env } = ctx;
  const resolved = config.config;
  // With an invalid config only the environment's profiles are known; the config check says why.
  const profiles: Profile[] = resolved ? knownProfiles(resolved, env) : envProfiles(env);
  if (ctx.network) {
    const detected = await detectOllama({ env });
    const local = detected ? ollamaProfile(detected) : undefined;
    if (local && !profiles.some((p) => p.name === local.name)) profiles.push(local);
  }
  if (ctx.profileName !== undefined) {
    const chosen = profiles.filter((p) => p.name === ctx.profileName);
    if (chosen.length === 0) return [unknownProfile(ctx.profileName, profiles, ctx)];
    return Promise.all(chosen.map((p) => checkProfile(p, ctx)));
  }
  if (profiles.length === 0) return [noProfiles(ctx)];
  return Promise.all(profiles.map((p) => checkProfile(p, ctx)));
}

async function checkProfile(profile: Profile, ctx: DoctorContext): Promise<CheckResult> {
  const id = `profile:${profile.name}`;
  const details = profileDetails(profile);
  const resolved = ctx.config.config;
  if (resolved) {
    try {
      requireKey(profile, resolved, ctx.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const message = profile.apiKeyEnv
        ? `no API key: ${profile.apiKeyEnv} is not set`
        : `no API key (${profile.provider} needs one)`;
      return fail(id, message, err.message.replace(/\s*\n\s*/g, " "), details);
    }
  }
  if (!ctx.network) {
    return ok(id, `${profile.provider} ${profile.model}; reachability skipped (--no-network)`, {
      ...details,
      reachability: "skipped",
    });
  }
  return checkReachability(profile, ctx.signal);
}

function unknownProfile(name: string, profiles: Profile[], ctx: DoctorContext): CheckResult {
  const names = profiles.map((p) => p.name);
  const fix =
    names.length > 0
      ? `Use one of: ${names.join(", ")} (parecode profiles lists them), or add [profiles.${name}] to ${displayPath(ctx.config.path, ctx.env)}.`
      : `Add [profiles.${name}] to ${displayPath(ctx.config.path, ctx.env)}.`;
  return fail(`profile:${name}`, `there is no profile "${name}"`, fix, { available: names });
}

function noProfiles(ctx: DoctorContext): CheckResult {
  if (ctx.config.error) {
    return warn(
      "profiles",
      "not checked: the config file is invalid",
      "Fix the config file first (see the config check).",
    );
  }
  const path = displayPath(ctx.config.path, ctx.env);
  const ollama = ctx.network ? "start Ollama (ollama serve)" : "start Ollama (not probed: --no-network)";
  return fail(
    "profiles",
    "no model provider is configured",
    `Add a profile to ${path}, set one of ${ENV_KEY_VARS.join(", ")}, or ${ollama}.`,
  );
}
