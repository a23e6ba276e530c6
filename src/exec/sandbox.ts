import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { release } from "node:os";
import path from "node:path";
import { cacheDir, configDir, dataDir, homeDir } from "../config/paths.js";
import { findOnPath, isExecutable } from "./path-lookup.js";
import { bwrapArgs, sandboxExecProfile } from "./sandbox-profiles.js";

/**
 * The OS sandbox a command runs in: the whole file system readable but not writable
 * except the project, the temp dir and parecode's cache; the user's secret files hidden;
 * the network optional. bubblewrap on Linux, sandbox-exec on macOS, nothing elsewhere —
 * and when there is nothing, the caller says why once (`-v`, doctor) instead of failing.
 */

export interface SandboxPolicy {
  /** The project root: writable, and the working directory. */
  root: string;
  /** Other writable directories (the OS temp dir, parecode's cache dir). */
  writable: string[];
  /** Files and directories that must read as empty or absent (keys, tokens, parecode's own config). */
  hidden: string[];
  network: boolean;
}

/** A sandbox tool found on this machine. */
export type SandboxTool = { kind: "bwrap"; path: string } | { kind: "sandbox-exec"; path: string };

export type SandboxSupport = SandboxTool | { kind: "none"; reason: string };

/** What `sandbox = "auto" | "off"` comes to on this machine. */
export type SandboxResolution =
  | { active: true; kind: SandboxTool["kind"]; path: string }
  | { active: false; kind: "none"; reason: string };

/** Everything a runner needs to put one command in the sandbox. */
export interface SandboxRun {
  tool: SandboxTool;
  policy: SandboxPolicy;
}

export interface SandboxEnvOptions {
  /** The environment to read PATH (detection) or HOME, XDG_* and PARECODE_HOME (policy) from. */
  env: NodeJS.ProcessEnv;
  /** Defaults to process.platform; tests pass another. */
  platform?: NodeJS.Platform;
  /** Probe bwrap now, ignoring the answer remembered on disk (doctor). */
  fresh?: boolean;
}

/** Home-relative files and folders holding credentials, hidden from every sandboxed command. */
const HIDDEN_IN_HOME = [
  ".ssh",
  ".aws",
  ".gnupg",
  ".netrc",
  ".git-credentials",
  ".docker",
  ".kube",
  ".npmrc",
  ".pypirc",
  ".azure",
  path.join(".config", "gh"),
  path.join(".config", "gcloud"),
];

/** Tools that keep their credentials under $XDG_CONFIG_HOME when it is set. */
const HIDDEN_IN_XDG_CONFIG = ["gh", "gcloud"];

export const SANDBOX_EXEC_PATH = "/usr/bin/sandbox-exec";

/** The OS temp dir as os.tmpdir() computes it on POSIX, but from `env` rather than process.env. */
export function tempDirOf(env: NodeJS.ProcessEnv): string {
  const dir = env.TMPDIR || env.TMP || env.TEMP || "/tmp";
  return dir.length > 1 && dir.endsWith("/") ? dir.slice(0, -1) : dir;
}

/** The policy for commands run in `root`: paths come from `env` through config/paths. */
export function sandboxPolicy(options: { root: string; env: NodeJS.ProcessEnv; network: boolean }): SandboxPolicy {
  const { env } = options;
  const home = homeDir(env);
  const hidden = HIDDEN_IN_HOME.map((name) => path.join(home, name));
  const xdgConfig = env.XDG_CONFIG_HOME;
  if (xdgConfig && path.isAbsolute(xdgConfig)) {
    hidden.push(...HIDDEN_IN_XDG_CONFIG.map((name) => path.join(xdgConfig, name)));
  }
  hidden.push(configDir(env), dataDir(env));
  return {
    root: path.resolve(options.root),
    writable: unique([path.resolve(tempDirOf(env)), cacheDir(env)]),
    hidden: unique(hidden),
    network: options.network,
  };
}

const bwrapProbes = new Map<string, SandboxSupport>();

/**
 * Which sandbox this machine offers. On Linux bwrap must be on PATH *and* work: in
 * containers without user namespaces it is installed but cannot create a sandbox, so it
 * is tried once (with the flags real runs use) and the answer cached per process.
 */
