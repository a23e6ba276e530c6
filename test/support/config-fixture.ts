/** Builders for the config.toml files tests write into a temp home. */

export interface ProfileTomlOptions {
  provider: "openai" | "anthropic" | "ollama";
  endpoint: string;
  model?: string;
  contextTokens?: number;
}

/** A `[profiles.NAME]` block pointing at an endpoint (usually a scripted server's). */
export function profileToml(name: string, opts: ProfileTomlOptions): string {
  const key = /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
  const lines = [
    `[profiles.${key}]`,
    `provider = ${JSON.stringify(opts.provider)}`,
    `endpoint = ${JSON.stringify(opts.endpoint)}`,
    `model = ${JSON.stringify(opts.model ?? defaultModel(opts.provider))}`,
    `api_key = "test-key"`,
    `context_tokens = ${opts.contextTokens ?? 32_000}`,
  ];
  return `${lines.join("\n")}\n`;
}

function defaultModel(provider: ProfileTomlOptions["provider"]): string {
  if (provider === "anthropic") return "claude-sonnet-4-5";
  if (provider === "ollama") return "qwen3:14b";
  return "gpt-4.1-mini";
}
