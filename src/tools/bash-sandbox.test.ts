import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveWithArgv, survivors, waitFor } from "../../test/support/processes.js";
import { toolContext } from "../../test/support/tool-tree.js";
import { killAllProcessGroups } from "../exec/process.js";
import { detectSandbox, type SandboxRun, sandboxPolicy } from "../exec/sandbox.js";
import { type BashToolOptions, createBashTool } from "./bash.js";

/*
 * The bash tool inside the real bubblewrap sandbox. The fake HOME and the project sit
 * beside a dedicated temp dir (TMPDIR), not inside it: the temp dir is writable in the
 * sandbox, so a HOME under it would prove nothing.
 */

const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-key-material\n";
const CONFIG = 'api_key = "sk-ant-configured-key-0123456789"\n';

describe("bash in the sandbox", () => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-sandbox-")));
  const home = path.join(base, "home");
  const project = path.join(base, "project");
  const tmp = path.join(base, "tmp");
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TMPDIR: tmp, LANG: "C.UTF-8" };
  let bwrap: SandboxRun["tool"];
  let server: Server;
  let port: number;

  function sandboxed(network: boolean, options: Partial<BashToolOptions> = {}) {
    const sandbox = { tool: bwrap, policy: sandboxPolicy({ root: project, env, network }) };
    return createBashTool({ root: project, env, sandbox, ...options });
  }

  function run(command: string, network = false) {
    return sandboxed(network).execute({ command, timeout: 20 }, toolContext());
  }

  beforeAll(async () => {
    const support = detectSandbox({ env, platform: "linux" });
    if (support.kind !== "bwrap") throw new Error(`these tests need a working bwrap: ${JSON.stringify(support)}`);
    bwrap = support;
    for (const dir of [project, tmp, path.join(home, "somedir"), path.join(home, ".ssh")]) {
      mkdirSync(dir, { recursive: true });
    }
    mkdirSync(path.join(home, ".config", "parecode"), { recursive: true });
    writeFileSync(path.join(home, ".bashrc"), "# mine\n");
    writeFileSync(path.join(home, "somedir", "keep.txt"), "keep\n");
    writeFileSync(path.join(home, ".ssh", "id_rsa"), SSH_KEY);
    writeFileSync(path.join(home, ".netrc"), "machine example.com password netrc-secret\n");
    writeFileSync(path.join(home, ".config", "parecode", "config.toml"), CONFIG);
    server = createServer((socket) => socket.end("hello from the host\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(base, { recursive: true, force: true });
  });

  it("rm -rf ~ and rm -rf ~/somedir touch nothing, and the model is told where it may write", async () => {
    const result = await run('rm -rf ~; rm -rf "$HOME"/somedir; ls ~');
    expect(result.isError).toBe(false);
    expect(result.content).toContain("Read-only file system");
    expect(result.content.split("\n").at(-1)).toBe(
      `[sandbox: writes are allowed only inside the project and the temp dir (${tmp})]`,
    );
    expect(readFileSync(path.join(home, "somedir", "keep.txt"), "utf8")).toBe("keep\n");
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toBe("# mine\n");
    expect(readFileSync(path.join(home, ".ssh", "id_rsa"), "utf8")).toBe(SSH_KEY);
  });

  it("cannot append to ~/.bashrc", async () => {
    const result = await run("echo x >> ~/.bashrc");
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^exit 1\n.*\.bashrc: Read-only file system\n\[sandbox: /);
    expect(readFileSync(path.join(home, ".bashrc"), "utf8")).toBe("# mine\n");
  });

  it("writes in the project and the temp dir, with no hint when nothing was blocked", async () => {
    const result = await run('mkdir -p src && echo made > src/out.txt && echo tmp > "$TMPDIR/t.txt" && pwd');
    expect(result.content).toBe(`exit 0\n${project}`);
    expect(readFileSync(path.join(project, "src", "out.txt"), "utf8")).toBe("made\n");
    expect(readFileSync(path.join(tmp, "t.txt"), "utf8")).toBe("tmp\n");
  });

  it("cannot read ~/.ssh, ~/.netrc or parecode's config: they look empty, and writes to them vanish", async () => {
    const result = await run(
      "cat ~/.ssh/id_rsa; cat ~/.config/parecode/config.toml; ls -A ~/.ssh ~/.config/parecode; " +
        'echo "netrc=$(wc -c < ~/.netrc)"; echo junk > ~/.netrc; echo junk > ~/.ssh/new',
    );
    expect(result.content).not.toMatch(/secret-key-material|netrc-secret|sk-ant/);
    expect(result.content).toContain("cat: ~/.ssh/id_rsa: No such file or directory".replace("~", home));
    expect(result.content).toContain("netrc=0");
    expect(readFileSync(path.join(home, ".netrc"), "utf8")).toBe("machine example.com password netrc-secret\n");
    expect(existsSync(path.join(home, ".ssh", "new"))).toBe(false);
  });

  it("keeps a writable dir usable when it lies inside a hidden one (PARECODE_HOME's cache)", async () => {
    const portable = path.join(base, "portable");
    mkdirSync(path.join(portable, "cache"), { recursive: true });
    writeFileSync(path.join(portable, "config.toml"), CONFIG);
    const penv = { ...env, PARECODE_HOME: portable };
    const sandbox = { tool: bwrap, policy: sandboxPolicy({ root: project, env: penv, network: false }) };
    const bash = createBashTool({ root: project, env: penv, sandbox });
    const result = await bash.execute(
      { command: 'cat "$PARECODE_HOME/config.toml"; echo c > "$PARECODE_HOME/cache/c.txt" && echo cached' },
      toolContext(),
    );
    expect(result.content).toBe(`exit 0\ncat: ${portable}/config.toml: No such file or directory\ncached`);
    expect(readFileSync(path.join(portable, "cache", "c.txt"), "utf8")).toBe("c\n");
  });

  it("reaches a local server with the network on and not with it off", async () => {
    const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`;
    const on = await run(connect, true);
    expect(on.content).toBe("exit 0\nhello from the host");
    const off = await run(connect, false);
    expect(off.isError).toBe(true);
    expect(off.content).not.toContain("hello from the host");
    expect(off.content).toMatch(/Connection refused|Network is unreachable/);
  });

  it("kills a background child inside the sandbox on timeout, even one that ignores SIGTERM", async () => {
    const bash = sandboxed(false, { killGraceMs: 300 });
    const started = Date.now();
    const result = await bash.execute(
      { command: "sleep 987.1 & (trap '' TERM; exec sleep 987.2) & echo started; wait", timeout: 1 },
      toolContext(),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.content).toBe("timed out after 1s — killed\nstarted");
    expect(await survivors(() => [...liveWithArgv(["sleep", "987.1"]), ...liveWithArgv(["sleep", "987.2"])])).toEqual(
      [],
    );
  });

  it("kills the sandbox's processes when the call is cancelled", async () => {
    const controller = new AbortController();
    const pending = sandboxed(false).execute(
      { command: "sleep 987.3 & sleep 987.4; wait" },
      toolContext("c", controller.signal),
    );
    await waitFor(() => liveWithArgv(["sleep", "987.4"]));
    const started = Date.now();
    controller.abort();
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result.content.split("\n")[0]).toBe("cancelled");
    expect(await survivors(() => [...liveWithArgv(["sleep", "987.3"]), ...liveWithArgv(["sleep", "987.4"])])).toEqual(
      [],
    );
  });

  it("killAllProcessGroups ends a sandboxed command and its children", async () => {
    const pending = sandboxed(false).execute({ command: "sleep 987.5 & sleep 987.6" }, toolContext());
    await waitFor(() => liveWithArgv(["sleep", "987.6"]));
    expect(killAllProcessGroups("SIGKILL")).toBe(1);
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(await survivors(() => [...liveWithArgv(["sleep", "987.5"]), ...liveWithArgv(["sleep", "987.6"])])).toEqual(
      [],
    );
  });

  it("hands the clean environment through the sandbox", async () => {
    const secretEnv = { ...env, OPENAI_API_KEY: "sk-proj-abcdefghijklmnopqrstuvwxyz", KEEP_ME: "yes" };
    const sandbox = { tool: bwrap, policy: sandboxPolicy({ root: project, env: secretEnv, network: false }) };
    const bash = createBashTool({ root: project, env: secretEnv, sandbox });
    const result = await bash.execute({ command: "env" }, toolContext());
    expect(result.content).toContain("KEEP_ME=yes");
    expect(result.content).not.toContain("OPENAI_API_KEY");
    expect(existsSync(path.join(home, ".bashrc"))).toBe(true);
  });
});
