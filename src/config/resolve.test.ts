import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../core/errors.js";
import type { DetectOllamaResult } from "./ollama-detect.js";
import { configPath } from "./paths.js";
import { formatProfiles, listProfiles, resolveProfile } from "./resolve.js";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

async function setup(text?: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const root = await mkdtemp(join(tmpdir(), "parecode-resolve-"));
  roots.push(root);
  const home = join(root, "home");
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...extra };
  if (text !== undefined) {
    await mkdir(dirname(configPath(env)), { recursive: true });
    await writeFile(configPath(env), text);
  }
  return env;
}

/** A fake probe that records whether it was asked. */
function fakeOllama(result: DetectOllamaResult | null) {
  const probe = async () => {
    probe.calls += 1;
    return result;
  };
  probe.calls = 0;
  return probe;
}

const noOllama = () => fakeOllama(null);
const OLLAMA = { baseUrl: "http://127.0.0.1:11434", models: ["llama3.2:3b", "qwen3:14b"] };

const TWO_PROFILES = `[profiles.fast]
endpoint = "http://localhost:8000/v1"
model = "small"

[profiles.big]
endpoint = "https://api.openai.com/v1"
model = "gpt-4.1"
api_key = "sk-file"
`;

async function resolveError(options: Parameters<typeof resolveProfile>[0]): Promise<ConfigError> {
  const err = await resolveProfile(options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe("resolveProfile", () => {
  it("uses the first config profile without probing Ollama", async () => {
    const env = await setup(TWO_PROFILES, { ANTHROPIC_API_KEY: "a" });
    const detect = noOllama();
    const { profile, available, config } = await resolveProfile({ env, detectOllama: detect });
    expect(profile.name).toBe("fast");
    expect(config.exists).toBe(true);
    expect(available.map((p) => p.name)).toEqual(["fast", "big", "anthropic"]);
    expect(detect.calls).toBe(0);
  });

  it("prefers default_profile, and --profile over both", async () => {
    const env = await setup(`default_profile = "big"\n${TWO_PROFILES}`, { OPENROUTER_API_KEY: "r" });
    expect((await resolveProfile({ env, detectOllama: noOllama() })).profile.name).toBe("big");
    const chosen = await resolveProfile({ env, profileName: "openrouter", detectOllama: noOllama() });
    expect(chosen.profile).toMatchObject({ name: "openrouter", source: "env", apiKey: "r" });
  });

  it("rejects an unknown --profile, listing what is available", async () => {
    const env = await setup(TWO_PROFILES, { GEMINI_API_KEY: "g" });
    const err = await resolveError({ env, profileName: "claude", detectOllama: fakeOllama(OLLAMA) });
    expect(err.message).toContain('There is no profile "claude". Available profiles:');
    for (const name of ["fast", "big", "gemini", "local"]) expect(err.message).toContain(`  ${name}  (`);
    expect(err.message).toContain("add [profiles.claude] to ~/.config/parecode/config.toml");
    expect(err.exitCode).toBe(2);
  });

  it("replaces the model for this run with --model", async () => {
    const env = await setup(TWO_PROFILES);
    const { profile, config } = await resolveProfile({ env, modelOverride: "tiny", detectOllama: noOllama() });
    expect(profile).toMatchObject({ name: "fast", model: "tiny" });
    expect(config.profiles[0].model).toBe("small");
  });

  it("falls back to env-key profiles in preference order", async () => {
    const env = await setup(undefined, { GEMINI_API_KEY: "g", OPENAI_API_KEY: "o", OPENROUTER_API_KEY: "r" });
    const { profile, available } = await resolveProfile({ env, detectOllama: noOllama() });
    expect(profile).toMatchObject({ name: "openai", source: "env", apiKey: "o" });
    expect(available.map((p) => p.name)).toEqual(["openai", "openrouter", "gemini"]);
  });

  it("falls back to a detected Ollama, offering the other models", async () => {
    const env = await setup(`# no profiles yet\n`);
    const { profile, notices } = await resolveProfile({ env, detectOllama: fakeOllama(OLLAMA) });
    expect(profile).toMatchObject({ name: "local", provider: "ollama", model: "qwen3:14b", source: "ollama" });
    expect(notices.join("\n")).toContain("Also installed: llama3.2:3b");
  });

  it("with nothing at all names every fix: config path, all four keys, Ollama", async () => {
    const env = await setup();
    const err = await resolveError({ env, detectOllama: noOllama() });
    for (const text of [
      "~/.config/parecode/config.toml",
      "[profiles.claude]",
      'endpoint       = "https://api.anthropic.com/v1"',
      "ANTHROPIC_API_KEY",
      "OPENAI_API_KEY",
      "OPENROUTER_API_KEY",
      "GEMINI_API_KEY",
      "ollama serve",
      "ollama pull qwen3:14b",
    ]) {
      expect(err.message).toContain(text);
    }
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("says when Ollama runs without models", async () => {
    const env = await setup();
    const err = await resolveError({
      env,
      detectOllama: fakeOllama({ baseUrl: "http://127.0.0.1:11434", models: [] }),
    });
    expect(err.message).toContain("Ollama is running at http://127.0.0.1:11434 but has no models");
  });

  it("names the unset variable of api_key_env, and a hosted profile with no key", async () => {
    const env = await setup(`[profiles.c]\nendpoint = "https://x.example"\nmodel = "m"\napi_key_env = "C_KEY"\n`);
    expect((await resolveError({ env, detectOllama: noOllama() })).message).toContain(
      "reads its API key from $C_KEY (api_key_env in ~/.config/parecode/config.toml), but C_KEY is not set",
    );
    const noKey = await setup(`[profiles.claude]\nendpoint = "https://api.anthropic.com/v1"\nmodel = "m"\n`);
    expect((await resolveError({ env: noKey, detectOllama: noOllama() })).message).toContain(
      'Profile "claude" (anthropic) has no API key',
    );
    const openai = await setup(`[profiles.gpt]\nendpoint = "https://api.openai.com/v1"\nmodel = "m"\n`);
    expect((await resolveError({ env: openai, detectOllama: noOllama() })).message).toContain("set OPENAI_API_KEY");
  });
});

describe("listProfiles and formatProfiles", () => {
  it("lists config, env and Ollama profiles, marks the default, never shows a key", async () => {
    const env = await setup(`default_profile = "big"\n${TWO_PROFILES}`, { ANTHROPIC_API_KEY: "sk-ant-secret" });
    const rows = await listProfiles({ env, detectOllama: fakeOllama(OLLAMA) });
    expect(rows.map((r) => [r.name, r.source, r.isDefault])).toEqual([
      ["fast", "config", false],
      ["big", "config", true],
      ["anthropic", "env", false],
      ["local", "ollama", false],
    ]);
    const table = formatProfiles(rows);
    expect(table).not.toContain("sk-");
    const lines = table.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {3}NAME +PROVIDER +MODEL +ENDPOINT +SOURCE$/);
    expect(lines[2]).toMatch(/^\* {2}big +openai +gpt-4\.1 +https:\/\/api\.openai\.com\/v1 +config$/);
    // Columns line up: every row's MODEL starts where the header's does.
    const modelColumn = lines[0].indexOf("MODEL");
    for (const [i, row] of rows.entries()) expect(lines[i + 1].indexOf(row.model)).toBe(modelColumn);
  });

  it("explains what to do when there are no profiles", () => {
    expect(formatProfiles([])).toContain("ANTHROPIC_API_KEY");
  });
});
