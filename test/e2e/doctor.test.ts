import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CliRun, makeTempProject, runCli, type TempProject } from "../support/cli.js";
import { EVERYTHING } from "../support/mcp-servers.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";

interface Check {
  id: string;
  status: "ok" | "warn" | "fail";
  message: string;
  fix?: string;
  details?: Record<string, unknown>;
}

interface Report {
  ok: boolean;
  checks: Check[];
}

let server: ScriptedServer | undefined;
let project: TempProject | undefined;
const extraDirs: string[] = [];

afterEach(async () => {
  await server?.close();
  await project?.cleanup();
  for (const dir of extraDirs.splice(0)) await rm(dir, { recursive: true, force: true });
  server = undefined;
  project = undefined;
});

const KEY = "sk-doctor-config-secret-0123456789";

function profileBlock(name: string, fields: Record<string, string>): string {
  const lines = Object.entries(fields).map(
    ([key, value]) => `${key} = ${value.startsWith("{") ? value : JSON.stringify(value)}`,
  );
  return `[profiles.${name}]\n${lines.join("\n")}\n`;
}

async function doctor(args: string[], env?: NodeJS.ProcessEnv): Promise<{ run: CliRun; report: Report }> {
  if (!project) throw new Error("no project");
  const run = await runCli(["doctor", "--json", ...args], { cwd: project.dir, env: env ?? project.env });
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`doctor --json printed no JSON (exit ${run.code})\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
  return { run, report };
}

function check(report: Report, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check "${id}" in ${report.checks.map((c) => c.id).join(", ")}`);
  return found;
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A PATH with only the named programs from the real PATH. */
async function pathWith(programs: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "parecode-doctor-path-"));
  extraDirs.push(dir);
  for (const name of programs) {
    for (const base of (process.env.PATH ?? "").split(path.delimiter)) {
      const candidate = path.join(base, name);
      if (base === "" || !existsSync(candidate)) continue;
      await symlink(candidate, path.join(dir, name));
      break;
    }
  }
  return dir;
}

