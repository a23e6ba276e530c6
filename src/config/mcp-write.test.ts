import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../core/errors.js";
import { appendMcpServer, mcpServerBlock, removeMcpServer } from "./mcp-write.js";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "parecode-mcp-write-"));
  file = join(dir, "config.toml");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const START = `# my config
default_profile = "local"

[profiles.local] # the laptop
endpoint = "http://localhost:11434"
model = "qwen3:14b"
`;

describe("mcpServerBlock", () => {
  it("writes every field, quoting what needs quoting", () => {
    expect(
      mcpServerBlock({
        name: "gh",
        profile: "my box",
        command: ["npx", "-y", 'weird "pkg"'],
        env: { GITHUB_TOKEN: "ghp_x", "odd key": "v" },
        scope: ["backend"],
        timeout: 20,
      }),
    ).toBe(`[[profiles."my box".mcp_servers]]
name = "gh"
command = ["npx", "-y", "weird \\"pkg\\""]
env = { GITHUB_TOKEN = "ghp_x", "odd key" = "v" }
scope = ["backend"]
timeout = 20
`);
  });
});

describe("appendMcpServer", () => {
  it("appends a global block, keeping the file byte for byte, with mode 0600", async () => {
    await writeFile(file, START, { mode: 0o644 });
    await appendMcpServer(file, { name: "everything", command: ["node", "/x/index.js", "stdio"] });
    expect(await readFile(file, "utf8")).toBe(
      `${START}\n[[mcp_servers]]\nname = "everything"\ncommand = ["node", "/x/index.js", "stdio"]\n`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("creates the file, and appends to a profile that exists", async () => {
    await appendMcpServer(file, {
      name: "docs",
      url: "https://example.com/mcp",
      headers: { Authorization: "Bearer t" },
    });
    expect(await readFile(file, "utf8")).toBe(
      '[[mcp_servers]]\nname = "docs"\nurl = "https://example.com/mcp"\nheaders = { Authorization = "Bearer t" }\n',
    );
    await writeFile(file, START);
    await appendMcpServer(file, { name: "fs", profile: "local", command: ["mcp-fs", "."] });
    expect(await readFile(file, "utf8")).toContain('\n[[profiles.local.mcp_servers]]\nname = "fs"\n');
  });

  it("refuses a taken name, an unknown profile and a bad name, writing nothing", async () => {
    await writeFile(file, `${START}\n[[mcp_servers]]\nname = "fs"\ncommand = ["x"]\n`);
    const before = await readFile(file, "utf8");
    await expect(appendMcpServer(file, { name: "fs", command: ["y"] })).rejects.toThrow(
      /already has an MCP server named fs in \[\[mcp_servers\]\]\. Remove it first with parecode mcp remove fs/,
    );
    await expect(appendMcpServer(file, { name: "x", profile: "work", command: ["y"] })).rejects.toThrow(
      /has no \[profiles\.work\]\. The profiles are: local\./,
    );
    await expect(appendMcpServer(file, { name: "a b", command: ["y"] })).rejects.toBeInstanceOf(ConfigError);
    expect(await readFile(file, "utf8")).toBe(before);
  });
});

describe("removeMcpServer", () => {
  const FULL = `${START}
# search, needs a key
[[profiles.local.mcp_servers]]
name = "brave"
command = ["npx", "-y", "@modelcontextprotocol/server-brave-search"]
[profiles.local.mcp_servers.env]
BRAVE_API_KEY = "BSA..."

# fetch pages
[[profiles.local.mcp_servers]]
name = "fetch"
command = ["uvx", "mcp-server-fetch"]

[[mcp_servers]]
name = "docs"
url = "https://example.com/mcp"
`;

  it("cuts exactly one block with its sub-tables, keeping comments and the rest", async () => {
    await writeFile(file, FULL);
    expect(await removeMcpServer(file, "brave", undefined)).toBe("local");
    expect(await readFile(file, "utf8")).toBe(`${START}
# search, needs a key

# fetch pages
[[profiles.local.mcp_servers]]
name = "fetch"
command = ["uvx", "mcp-server-fetch"]

[[mcp_servers]]
name = "docs"
url = "https://example.com/mcp"
`);
    expect(await removeMcpServer(file, "docs", undefined)).toBe("global");
    expect(await readFile(file, "utf8")).toBe(`${START}
# search, needs a key

# fetch pages
[[profiles.local.mcp_servers]]
name = "fetch"
command = ["uvx", "mcp-server-fetch"]
`);
  });

  it("asks which one when a name is in two places, and names the fix for an unknown one", async () => {
    await writeFile(file, `${FULL}\n[[mcp_servers]]\nname = "fetch"\ncommand = ["other"]\n`);
    await expect(removeMcpServer(file, "fetch", undefined)).rejects.toThrow(
      /MCP server fetch is defined in \[\[mcp_servers\]\] and \[\[profiles\.local\.mcp_servers\]\]; say which one with --profile NAME/,
    );
    expect(await removeMcpServer(file, "fetch", "local")).toBe("local");
    expect(await readFile(file, "utf8")).toMatch(/name = "fetch"\ncommand = \["other"\]\n$/);
    await expect(removeMcpServer(file, "nope", undefined)).rejects.toThrow(
      /has no MCP server named nope\. parecode mcp list shows the configured servers/,
    );
  });

  it("refuses, writing nothing, when a cut would change anything else", async () => {
    // A multi-line string whose lines look like a header confuses the line cut; the check catches it.
    const tricky = `[[mcp_servers]]\nname = "a"\ncommand = ["x"]\nnote = """\n[other]\nkey = 1\n"""\n\n[other]\nkey = 2\n`;
    await writeFile(file, tricky);
    await expect(removeMcpServer(file, "a", undefined)).rejects.toThrow(
      /config\.toml:1: could not remove MCP server a without touching anything else; delete its \[\[mcp_servers\]\] block by hand/,
    );
    expect(await readFile(file, "utf8")).toBe(tricky);
  });
});
