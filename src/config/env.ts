/**
 * Profiles made from API keys in the environment, so `export ANTHROPIC_API_KEY=...` is
 * enough to start without writing a config file. Listed in order of preference: when
 * several keys are set, the first one here is the default.
 */

import type { Profile, ProviderKind } from "./types.js";

interface EnvPreset {
  name: string;
  provider: ProviderKind;
  keyVar: string;
  /** An env var that replaces the endpoint (the SDKs' own convention), when set. */
  baseUrlVar?: string;
  endpoint: string;
  model: string;
  contextTokens: number;
}

/** The env-key presets, in preference order. Exported so help and setup text can list them. */
export const ENV_PRESETS: readonly EnvPreset[] = [
  {
    name: "anthropic",
    provider: "anthropic",
    keyVar: "ANTHROPIC_API_KEY",
    baseUrlVar: "ANTHROPIC_BASE_URL",
    endpoint: "https://api.anthropic.com/v1",
    model: "claude-sonnet-4-5",
    contextTokens: 200_000,
  },
  {
    name: "openai",
    provider: "openai",
    keyVar: "OPENAI_API_KEY",
    baseUrlVar: "OPENAI_BASE_URL",
    endpoint: "https://api.openai.com/v1",
    model: "gpt-4.1-mini",
    contextTokens: 128_000,
  },
  {
    name: "openrouter",
    provider: "openrouter",
    keyVar: "OPENROUTER_API_KEY",
    endpoint: "https://openrouter.ai/api/v1",
    model: "anthropic/claude-sonnet-4.5",
    contextTokens: 200_000,
  },
  {
    name: "gemini",
    provider: "gemini",
    keyVar: "GEMINI_API_KEY",
    endpoint: "https://generativelanguage.googleapis.com/v1beta/openai",
    model: "gemini-2.5-flash",
    contextTokens: 1_000_000,
  },
];

export const ENV_KEY_VARS: readonly string[] = ENV_PRESETS.map((preset) => preset.keyVar);

/** One profile per API key that is set (and not empty), in preference order. */
export function envProfiles(env: NodeJS.ProcessEnv = process.env): Profile[] {
  const profiles: Profile[] = [];
  for (const preset of ENV_PRESETS) {
    const apiKey = env[preset.keyVar]?.trim();
    if (!apiKey) continue;
    const baseUrl = preset.baseUrlVar ? env[preset.baseUrlVar]?.trim() : undefined;
    profiles.push({
      name: preset.name,
      // A base-URL override keeps the protocol the key's variable implies, whatever the host.
      provider: preset.provider,
      endpoint: baseUrl || preset.endpoint,
      model: preset.model,
      apiKey,
      apiKeyEnv: preset.keyVar,
      contextTokens: preset.contextTokens,
      source: "env",
    });
  }
  return profiles;
}

/**
 * The key variable for a profile that points at a vendor's own API but names no key, so
 * `[profiles.claude]` with just endpoint and model picks up ANTHROPIC_API_KEY. Matched on
 * the exact vendor host: a key must never be sent to some other server by accident.
 */
export function vendorKeyVar(endpoint: string): string | undefined {
  const host = hostOf(endpoint);
  if (host === undefined) return undefined;
  return ENV_PRESETS.find((preset) => hostOf(preset.endpoint) === host)?.keyVar;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
