import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { SandboxPolicy } from "./sandbox.js";

/**
 * The policy in each sandbox's own language. Paths are resolved through symlinks first:
 * both bubblewrap mounts and sandbox-exec rules act on real paths (on macOS /tmp is
 * /private/tmp), and masking the real target also covers every link to it.
 */

/**
 * bubblewrap arguments (without the command). Order matters: later mounts cover earlier
 * ones, so the read-only root comes first, then the writable binds, then the masks over
 * the hidden paths, then the writable paths that lie inside a hidden one again (a
 * worktree under parecode's data dir stays usable). Masked paths read as empty: hidden
 * directories become empty tmpfs and hidden files /dev/null.
 */
export function bwrapArgs(policy: SandboxPolicy): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  const root = realOrResolved(policy.root);
  // A writable dir that does not exist cannot be a mount source, and nothing is in it to protect.
  const writable = unique([root, ...policy.writable.filter(exists).map(realOrResolved)]);
  for (const dir of writable) args.push("--bind", dir, dir);

  const maskedDirs: string[] = [];
  for (const hidden of unique(policy.hidden.map(realOrResolved))) {
    const kind = kindOf(hidden);
    if (kind === "dir") {
      args.push("--tmpfs", hidden);
      maskedDirs.push(hidden);
    } else if (kind === "file") {
      // --dev-bind: a read-only bind is mounted nodev, and /dev/null would fail with EACCES
      // (npm reading ~/.npmrc would break). Writes to it vanish, so nothing is touched.
      args.push("--dev-bind", "/dev/null", hidden);
    }
    // Missing: nothing to read, and the read-only root stops it being created.
  }
  for (const dir of writable) {
    if (maskedDirs.some((masked) => isStrictlyInside(dir, masked))) args.push("--bind", dir, dir);
  }

  // A new PID namespace ends every process in it when its first process dies, and
  // --die-with-parent ties that one to bwrap: killing the process group ends them all.
  args.push("--unshare-pid", "--die-with-parent");
  if (!policy.network) args.push("--unshare-net");
  args.push("--chdir", root);
  return args;
}

/** Devices a shell writes to in normal work. */
const WRITABLE_DEVICES = ["/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/dtracehelper"];

/**
 * A sandbox-exec (Seatbelt) profile for the policy. Later rules win over earlier ones:
 * allow everything, deny all writes, allow writes in the writable paths, deny reads and
 * writes of the hidden paths, allow again writable paths inside a hidden one, and deny
 * the network when it is off. Hidden paths are listed whether or not they exist, so a
 * command cannot create and fill one either.
 */
export function sandboxExecProfile(policy: SandboxPolicy): string {
  const root = realOrResolved(policy.root);
  const writable = unique([root, ...policy.writable.map(realOrResolved)]);
  const hidden = unique(policy.hidden.map(realOrResolved));
  const lines = [
    "(version 1)",
    "(allow default)",
    "(deny file-write*)",
    "(allow file-write*",
    ...writable.map((dir) => `  (subpath ${sbplString(dir)})`),
    ...WRITABLE_DEVICES.map((device) => `  (literal ${sbplString(device)})`),
    '  (regex #"^/dev/fd/")',
    '  (regex #"^/dev/ttys[0-9]+$"))',
  ];
  if (hidden.length > 0) {
    lines.push("(deny file-read* file-write*", ...hidden.map((p) => `  (subpath ${sbplString(p)})`));
    lines[lines.length - 1] += ")";
  }
  const reopened = writable.filter((dir) => hidden.some((p) => isStrictlyInside(dir, p)));
  if (reopened.length > 0) {
    lines.push("(allow file-read* file-write*", ...reopened.map((dir) => `  (subpath ${sbplString(dir)})`));
    lines[lines.length - 1] += ")";
  }
  if (!policy.network) lines.push("(deny network*)");
  return `${lines.join("\n")}\n`;
}

/** A string literal in the Seatbelt profile language (a Scheme dialect). */
function sbplString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The real path; for a missing path, its real parent joined with its name. */
function realOrResolved(p: string): string {
  const resolved = path.resolve(p);
  try {
    return realpathSync(resolved);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(resolved)), path.basename(resolved));
    } catch {
      return resolved;
    }
  }
}

function kindOf(p: string): "dir" | "file" | "missing" {
  try {
    return statSync(p).isDirectory() ? "dir" : "file";
  } catch {
    return "missing";
  }
}

function exists(p: string): boolean {
  return kindOf(p) !== "missing";
}

function isStrictlyInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
