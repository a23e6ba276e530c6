import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  detectSandbox,
  resolveSandbox,
  type SandboxPolicy,
  sandboxCommand,
  sandboxFor,
  sandboxPolicy,
  tempDirOf,
} from "./sandbox.js";
import { bwrapArgs, sandboxExecProfile } from "./sandbox-profiles.js";

const base = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-sandbox-unit-")));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function dir(...parts: string[]): string {
  const p = path.join(base, ...parts);
  mkdirSync(p, { recursive: true });
  return p;
}

/** Detection remembers its answer in the cache dir: tests keep it inside their own home. */
const home = () => dir("home");

describe("detectSandbox", () => {
  it("says how to install bubblewrap when PATH has no bwrap", () => {
    const empty = dir("empty-bin");
    expect(detectSandbox({ env: { PATH: empty }, platform: "linux" })).toEqual({
      kind: "none",
      reason: "bubblewrap is not installed: sudo apt install bubblewrap (dnf/pacman: bubblewrap)",
    });
  });

  it("finds a bwrap that works here (CI installs it) and remembers the answer", () => {
    const support = detectSandbox({ env: { PATH: process.env.PATH, HOME: home() }, platform: "linux" });
    expect(support).toEqual({ kind: "bwrap", path: expect.stringMatching(/\/bwrap$/) });
    expect(detectSandbox({ env: { PATH: process.env.PATH, HOME: home() }, platform: "linux" })).toBe(support);
  });

  it("keeps the probe's answer on disk for the next run, until bwrap changes; doctor probes afresh", () => {
    const bin = dir("counting-bin");
    const calls = path.join(base, "probe-calls");
    const fake = path.join(bin, "bwrap");
    writeFileSync(
      fake,
      `#!/bin/sh
echo x >> ${calls}
exit 0
`,
      { mode: 0o755 },
    );
    const env = { PATH: `${bin}:${process.env.PATH}`, HOME: dir("probe-home") };
    const count = () => readFileSync(calls, "utf8").trim().split("\n").length;
    expect(detectSandbox({ env, platform: "linux" })).toEqual({ kind: "bwrap", path: fake });
    expect(count()).toBe(1);
    // A later run (a fresh process has nothing in memory) reads the answer from disk.
    const cached = JSON.parse(readFileSync(path.join(env.HOME, ".cache", "parecode", "sandbox-probe.json"), "utf8"));
    expect(cached).toMatchObject({ bwrap: fake, support: { kind: "bwrap", path: fake } });
    const module = new URL("./sandbox.ts", import.meta.url).pathname;
    const script = `import { detectSandbox } from ${JSON.stringify(module)}; console.log(JSON.stringify(detectSandbox({ env: ${JSON.stringify(env)}, platform: "linux" })));`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(JSON.parse(child.stdout)).toEqual({ kind: "bwrap", path: fake });
    expect(count()).toBe(1);
    expect(detectSandbox({ env, platform: "linux", fresh: true }).kind).toBe("bwrap");
    expect(count()).toBe(2);
    // A changed binary (reinstalled, upgraded) is probed again.
    writeFileSync(
      fake,
      `#!/bin/sh
echo x >> ${calls}
echo 'bwrap: broken now' >&2
exit 1
`,
      { mode: 0o755 },
    );
    expect(detectSandbox({ env, platform: "linux", fresh: true }).kind).toBe("none");
  });

  it("rejects a bwrap that cannot create a sandbox, with bwrap's own error in the reason", () => {
    const bin = dir("broken-bin");
    const fake = path.join(bin, "bwrap");
    writeFileSync(fake, "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const support = detectSandbox({ env: { PATH: `${bin}:${process.env.PATH}`, HOME: home() }, platform: "linux" });
    expect(support.kind).toBe("none");
    expect(support.kind === "none" && support.reason).toMatch(
      /^bubblewrap cannot create a sandbox here \(bwrap: No permissions to create new namespace\): .*sandbox = "off"/,
    );
  });

  it("names the platforms it has no sandbox for", () => {
    expect(detectSandbox({ env: {}, platform: "win32" })).toMatchObject({
      kind: "none",
      reason: expect.stringMatching(/^parecode has no OS sandbox for win32: run it inside WSL/),
    });
  });
});

describe("resolveSandbox", () => {
  it('uses the sandbox on "auto" where there is one and says why not otherwise', () => {
    expect(resolveSandbox("auto", { env: { PATH: process.env.PATH, HOME: home() }, platform: "linux" })).toMatchObject({
      active: true,
      kind: "bwrap",
    });
    expect(resolveSandbox("auto", { env: { PATH: dir("empty-bin") }, platform: "linux" })).toEqual({
      active: false,
      kind: "none",
      reason: "bubblewrap is not installed: sudo apt install bubblewrap (dnf/pacman: bubblewrap)",
    });
    expect(resolveSandbox("off", { env: { PATH: process.env.PATH } })).toEqual({
      active: false,
      kind: "none",
      reason: 'turned off (sandbox = "off" in the config, or --no-sandbox)',
    });
  });

  it("gives a run only when active", () => {
    const opts = { root: "/p", env: { HOME: "/h" }, network: true };
    expect(sandboxFor({ active: false, kind: "none", reason: "x" }, opts)).toBeUndefined();
    const run = sandboxFor({ active: true, kind: "bwrap", path: "/usr/bin/bwrap" }, opts);
    expect(run?.tool).toEqual({ kind: "bwrap", path: "/usr/bin/bwrap" });
    expect(run?.policy.root).toBe("/p");
  });
});

describe("sandboxPolicy", () => {
  it("makes the temp and cache dirs writable and hides credentials and parecode's config and data", () => {
    const policy = sandboxPolicy({ root: "/work/p", env: { HOME: "/home/u", TMPDIR: "/var/tmp/x/" }, network: false });
    expect(policy).toEqual({
      root: "/work/p",
      writable: ["/var/tmp/x", "/home/u/.cache/parecode"],
      hidden: [
        "/home/u/.ssh",
        "/home/u/.aws",
        "/home/u/.gnupg",
        "/home/u/.netrc",
        "/home/u/.git-credentials",
        "/home/u/.docker",
        "/home/u/.kube",
        "/home/u/.npmrc",
        "/home/u/.pypirc",
        "/home/u/.azure",
        "/home/u/.config/gh",
        "/home/u/.config/gcloud",
        "/home/u/.config/parecode",
        "/home/u/.local/share/parecode",
      ],
      network: false,
    });
  });

  it("follows XDG_* and PARECODE_HOME", () => {
    const xdg = sandboxPolicy({
      root: "/p",
      env: { HOME: "/h", XDG_CONFIG_HOME: "/c", XDG_DATA_HOME: "/d", XDG_CACHE_HOME: "/k" },
      network: true,
    });
    expect(xdg.writable).toEqual(["/tmp", "/k/parecode"]);
    expect(xdg.hidden.slice(-4)).toEqual(["/c/gh", "/c/gcloud", "/c/parecode", "/d/parecode"]);
    const portable = sandboxPolicy({ root: "/p", env: { HOME: "/h", PARECODE_HOME: "/ph" }, network: true });
    expect(portable.writable).toEqual(["/tmp", "/ph/cache"]);
    expect(portable.hidden.slice(-2)).toEqual(["/ph", "/ph/data"]);
  });

  it("computes the temp dir the way os.tmpdir() does", () => {
    expect(tempDirOf({})).toBe("/tmp");
    expect(tempDirOf({ TMP: "/a/" })).toBe("/a");
    expect(tempDirOf({ TMPDIR: "/b", TMP: "/a" })).toBe("/b");
  });
});

describe("bwrap arguments", () => {
  const home = dir("home");
  dir("home", ".ssh");
  writeFileSync(path.join(home, ".netrc"), "machine x password y\n");
  const project = dir("project");
  const cache = dir("ph", "cache");
  const tmp = dir("tmp");
  const linkedRoot = path.join(base, "linked-project");
  symlinkSync(project, linkedRoot);
  const policy: SandboxPolicy = {
    root: linkedRoot,
    writable: [tmp, cache, path.join(base, "missing-cache")],
    hidden: [path.join(home, ".ssh"), path.join(home, ".netrc"), path.join(home, ".aws"), path.join(base, "ph")],
    network: false,
  };

  it("binds read-only, then writable, then masks what exists, then reopens writable dirs inside a mask", () => {
    expect(bwrapArgs(policy)).toEqual([
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--bind",
      project,
      project,
      "--bind",
      tmp,
      tmp,
      "--bind",
      cache,
      cache,
      "--tmpfs",
      path.join(home, ".ssh"),
      "--dev-bind",
      "/dev/null",
      path.join(home, ".netrc"),
      "--tmpfs",
      path.join(base, "ph"),
      "--bind",
      cache,
      cache,
      "--unshare-pid",
      "--die-with-parent",
      "--unshare-net",
      "--chdir",
      project,
    ]);
  });

  it("leaves the network alone when it is on, and puts the command after --", () => {
    const wrapped = sandboxCommand(
      { tool: { kind: "bwrap", path: "/usr/bin/bwrap" }, policy: { ...policy, network: true } },
      ["/bin/bash", "-c", "echo hi"],
    );
    expect(wrapped.file).toBe("/usr/bin/bwrap");
    expect(wrapped.args).not.toContain("--unshare-net");
    expect(wrapped.args.slice(-4)).toEqual(["--", "/bin/bash", "-c", "echo hi"]);
  });
});

describe("sandbox-exec profile (macOS; generated and checked here, run only on a Mac)", () => {
  it("denies writes outside the writable paths, reads of hidden paths, and the network when off", () => {
    const root = dir("mac", "project");
    const tmp = dir("mac", "tmp");
    const profile = sandboxExecProfile({
      root,
      writable: [tmp, path.join(base, "mac", "conf", "cache")],
      hidden: [path.join(base, "mac", "home", ".ssh"), path.join(base, "mac", "conf"), '/odd/"quoted"\\path'],
      network: false,
    });
    const m = path.join(base, "mac");
    expect(profile).toBe(
      [
        "(version 1)",
        "(allow default)",
        "(deny file-write*)",
        "(allow file-write*",
        `  (subpath "${m}/project")`,
        `  (subpath "${m}/tmp")`,
        `  (subpath "${m}/conf/cache")`,
        '  (literal "/dev/null")',
        '  (literal "/dev/zero")',
        '  (literal "/dev/stdout")',
        '  (literal "/dev/stderr")',
        '  (literal "/dev/tty")',
        '  (literal "/dev/dtracehelper")',
        '  (regex #"^/dev/fd/")',
        '  (regex #"^/dev/ttys[0-9]+$"))',
        "(deny file-read* file-write*",
        `  (subpath "${m}/home/.ssh")`,
        `  (subpath "${m}/conf")`,
        '  (subpath "/odd/\\"quoted\\"\\\\path"))',
        "(allow file-read* file-write*",
        `  (subpath "${m}/conf/cache"))`,
        "(deny network*)",
        "",
      ].join("\n"),
    );
  });

  it("allows the network when on and runs the command with -p PROFILE", () => {
    const wrapped = sandboxCommand(
      {
        tool: { kind: "sandbox-exec", path: "/usr/bin/sandbox-exec" },
        policy: { root: "/", writable: [], hidden: [], network: true },
      },
      ["/bin/bash", "-c", "ls"],
    );
    expect(wrapped.file).toBe("/usr/bin/sandbox-exec");
    expect(wrapped.args[0]).toBe("-p");
    expect(wrapped.args[1]).not.toContain("network");
    expect(wrapped.args[1]).not.toContain("file-read*");
    expect(wrapped.args.slice(2)).toEqual(["/bin/bash", "-c", "ls"]);
  });
});