describe("parecode doctor --json", () => {
  it("reports a healthy setup as ok over all three wire formats, with one one-token request per hosted profile", async () => {
    server = await startScriptedServer({ policy: () => ({ text: "ok" }) });
    project = await makeTempProject({ "scripts/check.sh": "#!/bin/sh\nexit 0\n" });
    await chmod(path.join(project.dir, "scripts/check.sh"), 0o755);
    await project.writeConfig(
      [
        profileBlock("oa", {
          provider: "openai",
          endpoint: server.openaiBaseUrl,
          model: "test-model",
          api_key: KEY,
          hooks: '{ on_edit = ["git status", "./scripts/check.sh"] }',
        }),
        profileBlock("an", { provider: "anthropic", endpoint: `${server.url}/v1`, model: "claude-test", api_key: KEY }),
        profileBlock("ol", { provider: "ollama", endpoint: server.url, model: "qwen3:14b" }),
      ].join("\n"),
    );
    const { run, report } = await doctor([]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    for (const id of ["config", "config-permissions", "permissions", "project-permissions", "config-dir", "data-dir"]) {
      expect(check(report, id).status).toBe("ok");
    }
    for (const id of ["profile:oa", "profile:an", "profile:ol"]) {
      expect(check(report, id).status).toBe("ok");
      expect(check(report, id).details?.latencyMs).toEqual(expect.any(Number));
    }
    expect(check(report, "profile:oa").message).toMatch(
      /^openai test-model at http:\/\/127\.0\.0\.1:\d+\/v1 answered in \d+ ms$/,
    );
    expect(check(report, "profile:ol").message).toContain("qwen3:14b installed");
    expect(check(report, "hooks")).toMatchObject({ status: "ok", message: "2 hook commands found" });
    expect(check(report, "git").status).toBe("ok");
    expect(check(report, "ripgrep").message).toMatch(/^ripgrep \d+\.\d+/);
    // Ollama is only listed (a chat call would load the model); the other two make one tiny call each.
    expect(server.requests.map((r) => r.protocol).sort()).toEqual(["anthropic", "openai"]);
    for (const request of server.requests) {
      expect(request.body.max_tokens ?? request.body.max_completion_tokens).toBe(1);
      expect(JSON.stringify(request.body.messages)).toContain("Hi");
    }
    // Every id is unique and every warn or fail carries a fix.
    expect(new Set(report.checks.map((c) => c.id)).size).toBe(report.checks.length);
    for (const c of report.checks) if (c.status !== "ok") expect(c.fix).toBeTruthy();
  });

  it("fails an invalid config with file:line in the message and what to write in the fix", async () => {
    project = await makeTempProject();
    await project.writeConfig('[profiles.test]\nendpoint = "not a url"\nmodel = "m"\n');
    const { run, report } = await doctor(["--no-network"]);
    expect(run.code).toBe(1);
    expect(report.ok).toBe(false);
    const config = check(report, "config");
    expect(config.status).toBe("fail");
    expect(config.message).toBe(
      '~/config/parecode/config.toml:2: profiles.test.endpoint must be an http:// or https:// URL (got "not a url")',
    );
    expect(config.fix).toBe('Write it like endpoint = "http://localhost:11434".');
    expect(config.details).toMatchObject({ line: 2, key: "profiles.test.endpoint" });

    await project.writeConfig('[profiles.test]\nendpoint = "http://x"\nmodel = qwen3\n');
    const syntax = check((await doctor(["--no-network"])).report, "config");
    expect(syntax.status).toBe("fail");
    expect(syntax.message).toMatch(/^~\/config\/parecode\/config\.toml:3:\d+: not valid TOML/);
    expect(syntax.fix).toMatch(/^Fix the syntax on that line/);
    // What depends on the file says it could not be checked instead of guessing.
    expect(check((await doctor(["--no-network"])).report, "hooks").message).toContain("not checked");
  });

  it("warns about a key in a config file others can read, with the exact chmod", async () => {
    project = await makeTempProject();
    const file = await project.writeConfig(
      profileBlock("test", { provider: "openai", endpoint: "http://127.0.0.1:9/v1", model: "m", api_key: KEY }),
    );
    await chmod(file, 0o644);
    const { run, report } = await doctor(["--no-network"]);
    expect(run.code, "a warning alone does not fail doctor").toBe(0);
    expect(report.ok).toBe(true);
    expect(check(report, "config-permissions")).toEqual({
      id: "config-permissions",
      status: "warn",
      message: "~/config/parecode/config.toml holds an API key and other users can read it (mode 644)",
      fix: `chmod 600 ${file}`,
      details: { path: file, mode: "644", holdsKey: true },
    });
    await chmod(file, 0o600);
    expect(check((await doctor(["--no-network"])).report, "config-permissions").status).toBe("ok");
  });

  it("fails a profile whose endpoint refuses connections, naming the URL to check", async () => {
    const port = await closedPort();
    project = await makeTempProject();
    await project.writeConfig(
      profileBlock("test", { provider: "openai", endpoint: `http://127.0.0.1:${port}/v1`, model: "m", api_key: KEY }),
    );
    const { run, report } = await doctor([]);
    expect(run.code).toBe(1);
    const profile = check(report, "profile:test");
    expect(profile.status).toBe("fail");
    expect(profile.message).toBe(`cannot connect to http://127.0.0.1:${port}/v1 (connection refused)`);
    expect(profile.fix).toBe(
      `Is the server running at http://127.0.0.1:${port}/v1? Start it, or correct the endpoint of profile "test".`,
    );
    expect(profile.details).toMatchObject({ error: "network" });
  });

  it("fails a profile whose key the server rejects (401), saying to check the key", async () => {
    server = await startScriptedServer({ script: [{ fault: "status", status: 401 }] });
    project = await makeTempProject();
    await project.writeConfig(
      profileBlock("test", { provider: "openai", endpoint: server.openaiBaseUrl, model: "m", api_key: KEY }),
    );
    const { run, report } = await doctor([]);
    expect(run.code).toBe(1);
    const profile = check(report, "profile:test");
    expect(profile.status).toBe("fail");
    expect(profile.message).toMatch(/^401 authentication failed at http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(profile.fix).toBe('Check api_key for profile "test" or the OPENAI_API_KEY env var.');
    expect(profile.details).toMatchObject({ error: "auth", status: 401 });
    expect(server.requests).toHaveLength(1);
  });

  it("warns when an Ollama profile's model is not installed, with the ollama pull to run", async () => {
    server = await startScriptedServer({ ollamaModels: [{ name: "qwen3:14b" }] });
    project = await makeTempProject();
    await project.writeConfig(
      profileBlock("local", { provider: "ollama", endpoint: server.url, model: "llama3.2:3b" }),
    );
    const { run, report } = await doctor([]);
    expect(run.code).toBe(0);
    const profile = check(report, "profile:local");
    expect(profile.status).toBe("warn");
    expect(profile.message).toBe(`Ollama at ${server.url} is running, but llama3.2:3b is not installed`);
    expect(profile.fix).toBe("ollama pull llama3.2:3b");
    expect(profile.details).toMatchObject({ installed: ["qwen3:14b"] });
  });

  it("fails a hosted profile without a key, naming the variable to set, and sends nothing", async () => {
    server = await startScriptedServer({ policy: () => ({ text: "ok" }) });
    project = await makeTempProject();
    await project.writeConfig(
      [
        profileBlock("claude", { endpoint: "https://api.anthropic.com/v1", model: "claude-sonnet-4-5" }),
        profileBlock("own", {
          provider: "openai",
          endpoint: server.openaiBaseUrl,
          model: "m",
          api_key_env: "MY_LLM_KEY",
        }),
      ].join("\n"),
    );
    const { run, report } = await doctor([]);
    expect(run.code).toBe(1);
    const claude = check(report, "profile:claude");
    expect(claude.status).toBe("fail");
    expect(claude.message).toBe("no API key (anthropic needs one)");
    expect(claude.fix).toContain("set ANTHROPIC_API_KEY");
    const own = check(report, "profile:own");
    expect(own).toMatchObject({ status: "fail", message: "no API key: MY_LLM_KEY is not set" });
    expect(own.fix).toContain("export MY_LLM_KEY=...");
    expect(server.allRequests).toHaveLength(0);
  });

  it("fails a data folder that cannot be created because a file is in the way", async () => {
    project = await makeTempProject();
    const dataParent = path.join(project.home, "data");
    await mkdir(dataParent, { recursive: true });
    await writeFile(path.join(dataParent, "parecode"), "not a folder");
    const { run, report } = await doctor(["--no-network"]);
    expect(run.code).toBe(1);
    const data = check(report, "data-dir");
    expect(data.status).toBe("fail");
    expect(data.message).toBe("~/data/parecode is a file, so ~/data/parecode cannot be a folder");
    expect(data.fix).toBe(
      `Move the file ${path.join(dataParent, "parecode")} out of the way, or set XDG_DATA_HOME to a writable folder.`,
    );
    expect(check(report, "cache-dir").status).toBe("ok");
  });

  it("warns, and still exits 0, when git is not on PATH", async () => {
    project = await makeTempProject();
    await project.writeConfig(
      profileBlock("test", { provider: "openai", endpoint: "http://127.0.0.1:9/v1", model: "m", api_key: KEY }),
    );
    const { run, report } = await doctor(["--no-network"], { ...project.env, PATH: await pathWith(["bwrap"]) });
    expect(run.code).toBe(0);
    const git = check(report, "git");
    expect(git.status).toBe("warn");
    expect(git.message).toBe(
      "git is not installed (not found on PATH); parecode works without it: checkpoints fall back to a snapshot store",
    );
    expect(git.fix).toMatch(/^Install git/);
  });

  it("warns that commands run unsandboxed when bubblewrap is not on PATH", async () => {
    project = await makeTempProject();
    const { report } = await doctor(["--no-network"], { ...project.env, PATH: await pathWith(["git"]) });
    const sandbox = check(report, "sandbox");
    expect(sandbox.status).toBe("warn");
    expect(sandbox.message).toBe("no OS sandbox: bubblewrap is not installed");
    expect(sandbox.fix).toBe(
      'sudo apt install bubblewrap (dnf/pacman: bubblewrap); or set sandbox = "off" to run commands without it',
    );
    expect(check(report, "git").status).toBe("ok");

    await project.writeConfig('sandbox = "off"\n');
    const off = check(
      (await doctor(["--no-network"], { ...project.env, PATH: await pathWith(["git"]) })).report,
      "sandbox",
    );
    expect(off).toMatchObject({
      status: "ok",
      message: 'off by config (sandbox = "off"): commands run without the OS sandbox',
    });
  });

  it("fails a hook whose command is not on PATH, naming the command and where it is configured", async () => {
    project = await makeTempProject();
    await project.writeConfig(
      profileBlock("test", {
        provider: "openai",
        endpoint: "http://127.0.0.1:9/v1",
        model: "m",
        api_key: KEY,
        hooks: '{ on_edit = ["git status", "definitely-missing-linter --fix src"] }',
      }),
    );
    const { run, report } = await doctor(["--no-network"]);
    expect(run.code).toBe(1);
    const hooks = check(report, "hooks");
    expect(hooks.status).toBe("fail");
    expect(hooks.message).toBe(
      'hook command not found: definitely-missing-linter is not on PATH (in "definitely-missing-linter --fix src")',
    );
    expect(hooks.fix).toBe(
      "Install definitely-missing-linter, or change the command under [profiles.test] in ~/config/parecode/config.toml.",
    );
  });

  it("starts each MCP server: one that starts is ok with its tools, one that does not fails naming the command", async () => {
    project = await makeTempProject();
    await project.writeConfig(
      `${profileBlock("test", { provider: "openai", endpoint: "http://127.0.0.1:9/v1", model: "m", api_key: KEY })}
[[mcp_servers]]
name = "everything"
command = [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING)}, "stdio"]

[[mcp_servers]]
name = "broken"
command = ["definitely-missing-mcp-server"]
`,
    );
    const { run, report } = await doctor(["--no-network"]);
    expect(run.code).toBe(1);
    const good = check(report, "mcp:everything");
    expect(good.status).toBe("ok");
    expect(good.message).toMatch(/^stdio, \d+ tools, started in \d+ ms$/);
    const bad = check(report, "mcp:broken");
    expect(bad.status).toBe("fail");
    expect(bad.message).toMatch(/^does not start: /);
    expect(bad.fix).toContain('"definitely-missing-mcp-server"');
    expect(bad.fix).toContain("parecode mcp logs broken");
  });

  it("checks only the profile named by --profile, and makes no request with --no-network", async () => {
    server = await startScriptedServer({ policy: () => ({ text: "ok" }) });
    project = await makeTempProject();
    await project.writeConfig(
      [
        profileBlock("a", { provider: "openai", endpoint: server.openaiBaseUrl, model: "m", api_key: KEY }),
        profileBlock("b", { provider: "anthropic", endpoint: `${server.url}/v1`, model: "c", api_key: KEY }),
      ].join("\n"),
    );
    const only = (await doctor(["--profile", "b", "--no-network"])).report;
    expect(only.checks.filter((c) => c.id.startsWith("profile")).map((c) => c.id)).toEqual(["profile:b"]);
    expect(check(only, "profile:b")).toMatchObject({ status: "ok", details: { reachability: "skipped" } });
    expect(check(only, "profile:b").message).toContain("reachability skipped (--no-network)");
    expect(server.allRequests).toHaveLength(0);

    const unknown = await doctor(["--profile", "nope"]);
    expect(unknown.run.code).toBe(1);
    expect(check(unknown.report, "profile:nope")).toMatchObject({
      status: "fail",
      message: 'there is no profile "nope"',
    });
    expect(check(unknown.report, "profile:nope").fix).toMatch(/^Use one of: a, b/);

    const usage = await runCli(["doctor", "--bogus"], { cwd: project.dir, env: project.env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: parecode doctor [--json] [--no-network] [--profile NAME]");
  });
});

describe("parecode doctor (plain output)", () => {
  it("prints one aligned line per check with ✓ ! ✗ marks and a summary, without colour under NO_COLOR", async () => {
    project = await makeTempProject();
    const file = await project.writeConfig(
      profileBlock("test", {
        provider: "openai",
        endpoint: "http://127.0.0.1:9/v1",
        model: "m",
        api_key: KEY,
        hooks: '{ on_edit = ["definitely-missing-linter"] }',
      }),
    );
    await chmod(file, 0o644);
    const run = await runCli(["doctor", "--no-network"], { cwd: project.dir, env: project.env });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("\u001b[");
    const lines = run.stdout.trimEnd().split("\n");
    const summary = lines.pop() ?? "";
    expect(lines.pop()).toBe("");
    expect(lines.find((l) => l.startsWith("✓ config "))).toBeDefined();
    expect(lines.find((l) => l.startsWith("! config-permissions "))).toContain(`→ chmod 600 ${file}`);
    expect(lines.find((l) => l.startsWith("✗ hooks "))).toContain("definitely-missing-linter");
    // Messages start in one column.
    const columns = new Set(lines.map((l) => l.indexOf("  ", 2) + 2 + l.slice(l.indexOf("  ", 2) + 2).search(/\S/)));
    expect(columns.size).toBe(1);
    expect(summary).toMatch(/^problems found: \d+ ok, 1 warning, 1 failed$/);
    expect(lines.length).toBe(Number(/(\d+) ok/.exec(summary)?.[1]) + 2);
  });

  it("never prints a key: not the config's, not the environment's, not one a server echoes back", async () => {
    const envKey = "sk-ant-env-secret-abcdefghijklmnop";
    // The server quotes whatever credential it was sent, as some proxies do.
    server = await startScriptedServer({
      policy: (request) => ({
        fault: "status",
        status: 401,
        body: { error: { message: `bad key ${request.headers.authorization ?? request.headers["x-api-key"]}` } },
      }),
    });
    project = await makeTempProject();
    const file = await project.writeConfig(
      profileBlock("test", { provider: "openai", endpoint: server.openaiBaseUrl, model: "m", api_key: KEY }),
    );
    await chmod(file, 0o644);
    const env = { ...project.env, ANTHROPIC_API_KEY: envKey, ANTHROPIC_BASE_URL: server.url };
    const json = await doctor([], env);
    expect(check(json.report, "profile:test").status).toBe("fail");
    expect(check(json.report, "profile:anthropic").status).toBe("fail");
    const plain = await runCli(["doctor"], { cwd: project.dir, env });
    expect(server.requests.length).toBe(4);
    for (const text of [json.run.stdout, json.run.stderr, plain.stdout, plain.stderr]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(envKey);
      expect(text).not.toContain("secret");
    }
  });
});
