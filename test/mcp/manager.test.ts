import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ToolContext } from "../../src/core/types.js";
import { type McpManager, startMcpServers } from "../../src/mcp/manager.js";
import type { McpTool } from "../../src/mcp/mcp-tool.js";
import { EVERYTHING, FAKE, FILESYSTEM, stdioServer } from "../support/mcp-servers.js";

const node = process.execPath;
let dir: string;
let manager: McpManager | undefined;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parecode-mcp-"));
});

afterEach(async () => {
  await manager?.close();
  manager = undefined;
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

function ctx(signal = new AbortController().signal, callId = "call_1"): ToolContext {
  return { signal, callId, turn: 1 };
}

function tool(name: string): McpTool {
  const found = manager?.tools().find((t) => t.name === name);
  if (!found)
    throw new Error(
      `no tool ${name}; have ${manager
        ?.tools()
        .map((t) => t.name)
        .join(", ")}`,
    );
  return found;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 5000; waited += 25) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("MCP manager against real servers", () => {
  it("lists and calls the tools of the everything and filesystem servers", async () => {
    const files = path.join(dir, "files");
    await mkdir(path.join(files, "sub"), { recursive: true });
    await writeFile(path.join(files, "notes.txt"), "first line\nsecond line\n");
    manager = await startMcpServers({
      servers: [stdioServer("everything", [node, EVERYTHING, "stdio"]), stdioServer("fs", [node, FILESYSTEM, files])],
    });
    expect(manager.warnings).toEqual([]);
    const names = manager.tools().map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["everything__echo", "everything__get-sum", "fs__read_file", "fs__list_directory"]),
    );
    expect(names.every((n) => /^[A-Za-z0-9_-]{1,64}$/.test(n))).toBe(true);
    expect(manager.servers().map((s) => [s.name, s.status, s.transport])).toEqual([
      ["everything", "ready", "stdio"],
      ["fs", "ready", "stdio"],
    ]);

    expect(await tool("everything__echo").execute({ message: "hello" }, ctx())).toEqual({
      content: "Echo: hello",
      display: "everything__echo: Echo: hello",
      isError: false,
    });
    expect((await tool("everything__get-sum").execute({ a: 2, b: 40 }, ctx())).content).toBe(
      "The sum of 2 and 40 is 42.",
    );
    // Read-only tools are marked so; everything else may change things.
    expect(tool("everything__echo").mutates).toBe(false);
    expect(tool("fs__write_file").mutates).toBe(true);

    const read = await tool("fs__read_file").execute({ path: path.join(files, "notes.txt") }, ctx());
    expect(read).toMatchObject({ content: "first line\nsecond line", isError: false });
    const listing = await tool("fs__list_directory").execute({ path: files }, ctx());
    expect(listing.content).toContain("[FILE] notes.txt");
    expect(listing.content).toContain("[DIR] sub");
    const outside = await tool("fs__read_text_file").execute({ path: "/etc/hostname" }, ctx());
    expect(outside.isError).toBe(true);
    expect(outside.content).toMatch(/^error from fs__read_text_file: .*outside allowed directories/i);
  });

  it("maps images to a note and embedded text resources to their text", async () => {
    manager = await startMcpServers({ servers: [stdioServer("everything", [node, EVERYTHING, "stdio"])] });
    const image = await tool("everything__get-tiny-image").execute({}, ctx());
    expect(image.content).toMatch(/\[image image\/png, [\d.]+ KB: not shown to the model\]/);
    expect(image.content).not.toMatch(/iVBOR/);
    const resource = await tool("everything__get-resource-reference").execute(
      { resourceType: "Text", resourceId: 2 },
      ctx(),
    );
    expect(resource.content).toMatch(
      /\[resource demo:\/\/resource\/dynamic\/text\/2\]\nResource 2: This is a plaintext resource/,
    );
  });

  it("skips a server whose command does not exist and one that exits, with a warning each, and runs the rest", async () => {
    manager = await startMcpServers({
      servers: [
        stdioServer("everything", [node, EVERYTHING, "stdio"]),
        stdioServer("missing", ["parecode-no-such-mcp-server"]),
        stdioServer("broken", [node, FAKE, "--exit"]),
      ],
      logDir: path.join(dir, "logs"),
    });
    expect(manager.warnings).toEqual([
      "MCP server missing skipped: command not found: parecode-no-such-mcp-server (install it, or fix command in config.toml)",
      "MCP server broken skipped: the server exited before it finished starting (see parecode mcp logs broken)",
    ]);
    expect(manager.servers().map((s) => s.status)).toEqual(["ready", "failed", "failed"]);
    expect(manager.tools().every((t) => t.server === "everything")).toBe(true);
    expect((await tool("everything__echo").execute({ message: "still here" }, ctx())).content).toBe("Echo: still here");
    expect(manager.server("broken")?.log.tail()).toContain("fatal: cannot open the database");
  });

  it("skips a server that hangs on start once its timeout passes", async () => {
    manager = await startMcpServers({
      servers: [
        stdioServer("hangs", [node, FAKE, "--hang"], { startTimeoutMs: 1500 }),
        stdioServer("fake", [node, FAKE, "--tools", "2"]),
      ],
    });
    expect(manager.warnings).toEqual([
      "MCP server hangs skipped: no answer within 1.5 s; raise timeout in its config block if it is just slow",
    ]);
    expect(manager.servers().map((s) => [s.name, s.status, s.tools.length])).toEqual([
      ["hangs", "failed", 0],
      ["fake", "ready", 5],
    ]);
  });

  it("restarts a server killed mid-session on the next call, once; then reports it failed", async () => {
    manager = await startMcpServers({ servers: [stdioServer("fake", [node, FAKE, "--tools", "0"])] });
    const pidTool = tool("fake__pid");
    const first = Number((await pidTool.execute({}, ctx())).content);
    expect(first).toBe(manager.servers()[0].pid);

    process.kill(first, "SIGKILL");
    await until(() => manager?.servers()[0].status === "stopped", "the server to be seen stopping");
    const second = await pidTool.execute({}, ctx());
    expect(second.isError).toBe(false);
    expect(Number(second.content)).not.toBe(first);
    expect(manager.servers()[0].status).toBe("ready");

    process.kill(Number(second.content), "SIGKILL");
    await until(() => manager?.servers()[0].status === "stopped", "the second stop");
    const third = await pidTool.execute({}, ctx());
    expect(third.isError).toBe(true);
    expect(third.content).toMatch(
      /MCP server fake is not running \(stopped again after a restart\); its tools cannot be used/,
    );
    expect(manager.servers()[0].status).toBe("failed");
  });

  it("restarts once for calls that arrive together after the server stopped", async () => {
    manager = await startMcpServers({ servers: [stdioServer("fake", [node, FAKE, "--tools", "0"])] });
    const first = Number((await tool("fake__pid").execute({}, ctx())).content);
    process.kill(first, "SIGKILL");
    await until(() => manager?.servers()[0].status === "stopped", "the server to be seen stopping");
    const results = await Promise.all([1, 2, 3].map(() => tool("fake__pid").execute({}, ctx())));
    expect(results.map((r) => r.isError)).toEqual([false, false, false]);
    const pids = new Set(results.map((r) => r.content));
    expect(pids.size).toBe(1);
    expect(pids.has(String(first))).toBe(false);
  });

  it("says when a server dies during a call, and restarts it for the next", async () => {
    manager = await startMcpServers({ servers: [stdioServer("fake", [node, FAKE, "--tools", "1"])] });
    const crashed = await tool("fake__crash").execute({}, ctx());
    expect(crashed.isError).toBe(true);
    expect(crashed.content).toMatch(
      /MCP server fake stopped during the call to crash .*it will be restarted on the next call/,
    );
    const after = await tool("fake__create_issue").execute({ owner: "o", repo: "r", title: "t" }, ctx());
    expect(after).toMatchObject({
      isError: false,
      content: 'create_issue called with {"owner":"o","repo":"r","title":"t"}',
    });
  });

  it("cancels a call through its AbortSignal and keeps the server", async () => {
    manager = await startMcpServers({ servers: [stdioServer("fake", [node, FAKE, "--tools", "0"])] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const cancelled = await tool("fake__wait").execute({}, ctx(controller.signal));
    expect(cancelled).toMatchObject({ isError: true, content: "wait on MCP server fake was cancelled" });
    expect((await tool("fake__pid").execute({}, ctx())).isError).toBe(false);
  });

  it("gives children only the environment allowlist plus their configured env", async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      LANG: "C.UTF-8",
      OPENAI_API_KEY: "sk-proj-abcdefghijklmnopqrstuvwxyz123456",
      GITHUB_TOKEN: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      MY_PROJECT_SETTING: "not for servers",
    };
    manager = await startMcpServers({
      env,
      servers: [stdioServer("everything", [node, EVERYTHING, "stdio"], { env: { SERVER_MODE: "test" } })],
    });
    const seen = JSON.parse((await tool("everything__get-env").execute({}, ctx())).content) as Record<string, string>;
    expect(seen).toMatchObject({ PATH: process.env.PATH, HOME: dir, LANG: "C.UTF-8", SERVER_MODE: "test" });
    expect(Object.keys(seen)).not.toContain("OPENAI_API_KEY");
    expect(Object.keys(seen)).not.toContain("GITHUB_TOKEN");
    expect(Object.keys(seen)).not.toContain("MY_PROJECT_SETTING");
  });

  it("keeps a bounded, redacted log of each server's stderr in memory and on disk", async () => {
    const logDir = path.join(dir, "logs");
    const secret = "super-secret-database-password";
    manager = await startMcpServers({
      logDir,
      env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: "sk-ant-api03-abcdefghijklmnopqrstuvwx" },
      servers: [
        stdioServer(
          "fake",
          [
            node,
            FAKE,
            "--tools",
            "0",
            "--stderr",
            `connecting with ${secret} and sk-ant-api03-abcdefghijklmnopqrstuvwx`,
          ],
          { env: { DB_PASSWORD: secret } },
        ),
      ],
    });
    const tail = manager.server("fake")?.log.tail() ?? [];
    expect(tail).toContain("connecting with [REDACTED] and [REDACTED]");
    const file = path.join(logDir, "fake.log");
    const text = await readFile(file, "utf8");
    expect(text).toContain("connecting with [REDACTED] and [REDACTED]");
    expect(text).not.toContain(secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe("MCP manager over HTTP", () => {
  async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() =>
          typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
        );
      });
    });
  }

  async function everythingOver(mode: "streamableHttp" | "sse"): Promise<number> {
    const port = await freePort();
    const child = spawn(node, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: "pipe" });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let seen = "";
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        if (/listening on port|running on port/i.test(seen)) resolve();
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.on("exit", () => reject(new Error(`everything ${mode} exited: ${seen}`)));
    });
    return port;
  }

  it("connects over streamable HTTP", async () => {
    const port = await everythingOver("streamableHttp");
    manager = await startMcpServers({
      servers: [{ ...stdioServer("remote", []), command: undefined, url: `http://127.0.0.1:${port}/mcp` }],
    });
    expect(manager.warnings).toEqual([]);
    expect(manager.servers()[0]).toMatchObject({ status: "ready", transport: "http" });
    expect((await tool("remote__echo").execute({ message: "over http" }, ctx())).content).toBe("Echo: over http");
  });

  it("falls back to SSE for a server that only speaks the older protocol", async () => {
    const port = await everythingOver("sse");
    manager = await startMcpServers({
      servers: [{ ...stdioServer("old", []), command: undefined, url: `http://127.0.0.1:${port}/sse` }],
    });
    expect(manager.warnings).toEqual([]);
    expect(manager.servers()[0]).toMatchObject({ status: "ready", transport: "sse" });
    expect((await tool("old__echo").execute({ message: "over sse" }, ctx())).content).toBe("Echo: over sse");
  });

  it("skips an HTTP server that is not there, naming the problem", async () => {
    const port = await freePort();
    manager = await startMcpServers({
      servers: [
        {
          ...stdioServer("gone", []),
          command: undefined,
          url: `http://127.0.0.1:${port}/mcp`,
          headers: { Authorization: "Bearer abcdefghijklmnop" },
        },
      ],
    });
    expect(manager.warnings).toHaveLength(1);
    expect(manager.warnings[0]).toBe(
      `MCP server gone skipped: cannot reach http://127.0.0.1:${port}/mcp (ECONNREFUSED); check that the server is running and its url in config.toml`,
    );
    expect(manager.warnings[0]).not.toContain("abcdefghijklmnop");
  });
});
