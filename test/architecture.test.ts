import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * DESIGN.md's import table, enforced: a folder may import only the folders listed for
 * it (and itself). A new folder must be added here deliberately.
 */
const BELOW_AGENT = [
  "core",
  "config",
  "exec",
  "providers",
  "context",
  "tools",
  "permissions",
  "hooks",
  "git",
  "sessions",
  "telemetry",
  "mcp",
];
const BELOW_PLAN = [...BELOW_AGENT, "agent"];
const BELOW_RUNTIME = [...BELOW_PLAN, "plan", "jobs"];
const BELOW_TUI = [...BELOW_RUNTIME, "runtime"];

const ALLOWED: Record<string, string[]> = {
  core: [],
  config: ["core"],
  exec: ["core", "config"],
  providers: ["core", "config"],
  context: ["core", "config"],
  tools: ["core", "config", "context", "exec"],
  permissions: ["core", "config"],
  hooks: ["core", "config", "exec"],
  git: ["core", "exec"],
  sessions: ["core"],
  telemetry: ["core"],
  mcp: ["core", "config", "tools"],
  agent: BELOW_AGENT,
  plan: BELOW_PLAN,
  jobs: BELOW_PLAN,
  runtime: BELOW_RUNTIME,
  tui: BELOW_TUI,
  cli: [...BELOW_TUI, "tui"],
};

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("layer direction", () => {
  it("every src/ import goes only to a layer DESIGN.md allows", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const layer = path.relative(SRC, file).split(path.sep)[0];
      const allowed = ALLOWED[layer];
      if (!allowed) {
        violations.push(`${path.relative(SRC, file)}: folder "${layer}" is not in DESIGN.md's layer table`);
        continue;
      }
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from\s+|import\()\s*["'](\.[^"']+)["']/g)) {
        const target = path.resolve(path.dirname(file), match[1]);
        const targetLayer = path.relative(SRC, target).split(path.sep)[0];
        if (targetLayer !== layer && !allowed.includes(targetLayer)) {
          violations.push(`${path.relative(SRC, file)} imports ${match[1]} (${layer} → ${targetLayer})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
