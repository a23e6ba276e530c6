/**
 * Reads config.toml into a ResolvedConfig. The only place that parses the TOML and maps
 * snake_case keys to the camelCase types. Every problem becomes a ConfigError that names
 * the file, the line and the key, and says what to write instead: a config mistake must
 * never surface as a stack trace or as a confusing failure later in a provider call.
 */

import { readFile, stat } from "node:fs/promises";
import { parse, TomlError } from "smol-toml";
import { ConfigError } from "../core/errors.js";
import { Checker, describe, isHttpUrl, isTable, type Locate, whereIs } from "./config-checker.js";
import { envProfiles, vendorKeyVar } from "./env.js";
import { inferProvider, isProviderKind, PROVIDER_KINDS } from "./infer-provider.js";
import { describeUnknownKey, unknownKeys } from "./known-keys.js";
import { configPath, displayPath } from "./paths.js";
import { mergeConfigTables, projectLayer, readProjectConfigFile, setByOverlay } from "./project-config.js";
import { locateKeys } from "./toml-locate.js";
import { tomlKey } from "./toml-text.js";
import {
  DEFAULT_SETTINGS,
  MODEL_ROUTES,
  type ModelQuirks,
  type ModelRoute,
  type Profile,
  type ResolvedConfig,
  type Settings,
} from "./types.js";

export const DEFAULT_CONTEXT_TOKENS = 32_768;

type Table = Record<string, unknown>;

export interface ParseConfigOptions {
  /** Absolute path of the file (for ConfigError.file and the message). */
  path: string;
  /** For `api_key_env` lookups and the `~` in messages. */
  env?: NodeJS.ProcessEnv;
}

export interface LoadConfigOptions {
  /**
   * Lay this project's `.parecode/config.toml` over the user's file. `trusted`: the user
   * trusts the folder, so settings that could run commands or loosen rules apply too.
   */
  project?: { root: string; trusted: boolean };
}

/**
 * Missing file → `exists: false` and no profiles; unreadable or invalid → ConfigError.
 * Unknown keys and project settings held back for lack of trust become `warnings`.
 */
export async function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Promise<ResolvedConfig> {
  const path = configPath(env);
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") {
      throw new ConfigError(
        `${displayPath(path, env)}: cannot read the config file (${code ?? String(err)}). Check that it is a readable file, or set XDG_CONFIG_HOME / PARECODE_HOME to use another one.`,
        { file: path },
      );
    }
  }
  const project = options.project ? await readProjectConfigFile(options.project.root) : null;
  if (text === undefined && !project) {
    return { path, exists: false, profiles: [], settings: { ...DEFAULT_SETTINGS }, raw: {} };
  }
  const user: ConfigSource = { file: path, shown: displayPath(path, env), text: text ?? "" };
  const config = project
    ? parseLayeredConfig(user, { file: project.file, shown: project.shown, text: project.text }, options, env)
    : parseConfig(user.text, { path, env });
  config.exists = text !== undefined;
  const warning = await keyFileWarning(config, env);
  if (warning) config.warnings = [...(config.warnings ?? []), warning];
  return config;
}

interface ConfigSource {
  file: string;
  shown: string;
  text: string;
}

/** The user's file with the project's layered over it; errors and warnings name the file a key came from. */
function parseLayeredConfig(
  user: ConfigSource,
  project: ConfigSource,
  options: LoadConfigOptions,
  env: NodeJS.ProcessEnv,
): ResolvedConfig {
  const userRaw = parseToml(user.text, user.file, user.shown);
  const projectRaw = parseToml(project.text, project.file, project.shown);
  const layer = projectLayer(projectRaw, userRaw, options.project?.trusted === true);
  const userLines = locateKeys(user.text);
  const projectLines = locateKeys(project.text);
  const locate: Locate = (keyPath) =>
    setByOverlay(layer.overlay, keyPath)
      ? { file: project.file, shown: project.shown, line: projectLines.lineOf(keyPath) }
      : { file: user.file, shown: user.shown, line: userLines.lineOf(keyPath) };
  const config = buildConfig(mergeConfigTables(userRaw, layer.overlay), user.file, locate, env);
  const warnings = [
    ...unknownKeys(userRaw).map((entry) =>
      describeUnknownKey(entry, whereIs(user.shown, userLines.lineOf(entry.path))),
    ),
    ...unknownKeys(projectRaw).map((entry) =>
      describeUnknownKey(entry, whereIs(project.shown, projectLines.lineOf(entry.path))),
    ),
  ];
  if (layer.ignored.length > 0) {
    warnings.push(
      `${project.shown} sets ${layer.ignored.join(", ")}: ignored until you trust this folder (run once with --trust-project).`,
    );
  }
  config.warnings = warnings.length > 0 ? warnings : undefined;
  return config;
}

