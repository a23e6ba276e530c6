import { readlinkSync, realpathSync } from "node:fs";
import path from "node:path";

export interface ResolvedPath {
  /** Absolute path inside the project (not symlink-resolved, so messages show what the model asked for). */
  absolute: string;
  /** Path relative to the project root, with forward slashes. "." for the root itself. */
  relative: string;
}

/**
 * Resolves a model-supplied path inside the project root, or returns an error message.
 * Symlinks are followed for the check: a link inside the project that points outside
 * is an escape. Paths that do not exist yet are checked through their nearest existing
 * ancestor, so write_file can create new files but not through an escaping link.
 */
export function resolveInProject(root: string, requested: string): ResolvedPath | { error: string } {
  if (typeof requested !== "string" || requested.trim() === "") {
    return { error: "path is empty: give a path relative to the project root" };
  }
  if (requested.includes("\0")) return { error: "path contains a NUL byte" };
  const realRoot = realpathOrSelf(root);
  const absolute = path.resolve(root, requested);
  const outside = `${requested} is outside the project root (${root}); use a path inside the project`;
  if (!isInside(path.resolve(root), absolute) && !isInside(realRoot, absolute)) return { error: outside };
  const real = realpathOfNearestExisting(absolute);
  if (!isInside(realRoot, real)) {
    return { error: `${requested} resolves through a symlink to ${real}, outside the project root; refused` };
  }
  const relative = path.relative(path.resolve(root), absolute).split(path.sep).join("/") || ".";
  return { absolute, relative };
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  // Compare whole segments: "..notes.md" is a file in the root, not a way out of it.
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Link hops followed through dangling symlinks before giving up (the kernel's own limit). */
const MAX_LINK_HOPS = 40;

function realpathOfNearestExisting(absolute: string, hops = 0): string {
  let current = absolute;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(current), ...[...tail].reverse());
    } catch {
      // A dangling symlink has no realpath, but writing through it creates its target:
      // follow it by hand so a link to a missing file outside the project is caught.
      const link = readlinkOrNull(current);
      if (link !== null && hops < MAX_LINK_HOPS) {
        const target = realpathOfNearestExisting(path.resolve(path.dirname(current), link), hops + 1);
        return path.join(target, ...[...tail].reverse());
      }
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      tail.push(path.basename(current));
      current = parent;
    }
  }
}

function readlinkOrNull(p: string): string | null {
  try {
    return readlinkSync(p);
  } catch {
    return null;
  }
}
