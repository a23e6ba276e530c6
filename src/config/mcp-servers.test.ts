import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../core/errors.js";
import { loadConfig } from "./load.js";
import { DEFAULT_MCP_SETTINGS, readAllMcpServers, readMcpConfig } from "./mcp-servers.js";
import { configPath } from "./paths.js";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

const PROFILE = '[profiles.local]\nendpoint = "http://localhost:11434"\nmodel = "m"\n';

async function load(text: string) {
  const root = await mkdtemp(join(tmpdir(), "parecode-mcp-config-"));
  roots.push(root);
  const env = { HOME: root, XDG_CONFIG_HOME: join(root, ".config") };
  await mkdir(dirname(configPath(env)), { recursive: true });
  await writeFile(configPath(env), text);
  const config = await loadConfig(env);
  const profile = config.profiles.find((p) => p.name === "local");
  return { config, profile, env };
}

async function mcpError(text: string): Promise<string> {
  const { config, profile, env } = await load(text);
  try {
    readMcpConfig(config, profile, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("readMcpConfig", () => {
  it("reads the spec's profile block with its env sub-table, and global servers", async () => {
    const { config, profile, env } = await load(`${PROFILE}
[[profiles.local.mcp_servers]]
name    = "brave"
command = ["npx", "-y", "@modelcontextprotocol/server-brave-search"]
[profiles.local.mcp_servers.env]
BRAVE_API_KEY = "BSA-123"

[[profiles.local.mcp_servers]]
name = "fetch"
command = "uvx"
args = ["mcp-server-fetch"]
scope = ["docs", "frontend"]
timeout = 2.5

[[mcp_servers]]
name = "docs"
url = "https://example.com/mcp"
headers = { Authorization = "Bearer abc" }
enabled = false
`);
    const mcp = readMcpConfig(config, profile, env);
    expect(mcp.warnings).toEqual([]);
    expect(mcp.settings).toEqual(DEFAULT_MCP_SETTINGS);
    expect(mcp.servers).toEqual([
      {
        name: "docs",
        url: "https://example.com/mcp",
        env: {},
        headers: { Authorization: "Bearer abc" },
        enabled: false,
        startTimeoutMs: 10_000,
        origin: "global",
      },
      {
        name: "brave",
        command: ["npx", "-y", "@modelcontextprotocol/server-brave-search"],
        env: { BRAVE_API_KEY: "BSA-123" },
        headers: {},
        enabled: true,
        startTimeoutMs: 10_000,
        origin: "local",
      },
      {
        name: "fetch",
        command: ["uvx", "mcp-server-fetch"],
        env: {},
        headers: {},
        scope: ["docs", "frontend"],
        enabled: true,
        startTimeoutMs: 2500,
        origin: "local",
      },
    ]);
    // Without a profile only the global servers apply.
    expect(readMcpConfig(config, undefined, env).servers.map((s) => s.name)).toEqual(["docs"]);
    expect(readAllMcpServers(config, env).map((s) => `${s.origin}:${s.name}`)).toEqual([
      "global:docs",
      "local:brave",
      "local:fetch",
    ]);
  });

  it("lets a profile server replace a global one of the same name", async () => {
    const { config, profile, env } = await load(`${PROFILE}
[[mcp_servers]]
name = "git"
command = ["global-git"]

[[mcp_servers]]
name = "other"
command = ["other"]

[[profiles.local.mcp_servers]]
name = "git"
command = ["local-git"]
`);
    const servers = readMcpConfig(config, profile, env).servers;
    expect(servers.map((s) => [s.name, s.command?.[0], s.origin])).toEqual([
      ["git", "local-git", "local"],
      ["other", "other", "global"],
    ]);
  });

  it("reads the lazy-loading settings and rejects bad ones at their line", async () => {
    const { config, env } = await load('mcp_lazy = "always"\nmcp_schema_share = 0.25\nmcp_schema_max_tokens = 500\n');
    expect(readMcpConfig(config, undefined, env).settings).toEqual({
      lazy: "always",
      schemaShare: 0.25,
      schemaMaxTokens: 500,
    });
    expect(await mcpError('mcp_lazy = "sometimes"\n')).toMatch(
      /config\.toml:1: mcp_lazy must be "auto", "always" or "never" \(got "sometimes"\)/,
    );
    expect(await mcpError("\nmcp_schema_share = 10\n")).toMatch(/config\.toml:2: mcp_schema_share must be a number/);
  });

  it("names file, line and fix for each kind of mistake", async () => {
    const block = (body: string) =>
      `${PROFILE}\n[[profiles.local.mcp_servers]]\nname = "a"\ncommand = ["a"]\n\n[[profiles.local.mcp_servers]]\n${body}`;
    expect(await mcpError(block('command = ["x"]\n'))).toMatch(
      /config\.toml:9: profiles\.local\.mcp_servers\.name is missing; add name = "github"/,
    );
    expect(await mcpError(block('name = "a"\ncommand = ["x"]\n'))).toMatch(
      /config\.toml:10: profiles\.local\.mcp_servers\.name "a" is used by two \[\[profiles\.local\.mcp_servers\]\] blocks/,
    );
    expect(await mcpError(block('name = "my server"\ncommand = ["x"]\n'))).toMatch(
      /:10: .*name must use only letters, digits, "-" and "_" .*my_server__TOOL/,
    );
    expect(await mcpError(block('name = "a__b"\ncommand = ["x"]\n'))).toMatch(/no "__"/);
    expect(await mcpError(block('name = "b"\n'))).toMatch(
      /:9: profiles\.local\.mcp_servers \(server "b"\) needs command = \["program", "arg", \.\.\.\] to start it, or url/,
    );
    expect(await mcpError(block('name = "b"\ncommand = []\n'))).toMatch(
      /:11: .*command must be a non-empty list of strings/,
    );
    expect(await mcpError(block('name = "b"\ncommand = ["x"]\nurl = "http://h/mcp"\n'))).toMatch(
      /:12: .*url is set together with command/,
    );
    expect(await mcpError(block('name = "b"\nurl = "ftp://h"\n'))).toMatch(
      /:11: .*url must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(
      await mcpError(block('name = "b"\ncommand = ["x"]\n[profiles.local.mcp_servers.env]\nPORT = 3000\n')),
    ).toMatch(/:13: profiles\.local\.mcp_servers\.env\.PORT must be a string in quotes \(got 3000\)/);
    expect(await mcpError(block('name = "b"\ncommand = ["x"]\nheaders = { A = "b" }\n'))).toMatch(
      /:12: .*headers only apply to url servers/,
    );
    expect(await mcpError(block('name = "b"\ncommand = ["x"]\ntimeout = 0\n'))).toMatch(
      /:12: .*timeout must be a number of seconds above 0/,
    );
    expect(await mcpError(block('name = "b"\ncommand = ["x"]\nscope = "frontend"\n'))).toMatch(
      /:12: .*scope must be a list/,
    );
    expect(await mcpError(block('name = "b"\ncommand = ["x"]\nenabled = "no"\n'))).toMatch(
      /:12: .*enabled must be true or false/,
    );
    expect(await mcpError('mcp_servers = "brave"\n')).toMatch(
      /config\.toml:1: mcp_servers must be a list of server blocks/,
    );
  });

  it("warns about unknown keys with their line", async () => {
    const { config, env } = await load('[[mcp_servers]]\nname = "a"\ncommand = ["a"]\ncwd = "/tmp"\ntimout = 5\n');
    expect(readMcpConfig(config, undefined, env).warnings).toEqual([
      expect.stringMatching(/config\.toml:4: unknown key cwd in \[\[mcp_servers\]\] ignored; known: name, command/),
      expect.stringMatching(
        /config\.toml:5: unknown key timout in \[\[mcp_servers\]\] ignored; did you mean timeout\?/,
      ),
    ]);
  });
});