/**
 * A config file holding an API key must be private: readable or writable by the group or
 * others, it lends the key to every account on the machine (or lets one swap the endpoint).
 */
async function keyFileWarning(config: ResolvedConfig, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  // Windows has no mode bits to speak of; its ACLs are out of reach here.
  if (process.platform === "win32") return undefined;
  if (!config.profiles.some((profile) => typeof profile.raw?.api_key === "string")) return undefined;
  const mode = await stat(config.path).then(
    (stats) => stats.mode & 0o777,
    () => undefined,
  );
  if (mode === undefined || (mode & 0o077) === 0) return undefined;
  const shown = displayPath(config.path, env);
  const how = mode & 0o044 ? "readable" : "writable";
  return `${shown} holds an API key and is ${how} by others: chmod 600 ${shown}`;
}

/** The pure half of loadConfig: text in, validated config out (unknown keys as `warnings`). */
export function parseConfig(text: string, options: ParseConfigOptions): ResolvedConfig {
  const env = options.env ?? process.env;
  const shown = displayPath(options.path, env);
  const raw = parseToml(text, options.path, shown);
  const lines = locateKeys(text);
  const config = buildConfig(
    raw,
    options.path,
    (keyPath) => ({ file: options.path, shown, line: lines.lineOf(keyPath) }),
    env,
  );
  const warnings = unknownKeys(raw).map((entry) => describeUnknownKey(entry, whereIs(shown, lines.lineOf(entry.path))));
  if (warnings.length > 0) config.warnings = warnings;
  return config;
}

function buildConfig(raw: Table, path: string, locate: Locate, env: NodeJS.ProcessEnv): ResolvedConfig {
  const check: Checker = new Checker(locate);
  const profiles = readProfiles(raw, check, env);
  const settings = readSettings(raw, check);
  const defaultProfile = check.optString(raw, [], "default_profile", 'default_profile = "local"');
  if (defaultProfile !== undefined) {
    const known = [...profiles.map((p) => p.name), ...envProfiles(env).map((p) => p.name)];
    if (!known.includes(defaultProfile)) {
      const listed =
        known.length > 0 ? `The profiles are: ${[...new Set(known)].join(", ")}.` : "There are no profiles.";
      check.fail(
        ["default_profile"],
        `names "${defaultProfile}", but there is no [profiles.${tomlKey(defaultProfile)}]. ${listed} Change default_profile to one of them or add that profile`,
      );
    }
  }
  return { path, exists: true, defaultProfile, profiles, settings, raw };
}

/** smol-toml's parse, with a syntax error turned into a ConfigError at file:line:column. */
export function parseToml(text: string, path: string, shown: string = path): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = err.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
    throw new ConfigError(
      `${shown}:${err.line}:${err.column}: not valid TOML: ${reason}\n${err.codeblock.trimEnd()}\nFix the syntax on that line (strings need quotes, e.g. model = "qwen3:14b"; tables look like [profiles.local]).`,
      { file: path, line: err.line },
    );
  }
}

