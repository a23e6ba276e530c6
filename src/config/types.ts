/**
 * Resolved configuration: what the rest of parecode reads. The TOML file's snake_case
 * keys are mapped onto these camelCase fields by load.ts; nothing else parses TOML.
 */

/** The `provider` key of a profile. openrouter and gemini are OpenAI-compatible presets. */
export type ProviderKind = "openai" | "anthropic" | "ollama" | "openrouter" | "gemini";

/** The wire protocol a provider kind speaks. */
export type WireProtocol = "openai" | "anthropic" | "ollama";

/**
 * What OpenAI-compatible servers disagree on. Detected from the endpoint/model where
 * possible (see providers/quirks.ts), overridable per profile under `[profiles.NAME.quirks]`.
 */
export interface ModelQuirks {
  /** Send `strict: false|true` inside function definitions. Some servers reject the field. */
  sendStrict: boolean;
  /** Which field carries the output cap. OpenAI reasoning models require max_completion_tokens. */
  maxTokensField: "max_tokens" | "max_completion_tokens";
  /** Send the system prompt with role "developer" instead of "system". */
  developerRole: boolean;
  /** Tool calls survive streaming. When false, calls with tools are made without streaming. */
  streamToolCalls: boolean;
  /** Server accepts stream_options.include_usage. */
  streamUsage: boolean;
}

/**
 * The kinds of work a plan step (or a quick task) declares, each of which may run on its
 * own model through `[profiles.NAME.model_routes]`.
 */
export const MODEL_ROUTES = ["deep", "standard", "quick", "search"] as const;
export type ModelRoute = (typeof MODEL_ROUTES)[number];

export interface Profile {
  name: string;
  provider: ProviderKind;
  /** Base URL as the user wrote it (e.g. https://api.anthropic.com/v1, http://localhost:11434). */
  endpoint: string;
  model: string;
  /** Never logged, never written to sessions or telemetry. */
  apiKey?: string;
  /** `api_key_env`: the environment variable the key was read from (kept so errors can name it). */
  apiKeyEnv?: string;
  /** The model's context window as the user configured it (or detected). */
  contextTokens: number;
  plannerModel?: string;
  /** `[profiles.NAME.model_routes]`: the model for each kind of step; missing kinds use `model`. */
  modelRoutes?: Partial<Record<ModelRoute, string>>;
  /** USD per million input tokens; cost is unknown (null) when not set and not in the price table. */
  costPerMtokInput?: number;
  costPerMtokOutput?: number;
  /**
   * max_output_tokens: the reply cap sent with every request. Absent: the model's known
   * limit (providers/model-limits.ts) where there is one, else the server's default.
   */
  maxOutputTokens?: number;
  /** Per-profile overrides of detected quirks. */
  quirks?: Partial<ModelQuirks>;
  /** auto_commit: commit a finished task's own files on the current branch. Off by default. */
  autoCommit?: boolean;
  /** auto_commit_prefix: starts every auto-commit message (default "parecode: "). */
  autoCommitPrefix?: string;
  /** Where this profile came from: the config file, an environment key, or a detected Ollama. */
  source: "config" | "env" | "ollama";
  /**
   * The profile's TOML table as written, for features that read their own keys
   * (hooks, mcp_servers). Only set for config profiles.
   */
  raw?: Record<string, unknown>;
}

/** Settings that are not per-profile (top-level keys of config.toml). */
export interface Settings {
  /** provider_max_retries: retries on 429/5xx/network/stall before giving up. */
  providerMaxRetries: number;
  /** provider_stall_timeout (seconds in TOML): abort a stream that sends nothing for this long. */
  providerStallTimeoutMs: number;
  /**
   * provider_call_timeout (seconds in TOML): the most one attempt at a model call may take
   * from request to last byte, however steadily it trickles. Not retried when reached.
   */
  providerCallTimeoutMs: number;
  /** max_iterations: model calls one task may make before the guard stops it. */
  maxIterations: number;
  /** bash_max_timeout (seconds): the most a bash call may ask for with its `timeout` argument. */
  bashMaxTimeoutSeconds: number;
  /** sandbox: "auto" runs commands in the OS sandbox where one is available; "off" never does. */
  sandbox: "auto" | "off";
  /** sandbox_network: whether sandboxed commands may use the network. */
  sandboxNetwork: boolean;
  /** env_allow: secret-looking variables the user wants commands to keep (e.g. GITHUB_TOKEN). */
  envAllow: string[];
  /** checkpoints: "auto" (git in a repository, the snapshot store elsewhere), "files" (always the store), "off". */
  checkpoints: "auto" | "files" | "off";
  /** parallel_steps: plan steps that may run at once when they share no files and run no commands (1: one at a time). */
  parallelSteps: number;
}

export const DEFAULT_SETTINGS: Settings = {
  providerMaxRetries: 3,
  providerStallTimeoutMs: 60_000,
  providerCallTimeoutMs: 600_000,
  maxIterations: 40,
  bashMaxTimeoutSeconds: 600,
  sandbox: "auto",
  sandboxNetwork: true,
  envAllow: [],
  checkpoints: "auto",
  parallelSteps: 1,
};

export interface ResolvedConfig {
  /** The config file path (whether or not it exists). */
  path: string;
  exists: boolean;
  defaultProfile?: string;
  profiles: Profile[];
  settings: Settings;
  /** The whole parsed file, for later features with top-level tables of their own. Empty when missing. */
  raw?: Record<string, unknown>;
  /** Problems worth a line to the user that do not stop the run (e.g. a key file others can read). */
  warnings?: string[];
}
