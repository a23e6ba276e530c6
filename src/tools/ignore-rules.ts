import { readFileSync } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/**
 * The .gitignore rules the JS search fallback and list_files share, matching what
 * ripgrep does with `--no-require-git`: every .gitignore from the project root down
 * (deeper files win, `!` negations included), then .git/info/exclude; .git itself is
 * always skipped. Unlike ripgrep, .gitignore files above the project root and global
 * excludes are not read.
 */
export interface IgnoreRules {
  /** `relPath` is project-relative with forward slashes, e.g. "src/a.ts". */
  isIgnored(relPath: string, isDir: boolean): boolean;
  /**
   * Rules for a walk that starts at `startRel`. A folder asked for explicitly is walked
   * even when ignored (as ripgrep does); its contents then follow only the .gitignore
   * files at and below it.
   */
  scopedTo(startRel: string): IgnoreRules;
}

export function createIgnoreRules(root: string): IgnoreRules {
  const cache = new Map<string, Ignore | null>();
  const load = (dirRel: string, file = ".gitignore"): Ignore | null => {
    const key = `${dirRel}\0${file}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let rules: Ignore | null = null;
    try {
      const text = readFileSync(path.join(root, dirRel, file), "utf8");
      rules = ignore({ ignorecase: false, allowRelativePaths: true }).add(text);
    } catch {
      rules = null;
    }
    cache.set(key, rules);
    return rules;
  };
  return makeRules(load, "");
}

type Loader = (dirRel: string, file?: string) => Ignore | null;

function makeRules(load: Loader, floor: string): IgnoreRules {
  const rules: IgnoreRules = {
    isIgnored(relPath, isDir) {
      if (relPath === "" || relPath === ".") return false;
      const segments = relPath.split("/");
      if (segments.includes(".git")) return true;
      const floorDepth = floor === "" ? 0 : floor.split("/").length;
      // Deepest .gitignore first: the first file with an opinion decides.
      for (let depth = segments.length - 1; depth >= floorDepth; depth -= 1) {
        const dirRel = segments.slice(0, depth).join("/");
        const verdict = test(load(dirRel), segments.slice(depth).join("/"), isDir);
        if (verdict !== undefined) return verdict;
      }
      if (floor === "") return test(load(".git/info", "exclude"), relPath, isDir) ?? false;
      return false;
    },
    scopedTo(startRel) {
      const start = startRel === "." ? "" : startRel.replace(/\/+$/, "");
      if (start === "" || !isInsideIgnored(rules, start)) return rules;
      return makeRules(load, start);
    },
  };
  return rules;
}

function isInsideIgnored(rules: IgnoreRules, rel: string): boolean {
  const segments = rel.split("/");
  for (let i = 1; i <= segments.length; i += 1) {
    if (rules.isIgnored(segments.slice(0, i).join("/"), true)) return true;
  }
  return false;
}

function test(rules: Ignore | null, rel: string, isDir: boolean): boolean | undefined {
  if (!rules) return undefined;
  try {
    const result = rules.test(isDir ? `${rel}/` : rel);
    if (result.ignored) return true;
    if (result.unignored) return false;
  } catch {
    // A name the ignore library cannot test is simply not ignored.
  }
  return undefined;
}
