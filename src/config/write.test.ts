import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../core/errors.js";
import { loadConfig } from "./load.js";
import { configPath } from "./paths.js";
import { appendProfile, profileBlock, writeConfigFile } from "./write.js";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "parecode-write-"));
  roots.push(root);
  return root;
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("writeConfigFile", () => {
  it("creates the directory 0700 and the file 0600, leaving no temp file", async () => {
    const root = await tempRoot();
    const path = configPath({ HOME: root, XDG_CONFIG_HOME: join(root, "cfg") });
    await writeConfigFile(path, 'default_profile = "x"\n');
    expect(await readFile(path, "utf8")).toBe('default_profile = "x"\n');
    expect(await mode(path)).toBe(0o600);
    expect(await mode(join(root, "cfg", "parecode"))).toBe(0o700);
    expect(await readdir(join(root, "cfg", "parecode"))).toEqual(["config.toml"]);
  });

  it("tightens an existing world-readable file to 0600", async () => {
    const path = join(await tempRoot(), "config.toml");
    await writeFile(path, "old\n");
    await chmod(path, 0o644);
    await writeConfigFile(path, "new\n");
    expect(await mode(path)).toBe(0o600);
    expect(await readFile(path, "utf8")).toBe("new\n");
  });

  it("writes through a symlink instead of replacing it", async () => {
    const root = await tempRoot();
    await writeFile(join(root, "real.toml"), "old\n");
    await symlink(join(root, "real.toml"), join(root, "config.toml"));
    await writeConfigFile(join(root, "config.toml"), "new\n");
    expect(await readFile(join(root, "real.toml"), "utf8")).toBe("new\n");
  });
});

describe("appendProfile", () => {
  it("appends a block and keeps existing comments and layout byte for byte", async () => {
    const root = await tempRoot();
    const env = { HOME: root, XDG_CONFIG_HOME: join(root, "cfg") };
    const path = configPath(env);
    const original = `# my settings — keep this comment\ndefault_profile = "local"   # aligned\n\n[profiles.local]\nendpoint = "http://localhost:11434"\nmodel    = "qwen3:14b"`;
    await writeConfigFile(path, original);
    await chmod(path, 0o644);
    await appendProfile(path, "claude", {
      endpoint: "https://api.anthropic.com/v1",
      model: "claude-sonnet-4-5",
      contextTokens: 200_000,
      apiKey: 'sk-"quoted"\\back\nline',
    });
    const text = await readFile(path, "utf8");
    expect(text.startsWith(`${original}\n\n[profiles.claude]\n`)).toBe(true);
    expect(await mode(path)).toBe(0o600);
    const config = await loadConfig(env);
    expect(config.profiles.map((p) => p.name)).toEqual(["local", "claude"]);
    expect(config.profiles[1]).toMatchObject({ contextTokens: 200_000, apiKey: 'sk-"quoted"\\back\nline' });
  });

  it("creates the file when it does not exist", async () => {
    const path = join(await tempRoot(), "nested", "config.toml");
    await appendProfile(path, "my box", { endpoint: "http://gpu:8000/v1", model: "m", provider: "openai" });
    expect(await readFile(path, "utf8")).toBe(
      '[profiles."my box"]\nprovider = "openai"\nendpoint = "http://gpu:8000/v1"\nmodel    = "m"\n',
    );
    expect(await mode(path)).toBe(0o600);
  });

  it("refuses to add a profile that exists, or to append to a broken file", async () => {
    const path = join(await tempRoot(), "config.toml");
    await writeFile(path, `[profiles.a]\nendpoint = "http://x:1"\nmodel = "m"\n`);
    await expect(appendProfile(path, "a", { endpoint: "http://y:1", model: "n" })).rejects.toThrow(
      /already has \[profiles\.a\]/,
    );
    await writeFile(path, "[profiles.a\n");
    const err = await appendProfile(path, "b", { endpoint: "http://y:1", model: "n" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).line).toBe(1);
    expect(await readFile(path, "utf8")).toBe("[profiles.a\n");
  });
});

describe("profileBlock", () => {
  it("escapes strings so any value round-trips through a TOML parser", () => {
    const nasty = 'a"b\\c\td\u0001e\u007ff — ü 😀';
    const block = profileBlock("x.y", { endpoint: "http://h:1", model: nasty, costPerMtokInput: 0.25 });
    const parsed = parse(block) as { profiles: Record<string, { model: string; cost_per_mtok_input: number }> };
    expect(parsed.profiles["x.y"].model).toBe(nasty);
    expect(parsed.profiles["x.y"].cost_per_mtok_input).toBe(0.25);
  });
});
