/**
 * Which checks suit a project, from its marker files: the commands a developer of that
 * language runs after an edit. Only commands whose program is installed are proposed,
 * since a hook that cannot start fails after every edit. Reads a few files; runs nothing.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { findOnPath, isExecutable } from "../exec/path-lookup.js";
import { emptyHookSet, type HookSet } from "./config.js";

export interface DetectedHooks {
  hooks: HookSet;
  /** The marker files that decided, e.g. ["Cargo.toml"]; empty when nothing was found. */
  found: string[];
}

/** How far above the project a workspace's node_modules/.bin/tsc is looked for. */
const MAX_PARENT_LEVELS = 6;

export function detectProjectHooks(root: string, env: NodeJS.ProcessEnv): DetectedHooks {
  const hooks = emptyHookSet();
  const found: string[] = [];
  const has = (file: string) => isFile(path.join(root, file));
  const onPath = (program: string) => findOnPath(program, env) !== undefined;

  if (has("Cargo.toml") && onPath("cargo")) {
    found.push("Cargo.toml");
    hooks.on_edit.push("cargo check -q");
    hooks.on_task_done.push("cargo test -q 2>&1 | tail -5");
  }
  if (has("go.mod") && onPath("go")) {
    found.push("go.mod");
    hooks.on_edit.push("go build ./...");
  }
  const node = nodeChecks(root, env);
  if (node) {
    found.push(...node.found);
    hooks.on_edit.push(...node.onEdit);
    hooks.on_task_done.push(...node.onTaskDone);
  }
  const python = ["pyproject.toml", "setup.py"].find(has);
  if (python && onPath("ruff")) {
    found.push(python);
    hooks.on_edit.push("ruff check .");
  }
  return { hooks, found };
}

interface NodeChecks {
  found: string[];
  onEdit: string[];
  onTaskDone: string[];
}

/**
 * A `typecheck` script is what the project itself calls its type check, so it wins over
 * a bare tsc; `lint` runs on every edit only when there is nothing else, otherwise once
 * at the end of the task (linters over a whole project are slow).
 */
function nodeChecks(root: string, env: NodeJS.ProcessEnv): NodeChecks | undefined {
  const scripts = packageScripts(path.join(root, "package.json"));
  const hasNpm = findOnPath("npm", env) !== undefined;
  const typecheck = hasNpm && scripts?.has("typecheck");
  const lint = hasNpm && scripts?.has("lint");
  const tsc = isFile(path.join(root, "tsconfig.json")) ? tscCommand(root, env) : undefined;
  const found: string[] = [];
  const onEdit: string[] = [];
  const onTaskDone: string[] = [];
  if (typecheck) {
    found.push("package.json");
    onEdit.push("npm run typecheck");
  } else if (tsc) {
    found.push("tsconfig.json");
    onEdit.push(tsc);
  }
  if (lint) {
    if (!found.includes("package.json")) found.push("package.json");
    (onEdit.length === 0 ? onEdit : onTaskDone).push("npm run lint");
  }
  return found.length > 0 ? { found, onEdit, onTaskDone } : undefined;
}

/**
 * The project's own TypeScript, never a global one of another version: its
 * node_modules/.bin/tsc, or a workspace root's above it through `npx --no-install`
 * (which finds that binary and never downloads one).
 */
function tscCommand(root: string, env: NodeJS.ProcessEnv): string | undefined {
  if (isExecutable(path.join(root, "node_modules", ".bin", "tsc"))) return "node_modules/.bin/tsc --noEmit";
  let dir = root;
  for (let level = 0; level < MAX_PARENT_LEVELS; level++) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
    if (isExecutable(path.join(dir, "node_modules", ".bin", "tsc"))) {
      return findOnPath("npx", env) ? "npx --no-install tsc --noEmit" : undefined;
    }
  }
  return undefined;
}

function packageScripts(file: string): Set<string> | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { scripts?: unknown };
    const scripts = parsed.scripts;
    if (typeof scripts !== "object" || scripts === null) return new Set();
    return new Set(Object.keys(scripts));
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