export function detectSandbox(options: SandboxEnvOptions): SandboxSupport {
  const platform = options.platform ?? process.platform;
  if (platform === "darwin") {
    if (isExecutable(SANDBOX_EXEC_PATH)) return { kind: "sandbox-exec", path: SANDBOX_EXEC_PATH };
    return {
      kind: "none",
      reason: `${SANDBOX_EXEC_PATH} is missing: it ships with macOS, so check the system install`,
    };
  }
  if (platform !== "linux") {
    return {
      kind: "none",
      reason: `parecode has no OS sandbox for ${platform}: run it inside WSL, a container or a VM to isolate commands`,
    };
  }
  const bwrap = findOnPath("bwrap", options.env);
  if (bwrap === undefined) {
    return {
      kind: "none",
      reason: "bubblewrap is not installed: sudo apt install bubblewrap (dnf/pacman: bubblewrap)",
    };
  }
  let support = options.fresh ? undefined : bwrapProbes.get(bwrap);
  if (support === undefined) {
    const remembered = options.fresh ? undefined : readProbeCache(bwrap, options.env);
    support = remembered ?? probeBwrap(bwrap, options.env);
    if (!remembered) writeProbeCache(bwrap, options.env, support);
    bwrapProbes.set(bwrap, support);
  }
  return support;
}

/**
 * The probe costs a synchronous process start (~30-60 ms) on every run's way to its first
 * request, and its answer only changes with the bwrap binary or the kernel: it is kept in
 * the cache dir for a day, keyed by both. doctor always probes afresh.
 */
const PROBE_CACHE_MS = 24 * 60 * 60 * 1000;

interface ProbeCache {
  bwrap: string;
  binary: string;
  kernel: string;
  checkedAt: number;
  support: SandboxSupport;
}

function probeCacheFile(env: NodeJS.ProcessEnv): string {
  return path.join(cacheDir(env), "sandbox-probe.json");
}

function binaryStamp(bwrap: string): string {
  try {
    const info = statSync(bwrap);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return "";
  }
}

function readProbeCache(bwrap: string, env: NodeJS.ProcessEnv): SandboxSupport | undefined {
  try {
    const cached = JSON.parse(readFileSync(probeCacheFile(env), "utf8")) as ProbeCache;
    const fresh = Date.now() - cached.checkedAt < PROBE_CACHE_MS;
    if (fresh && cached.bwrap === bwrap && cached.binary === binaryStamp(bwrap) && cached.kernel === release()) {
      return cached.support;
    }
  } catch {
    // No answer kept yet, or an unreadable one: probe.
  }
  return undefined;
}

function writeProbeCache(bwrap: string, env: NodeJS.ProcessEnv, support: SandboxSupport): void {
  const entry: ProbeCache = { bwrap, binary: binaryStamp(bwrap), kernel: release(), checkedAt: Date.now(), support };
  try {
    mkdirSync(cacheDir(env), { recursive: true, mode: 0o700 });
    writeFileSync(probeCacheFile(env), JSON.stringify(entry), { mode: 0o600 });
  } catch {
    // A read-only cache dir only costs the next run another probe.
  }
}

function probeBwrap(bwrap: string, env: NodeJS.ProcessEnv): SandboxSupport {
  const args = [
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--unshare-pid",
    "--unshare-net",
    "--die-with-parent",
    "true",
  ];
  const probe = spawnSync(bwrap, args, {
    env: { PATH: env.PATH ?? "/usr/bin:/bin" },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    timeout: 10_000,
  });
  if (probe.status === 0) return { kind: "bwrap", path: bwrap };
  const detail = (probe.stderr ?? "").trim().split("\n")[0] || probe.error?.message || `exit ${probe.status}`;
  return {
    kind: "none",
    reason:
      `bubblewrap cannot create a sandbox here (${detail}): unprivileged user namespaces are probably off ` +
      '(sysctl kernel.unprivileged_userns_clone=1; in Docker, --security-opt seccomp=unconfined), or set sandbox = "off"',
  };
}

/** `sandbox = "auto"` uses the OS sandbox where there is one; `"off"` never does. */
export function resolveSandbox(setting: "auto" | "off", options: SandboxEnvOptions): SandboxResolution {
  if (setting === "off") {
    return { active: false, kind: "none", reason: 'turned off (sandbox = "off" in the config, or --no-sandbox)' };
  }
  const support = detectSandbox(options);
  if (support.kind === "none") return { active: false, kind: "none", reason: support.reason };
  return { active: true, kind: support.kind, path: support.path };
}

/** The run for commands in `root` when the sandbox is active, else undefined. */
export function sandboxFor(
  resolution: SandboxResolution,
  options: { root: string; env: NodeJS.ProcessEnv; network: boolean },
): SandboxRun | undefined {
  if (!resolution.active) return undefined;
  return { tool: { kind: resolution.kind, path: resolution.path }, policy: sandboxPolicy(options) };
}

/** `argv` (file first) wrapped so it runs inside the sandbox. */
export function sandboxCommand(run: SandboxRun, argv: readonly string[]): { file: string; args: string[] } {
  if (run.tool.kind === "bwrap") {
    return { file: run.tool.path, args: [...bwrapArgs(run.policy), "--", ...argv] };
  }
  return { file: run.tool.path, args: ["-p", sandboxExecProfile(run.policy), ...argv] };
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
