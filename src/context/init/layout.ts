/**
 * Project layout and where the tests live. One bounded walk of the tree; tests are
 * grouped into the patterns a model needs to place a new test correctly ("`test/`,
 * `*.test.ts`", "`*_test.go` beside sources"), each with one or two real example paths.
 */
import path from "node:path";
import { listEntries, type ProjectDir, readText } from "./probe.js";
import type { Findings } from "./types.js";

/** Never walked: dependencies, build output, caches, virtualenvs. */
const SKIP_DIRS = new Set([
  "node_modules",
  "target",
  "dist",
  "build",
  "out",
  "vendor",
  "venv",
  "env",
  "__pycache__",
  "coverage",
  "bin",
  "obj",
  "site-packages",
]);
const MAX_DEPTH = 6;
/** Enough for any real project's shape; bounds init's time on huge monorepos. */
const MAX_FILES = 20_000;
const MAX_RUST_FILES_SCANNED = 200;
const TEST_CONFIGS =
  /^(vitest|jest|playwright|cypress|karma|ava)\.config\.[cm]?[jt]s$|^\.mocharc\.|^pytest\.ini$|^tox\.ini$|^conftest\.py$/;
const CODE_FILE = /\.([cm]?[jt]sx?|py|go|rs|rb|java|kt|cs|swift|php|ex|exs)$/;
const TEST_NAME = /\.(test|spec)\.[cm]?[jt]sx?$|_test\.go$|^test_.+\.py$|_test\.py$|_spec\.rb$/;

export async function detectLayout(project: ProjectDir): Promise<Partial<Findings>> {
  const files = await walk(project.root);
  const layout: string[] = [];
  const topDirs = [...project.dirs].filter((d) => !d.startsWith(".") && !SKIP_DIRS.has(d)).sort();
  if (topDirs.length > 0) {
    const shown = topDirs.slice(0, 10).map((d) => `${d}/`);
    layout.push(`Top-level: ${shown.join(", ")}${topDirs.length > 10 ? ` (+${topDirs.length - 10} more)` : ""}`);
  }
  const tests = describeTests(files);
  const inline = await rustInlineTests(project.root, files);
  if (inline) tests.push(inline);
  const configs = files.filter((f) => !f.includes("/") && TEST_CONFIGS.test(f));
  if (configs.length > 0) tests.push(`Config: ${configs.map((c) => `\`${c}\``).join(", ")}`);
  return { layout, tests };
}

/** Project-relative file paths (forward slashes), breadth-first so shallow files come first. */
async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  let level: string[] = [""];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const entry of await listEntries(path.join(root, dir))) {
        const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory) {
          if (!entry.name.startsWith(".") && !SKIP_DIRS.has(entry.name)) next.push(rel);
        } else {
          out.push(rel);
          if (out.length >= MAX_FILES) return out;
        }
      }
    }
    level = next;
  }
  return out;
}

interface TestGroup {
  /** How the pattern is named in the output. */
  where: string;
  files: string[];
}

export function describeTests(files: string[]): string[] {
  const groups = new Map<string, TestGroup>();
  const add = (key: string, where: string, file: string) => {
    const group = groups.get(key) ?? { where, files: [] };
    group.files.push(file);
    groups.set(key, group);
  };
  for (const file of files) {
    const segments = file.split("/");
    const base = segments[segments.length - 1];
    const dirs = segments.slice(0, -1);
    if (!CODE_FILE.test(base)) continue;
    // Fixtures and snapshots sit in test folders but are not tests.
    if (dirs.some((d) => /^(fixtures?|__fixtures__|__snapshots__|__mocks__|testdata)$/.test(d))) continue;
    const testsDir = dirs.indexOf("__tests__");
    if (testsDir >= 0) {
      add("__tests__", "`__tests__/` folders", file);
      continue;
    }
    const testDir = dirs.findIndex((d) => d === "test" || d === "tests" || d === "spec");
    if (testDir >= 0) {
      const prefix = `${dirs.slice(0, testDir + 1).join("/")}/`;
      add(`dir:${prefix}`, `\`${prefix}\``, file);
      continue;
    }
    if (TEST_NAME.test(base)) add(`beside:${namePattern(base)}`, `${namePattern(base)} beside sources`, file);
  }

  const ranked = [...groups.values()].sort((a, b) => b.files.length - a.files.length || (a.where < b.where ? -1 : 1));
  return ranked.slice(0, 4).map((group) => {
    // Helpers in test/ (setup.ts, helpers.py) are neither examples nor counted when real tests there follow a naming pattern.
    const named = group.files.filter((f) => TEST_NAME.test(path.posix.basename(f)));
    const pool = named.length > 0 ? named : group.files;
    const pattern = group.where.includes("beside") ? "" : dominantPattern(pool);
    const examples = pool.slice(0, 2).join(", ");
    const count = pool.length === 1 ? "1 file" : `${pool.length} files`;
    return `${group.where}${pattern ? ` ${pattern}` : ""}: ${count} (e.g. ${examples})`;
  });
}

/** `foo.test.ts` → "`*.test.ts`", `foo_test.go` → "`*_test.go`", `test_foo.py` → "`test_*.py`". */
function namePattern(base: string): string {
  const js = base.match(/(\.(?:test|spec)\.[cm]?[jt]sx?)$/);
  if (js) return `\`*${js[1]}\``;
  if (base.endsWith("_test.go")) return "`*_test.go`";
  if (/^test_.+\.py$/.test(base)) return "`test_*.py`";
  if (base.endsWith("_test.py")) return "`*_test.py`";
  if (base.endsWith("_spec.rb")) return "`*_spec.rb`";
  return `\`*${path.posix.extname(base)}\``;
}

function dominantPattern(files: string[]): string {
  const counts = new Map<string, number>();
  for (const f of files) {
    const p = namePattern(path.posix.basename(f));
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best = "";
  let bestCount = 0;
  for (const [p, n] of counts) {
    if (n > bestCount) [best, bestCount] = [p, n];
  }
  return best;
}

/** Rust unit tests live inside the source files (`#[cfg(test)]`), invisible to a name-based scan. */
async function rustInlineTests(root: string, files: string[]): Promise<string | undefined> {
  const sources = files.filter((f) => f.endsWith(".rs") && !/(^|\/)tests\//.test(f));
  const hits: string[] = [];
  for (const file of sources.slice(0, MAX_RUST_FILES_SCANNED)) {
    const text = await readText(root, file);
    if (text?.includes("#[cfg(test)]")) hits.push(file);
  }
  if (hits.length === 0) return undefined;
  return `Inline unit tests in \`#[cfg(test)] mod tests\`: ${hits.length === 1 ? "1 file" : `${hits.length} files`} (e.g. ${hits.slice(0, 2).join(", ")})`;
}
