/**
 * Picks the profile a run uses. Selection order:
 *   1. `--profile NAME` (from the config, env keys, or a detected Ollama)
 *   2. `default_profile` from config.toml
 *   3. the first profile in config.toml
 *   4. a profile made from an API key in the environment (ENV_PRESETS order)
 *   5. a running Ollama
 * With none of these the user gets one message naming every way to fix it.
 * Ollama is only probed when it can matter, so a configured run never pays the timeout.
 */

import { ConfigError } from "../core/errors.js";
import { ENV_KEY_VARS, envProfiles, vendorKeyVar } from "./env.js";
import { type LoadConfigOptions, loadConfig } from "./load.js";
import {
  type DetectOllamaResult,
  detectOllama as defaultDetectOllama,
  OLLAMA_PROFILE_NAME,
  ollamaBaseUrl,
  ollamaProfile,
} from "./ollama-detect.js";
import { configPath, displayPath } from "./paths.js";
import type { Profile, ProviderKind, ResolvedConfig } from "./types.js";

export interface ResolveProfileOptions {
  env?: NodeJS.ProcessEnv;
  /** `--profile NAME`. */
  profileName?: string;
  /** `--model ID`: replaces the profile's model for this run only. */
  modelOverride?: string;
  /** Injected by tests; defaults to the real probe. */
  detectOllama?: typeof defaultDetectOllama;
  /** Lay this project's `.parecode/config.toml` over the user's config (see project-config.ts). */
  project?: LoadConfigOptions["project"];
}

export interface ResolveProfileResult {
  profile: Profile;
  config: ResolvedConfig;
  /** Every profile known at the time (a detected Ollama only if it was probed). */
  available: Profile[];
  /** One-off remarks for the user, e.g. which Ollama model was picked and what else is installed. */
  notices: string[];
}

export async function resolveProfile(options: ResolveProfileOptions = {}): Promise<ResolveProfileResult> {
  const env = options.env ?? process.env;
  const detect = options.detectOllama ?? defaultDetectOllama;
  const config = await loadConfig(env, { project: options.project });
  const available = knownProfiles(config, env);
  // Probing Ollama costs up to its timeout, so it happens only when nothing else decides.
  let detected: DetectOllamaResult | null = null;
  const probeOllama = async (): Promise<DetectOllamaResult | null> => {
    const result = await detect({ env });
    const local = result ? ollamaProfile(result) : undefined;
    if (local && !available.some((p) => p.name === local.name)) available.push(local);
    return result;
  };

  let profile: Profile | undefined;
  const name = options.profileName ?? config.defaultProfile;
  if (name !== undefined) {
    profile = available.find((p) => p.name === name);
    if (!profile) detected = await probeOllama();
    profile ??= available.find((p) => p.name === name);
    if (!profile) throw unknownProfile(name, available, config, env);
  } else {
    if (available.length === 0) detected = await probeOllama();
    profile = available[0];
  }
  if (!profile) throw new ConfigError(setupHelp(env, { configExists: config.exists, ollama: detected }));

  const notices: string[] = [...(config.warnings ?? [])];
  const model = options.modelOverride?.trim();
  if (model) profile = { ...profile, model };
  requireKey(profile, config, env);
  if (profile.source === "ollama" && detected) notices.push(ollamaNotice(profile, detected));
  return { profile, config, available, notices };
}

/** One row of `parecode profiles`. Never carries the key. */
export interface ProfileRow {
  name: string;
  provider: ProviderKind;
  model: string;
  endpoint: string;
  source: Profile["source"];
  /** The profile a run uses when no --profile is given. */
  isDefault: boolean;
}

export interface ListProfilesOptions {
  env?: NodeJS.ProcessEnv;
  /** The project's config layer, as resolveProfile takes it. */
  project?: LoadConfigOptions["project"];
  detectOllama?: typeof defaultDetectOllama;
}

/** Every usable profile: config, env keys, and a running Ollama (always probed here). */
export async function listProfiles(options: ListProfilesOptions = {}): Promise<ProfileRow[]> {
  const env = options.env ?? process.env;
  const config = await loadConfig(env, { project: options.project });
  const profiles = knownProfiles(config, env);
  const detected = await (options.detectOllama ?? defaultDetectOllama)({ env });
  const local = detected ? ollamaProfile(detected) : undefined;
  if (local && !profiles.some((p) => p.name === local.name)) profiles.push(local);
  const defaultName = config.defaultProfile ?? profiles[0]?.name;
  return profiles.map((p) => ({
    name: p.name,
    provider: p.provider,
    model: p.model,
    endpoint: p.endpoint,
    source: p.source,
    isDefault: p.name === defaultName,
  }));
}

/** A plain aligned table, default marked with `*`; ends with a newline. */
export function formatProfiles(rows: readonly ProfileRow[]): string {
  if (rows.length === 0) {
    return `No profiles. Add one to $XDG_CONFIG_HOME/parecode/config.toml (default ~/.config/parecode/config.toml), set one of ${ENV_KEY_VARS.join(", ")}, or start Ollama.\n`;
  }
  const header = ["", "NAME", "PROVIDER", "MODEL", "ENDPOINT", "SOURCE"];
  const body = rows.map((r) => [r.isDefault ? "*" : "", r.name, r.provider, r.model, r.endpoint, r.source]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((cells) => cells[i].length)));
  const lines = [header, ...body].map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}

