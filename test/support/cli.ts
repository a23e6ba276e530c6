import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI: end-to-end tests and the benchmark run exactly what users run. */
export const CLI_PATH = fileURLToPath(new URL("../../dist/parecode.js", import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/**
 * An isolated environment: config, data and cache under one temp home, no provider
 * keys leaking in from the developer's shell, no colour.
 */
export function isolatedEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/_API_KEY$|^OLLAMA_HOST$|^OPENAI_BASE_URL$|^PARECODE_/.test(key)) delete env[key];
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    // Point Ollama detection at a closed port so a developer's real Ollama never answers.
    OLLAMA_HOST: "127.0.0.1:9",
    NO_COLOR: "1",
    ...extra,
  };
}

export function spawnCli(args: string[], options: CliOptions): ChildProcess {
  return spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export function runCli(args: string[], options: CliOptions): Promise<CliRun> {
  const child = spawnCli(args, options);
  return collect(child, options);
}

export function collect(child: ChildProcess, options: { input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`CLI did not exit within ${options.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export interface TempProject {
  /** The project directory the CLI runs in. */
  dir: string;
  /** A separate fake home holding config/data/cache. */
  home: string;
  env: NodeJS.ProcessEnv;
  writeConfig(toml: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeTempProject(files: Record<string, string> = {}): Promise<TempProject> {
  const base = await mkdtemp(path.join(tmpdir(), "parecode-e2e-"));
  const dir = path.join(base, "project");
  const home = path.join(base, "home");
  await mkdir(dir, { recursive: true });
  await mkdir(home, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  const env = isolatedEnv(home);
  return {
    dir,
    home,
    env,
    async writeConfig(toml: string) {
      const configDir = path.join(home, "config", "parecode");
      await mkdir(configDir, { recursive: true });
      const file = path.join(configDir, "config.toml");
      await writeFile(file, toml, { mode: 0o600 });
      return file;
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/** Parses `--json` output: one AgentEvent per line. */
export function parseJsonLines(stdout: string): Array<Record<string, unknown> & { type: string }> {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });
}