function readSettings(raw: Table, check: Checker): Settings {
  const retries = check.optInt(raw, [], "provider_max_retries", 0, "provider_max_retries = 3");
  const stall = check.optNumber(raw, [], "provider_stall_timeout", "provider_stall_timeout = 60", {
    positive: true,
  });
  const callTimeout = check.optNumber(raw, [], "provider_call_timeout", "provider_call_timeout = 600", {
    positive: true,
  });
  const iterations = check.optInt(raw, [], "max_iterations", 1, "max_iterations = 40");
  const bashMax = check.optInt(raw, [], "bash_max_timeout", 1, "bash_max_timeout = 600");
  const sandbox = check.optString(raw, [], "sandbox", 'sandbox = "auto"');
  if (sandbox !== undefined && sandbox !== "auto" && sandbox !== "off") {
    check.fail(["sandbox"], `must be "auto" or "off" (got ${describe(sandbox)}); write it like sandbox = "auto"`);
  }
  const network = check.optBool(raw, [], "sandbox_network", "sandbox_network = false");
  const checkpoints = check.optString(raw, [], "checkpoints", 'checkpoints = "auto"');
  if (checkpoints !== undefined && !["auto", "files", "off"].includes(checkpoints)) {
    check.fail(
      ["checkpoints"],
      `must be "auto", "files" or "off" (got ${describe(checkpoints)}); write it like checkpoints = "auto"`,
    );
  }
  const parallel = check.optInt(raw, [], "parallel_steps", 1, "parallel_steps = 2");
  const envAllow = raw.env_allow;
  if (envAllow !== undefined && (!Array.isArray(envAllow) || !envAllow.every((v) => typeof v === "string"))) {
    check.fail(["env_allow"], 'must be a list of variable names, like env_allow = ["GITHUB_TOKEN"]');
  }
  return {
    providerMaxRetries: retries ?? DEFAULT_SETTINGS.providerMaxRetries,
    providerStallTimeoutMs: stall === undefined ? DEFAULT_SETTINGS.providerStallTimeoutMs : Math.round(stall * 1000),
    providerCallTimeoutMs:
      callTimeout === undefined ? DEFAULT_SETTINGS.providerCallTimeoutMs : Math.round(callTimeout * 1000),
    maxIterations: iterations ?? DEFAULT_SETTINGS.maxIterations,
    bashMaxTimeoutSeconds: bashMax ?? DEFAULT_SETTINGS.bashMaxTimeoutSeconds,
    sandbox: (sandbox as Settings["sandbox"] | undefined) ?? DEFAULT_SETTINGS.sandbox,
    sandboxNetwork: network ?? DEFAULT_SETTINGS.sandboxNetwork,
    envAllow: (envAllow as string[] | undefined) ?? [],
    checkpoints: (checkpoints as Settings["checkpoints"] | undefined) ?? DEFAULT_SETTINGS.checkpoints,
    parallelSteps: parallel ?? DEFAULT_SETTINGS.parallelSteps,
  };
}

function readProfiles(raw: Table, check: Checker, env: NodeJS.ProcessEnv): Profile[] {
  const section = raw.profiles;
  if (section === undefined) return [];
  if (!isTable(section)) {
    check.fail(["profiles"], `must be a set of tables like [profiles.local] (got ${describe(section)})`);
  }
  return Object.entries(section).map(([name, table]) => {
    const at = ["profiles", name];
    if (!isTable(table)) {
      check.fail(at, `must be a table: write [profiles.${tomlKey(name)}] followed by endpoint = ... and model = ...`);
    }
    return readProfile(name, table, check, env);
  });
}

function readProfile(name: string, table: Table, check: Checker, env: NodeJS.ProcessEnv): Profile {
  const at = ["profiles", name];
  const header = `[profiles.${tomlKey(name)}]`;
  const provider = table.provider;
  if (provider !== undefined && !isProviderKind(provider)) {
    check.fail(
      [...at, "provider"],
      `must be one of ${PROVIDER_KINDS.join(", ")} (got ${describe(provider)}); or remove it and parecode infers the provider from the endpoint`,
    );
  }
  const endpoint = check.requiredString(
    table,
    at,
    "endpoint",
    `endpoint = "https://api.openai.com/v1" under ${header}`,
  );
  if (!isHttpUrl(endpoint)) {
    check.fail(
      [...at, "endpoint"],
      `must be an http:// or https:// URL (got ${describe(endpoint)}); write it like endpoint = "http://localhost:11434"`,
    );
  }
  const model = check.requiredString(table, at, "model", `model = "qwen3:14b" under ${header}`);
  const apiKeyEnv = check.optString(table, at, "api_key_env", 'api_key_env = "OPENAI_API_KEY"');
  if (apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) {
    check.fail(
      [...at, "api_key_env"],
      `must be the name of an environment variable (got ${describe(apiKeyEnv)}); write it like api_key_env = "OPENAI_API_KEY", or put the key itself in api_key`,
    );
  }
  let apiKey = check.optString(table, at, "api_key", 'api_key = "sk-..."');
  if (apiKey !== undefined && apiKeyEnv !== undefined) {
    check.fail([...at, "api_key_env"], "is set together with api_key; keep only one of them");
  }
  if (apiKeyEnv !== undefined) apiKey = env[apiKeyEnv] || undefined;
  const vendorVar = apiKey === undefined && apiKeyEnv === undefined ? vendorKeyVar(endpoint) : undefined;
  if (vendorVar !== undefined && env[vendorVar]) apiKey = env[vendorVar];
  const profile: Profile = {
    name,
    provider: inferProvider(endpoint, provider),
    endpoint,
    model,
    contextTokens: check.optInt(table, at, "context_tokens", 1, "context_tokens = 32768") ?? DEFAULT_CONTEXT_TOKENS,
    source: "config",
    raw: table,
  };
  if (apiKey !== undefined) profile.apiKey = apiKey;
  const keyVar = apiKeyEnv ?? (apiKey === undefined ? undefined : vendorVar);
  if (keyVar !== undefined) profile.apiKeyEnv = keyVar;
  const maxOutput = check.optInt(table, at, "max_output_tokens", 1, "max_output_tokens = 8192");
  if (maxOutput !== undefined) profile.maxOutputTokens = maxOutput;
  const planner = check.optString(table, at, "planner_model", 'planner_model = "claude-opus-4-6"');
  if (planner !== undefined) profile.plannerModel = planner;
  const costIn = check.optNumber(table, at, "cost_per_mtok_input", "cost_per_mtok_input = 3.0", { positive: false });
  if (costIn !== undefined) profile.costPerMtokInput = costIn;
  const costOut = check.optNumber(table, at, "cost_per_mtok_output", "cost_per_mtok_output = 15.0", {
    positive: false,
  });
  if (costOut !== undefined) profile.costPerMtokOutput = costOut;
  const autoCommit = check.optBool(table, at, "auto_commit", "auto_commit = true");
  if (autoCommit !== undefined) profile.autoCommit = autoCommit;
  const prefix = check.optString(table, at, "auto_commit_prefix", 'auto_commit_prefix = "parecode: "');
  if (prefix !== undefined) profile.autoCommitPrefix = prefix;
  const quirks = readQuirks(table.quirks, at, check);
  if (quirks) profile.quirks = quirks;
  const routes = readModelRoutes(table.model_routes, at, check);
  if (routes) profile.modelRoutes = routes;
  return profile;
}