export interface SetupHelpOptions {
  configExists?: boolean;
  /** A probe result: a running Ollama with no models gets its own advice. */
  ollama?: DetectOllamaResult | null;
}

/** The "nothing configured" message: every way to get going, each one complete. */
export function setupHelp(env: NodeJS.ProcessEnv = process.env, options: SetupHelpOptions = {}): string {
  const path = displayPath(configPath(env), env);
  const fileStep = options.configExists
    ? `Add a profile to ${path}, for example:`
    : `Create ${path} with a profile, for example:`;
  const ollama = options.ollama;
  const ollamaStep =
    ollama && ollama.models.length === 0
      ? `Ollama is running at ${ollama.baseUrl} but has no models: run  ollama pull qwen3:14b`
      : `Start Ollama for a local model:  ollama serve  and  ollama pull qwen3:14b\n     (looked for at ${ollamaBaseUrl(env.OLLAMA_HOST)}; set OLLAMA_HOST if it runs elsewhere)`;
  return [
    "No model provider is configured. Any one of these fixes it:",
    "",
    `  1. ${fileStep}`,
    "",
    '       default_profile = "claude"',
    "",
    "       [profiles.claude]",
    '       endpoint       = "https://api.anthropic.com/v1"',
    '       model          = "claude-sonnet-4-5"',
    "       context_tokens = 200000",
    '       api_key        = "sk-ant-..."',
    "",
    `  2. Set an API key in the environment: ${ENV_KEY_VARS.join(", ")}`,
    "     (e.g. export ANTHROPIC_API_KEY=sk-ant-...)",
    "",
    `  3. ${ollamaStep}`,
  ].join("\n");
}

/** Config profiles, then env-key profiles whose names the config does not already use. */
export function knownProfiles(config: ResolvedConfig, env: NodeJS.ProcessEnv): Profile[] {
  const names = new Set(config.profiles.map((p) => p.name));
  return [...config.profiles, ...envProfiles(env).filter((p) => !names.has(p.name))];
}

function unknownProfile(name: string, available: Profile[], config: ResolvedConfig, env: NodeJS.ProcessEnv) {
  const path = displayPath(config.path, env);
  if (available.length === 0) {
    return new ConfigError(
      `There is no profile "${name}" (there are no profiles at all).\n\n${setupHelp(env, { configExists: config.exists })}`,
    );
  }
  const list = available.map((p) => `  ${p.name}  (${p.provider}, ${p.model}; from ${sourceLabel(p, path)})`);
  return new ConfigError(
    [
      `There is no profile "${name}". Available profiles:`,
      ...list,
      `Use --profile with one of these, or add [profiles.${name}] to ${path}.`,
    ].join("\n"),
  );
}

function sourceLabel(profile: Profile, path: string): string {
  if (profile.source === "config") return path;
  if (profile.source === "env") return `$${profile.apiKeyEnv ?? "env"}`;
  return "a running Ollama";
}

/**
 * Hosted APIs always need a key; an OpenAI-compatible server may be a local one that does
 * not, unless it is api.openai.com itself.
 */
const KEY_REQUIRED: readonly ProviderKind[] = ["anthropic", "openrouter", "gemini"];

/** Throws a ConfigError naming the variable to set when `profile` needs a key it does not have. */
export function requireKey(profile: Profile, config: ResolvedConfig, env: NodeJS.ProcessEnv): void {
  if (profile.apiKey) return;
  const path = displayPath(config.path, env);
  if (profile.apiKeyEnv) {
    throw new ConfigError(
      `Profile "${profile.name}" reads its API key from $${profile.apiKeyEnv} (api_key_env in ${path}), but ${profile.apiKeyEnv} is not set. Run  export ${profile.apiKeyEnv}=...  or put the key in api_key.`,
      { file: config.path, key: `profiles.${profile.name}.api_key_env` },
    );
  }
  const suggested = vendorKeyVar(profile.endpoint);
  if (!KEY_REQUIRED.includes(profile.provider) && suggested === undefined) return;
  const viaEnv = suggested ? `, set ${suggested}, ` : " ";
  throw new ConfigError(
    `Profile "${profile.name}" (${profile.provider}) has no API key. Add api_key = "..." or api_key_env = "VAR" under [profiles.${profile.name}] in ${path}${viaEnv}or choose another profile with --profile.`,
    { file: config.path, key: `profiles.${profile.name}.api_key` },
  );
}

function ollamaNotice(profile: Profile, detected: DetectOllamaResult): string {
  const others = detected.models.filter((m) => m !== profile.model);
  const installed = detected.models.includes(profile.model)
    ? ""
    : ` ${profile.model} is not installed there: run  ollama pull ${profile.model}.`;
  const choice = others.length > 0 ? ` Also installed: ${others.join(", ")} (choose one with --model NAME).` : "";
  return `Using Ollama at ${detected.baseUrl} with ${profile.model} (profile "${OLLAMA_PROFILE_NAME}").${installed}${choice}`;
}
