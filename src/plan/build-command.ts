/**
 * The command that checks a project builds, for `build_success` verification: the
 * project's own typecheck or build script first, then the language's standard check.
 * Read from the project's manifests only; nothing is run here.
 */
import { access, readFile } from "node:fs/promises";
import path from "node:path";

/** package.json scripts, most specific first: a type check is faster than a full build. */
const SCRIPT_ORDER = ["typecheck", "type-check", "check-types", "build", "compile", "check"];

export async function detectBuildCommand(root: string): Promise<string | undefined> {
  const scripts = await packageScripts(root);
  if (scripts) {
    const script = SCRIPT_ORDER.find((name) => typeof scripts[name] === "string");
    if (script) return `${await packageRunner(root)} ${script}`;
  }
  if (await exists(root, "tsconfig.json")) return "npx --no-install tsc --noEmit";
  if (await exists(root, "Cargo.toml")) return "cargo check --quiet";
  if (await exists(root, "go.mod")) return "go build ./...";
  if ((await exists(root, "pyproject.toml")) || (await exists(root, "setup.py"))) {
    return "python3 -m compileall -q .";
  }
  return undefined;
}

/** What build_success looks for, for the message when nothing is found. */
export const BUILD_SOURCES =
  "a package.json typecheck/build script, tsconfig.json, Cargo.toml, go.mod or pyproject.toml";

async function packageScripts(root: string): Promise<Record<string, unknown> | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { scripts?: unknown };
    const scripts = manifest.scripts;
    return typeof scripts === "object" && scripts !== null ? (scripts as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function packageRunner(root: string): Promise<string> {
  if (await exists(root, "pnpm-lock.yaml")) return "pnpm run --silent";
  if (await exists(root, "yarn.lock")) return "yarn run --silent";
  if ((await exists(root, "bun.lockb")) || (await exists(root, "bun.lock"))) return "bun run";
  return "npm run --silent";
}

async function exists(root: string, name: string): Promise<boolean> {
  return access(path.join(root, name)).then(
    () => true,
    () => false,
  );
}