function readModelRoutes(
  value: unknown,
  profilePath: string[],
  check: Checker,
): Partial<Record<ModelRoute, string>> | undefined {
  if (value === undefined) return undefined;
  const at = [...profilePath, "model_routes"];
  if (!isTable(value)) check.fail(at, `must be a table like [${at.join(".")}] (got ${describe(value)})`);
  const routes: Partial<Record<ModelRoute, string>> = {};
  for (const key of Object.keys(value)) {
    if (!(MODEL_ROUTES as readonly string[]).includes(key)) {
      check.fail([...at, key], `is not a route; the routes are ${MODEL_ROUTES.join(", ")}`);
    }
    const model = check.requiredString(value, at, key, `${key} = "model-name"`);
    routes[key as ModelRoute] = model;
  }
  return routes;
}

const QUIRK_KEYS = ["send_strict", "max_tokens_field", "developer_role", "stream_tool_calls", "stream_usage"] as const;

function readQuirks(value: unknown, profilePath: string[], check: Checker): Partial<ModelQuirks> | undefined {
  if (value === undefined) return undefined;
  const at = [...profilePath, "quirks"];
  if (!isTable(value)) check.fail(at, `must be a table like [${at.join(".")}] (got ${describe(value)})`);
  // Unlike elsewhere in a profile, an unknown quirk is almost certainly a typo worth reporting.
  for (const key of Object.keys(value)) {
    if (!(QUIRK_KEYS as readonly string[]).includes(key)) {
      check.fail([...at, key], `is not a known quirk; the quirks are ${QUIRK_KEYS.join(", ")}`);
    }
  }
  const quirks: Partial<ModelQuirks> = {};
  const bool = (key: string) => check.optBool(value, at, key, `${key} = false`);
  const field = value.max_tokens_field;
  if (field !== undefined) {
    if (field !== "max_tokens" && field !== "max_completion_tokens") {
      check.fail(
        [...at, "max_tokens_field"],
        `must be "max_tokens" or "max_completion_tokens" (got ${describe(field)}); write it like max_tokens_field = "max_completion_tokens"`,
      );
    }
    quirks.maxTokensField = field;
  }
  const sendStrict = bool("send_strict");
  if (sendStrict !== undefined) quirks.sendStrict = sendStrict;
  const developerRole = bool("developer_role");
  if (developerRole !== undefined) quirks.developerRole = developerRole;
  const streamToolCalls = bool("stream_tool_calls");
  if (streamToolCalls !== undefined) quirks.streamToolCalls = streamToolCalls;
  const streamUsage = bool("stream_usage");
  if (streamUsage !== undefined) quirks.streamUsage = streamUsage;
  return quirks;
}
