/** package.json: name, module type, engines, package manager, the scripts worth running, main frameworks. */
import { asObject, asString, asStrings, majorOf, type ProjectDir, readJson } from "./probe.js";
import type { Findings, ProjectCommand } from "./types.js";

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

/** Lockfile → manager; the lockfile is what the team actually uses, so it beats `packageManager`. */
const LOCKFILES: [string, PackageManager][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lockb", "bun"],
  ["bun.lock", "bun"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

/** Scripts worth naming, in the order shown; the first name found per label wins. */
const SCRIPT_LABELS: [label: string, names: string[]][] = [
  ["test", ["test"]],
  ["build", ["build"]],
  ["lint", ["lint"]],
  ["typecheck", ["typecheck", "type-check", "check-types", "types", "tsc"]],
  ["format", ["format", "fmt"]],
  ["check", ["check"]],
  ["dev", ["dev", "start"]],
];

/** Dependency → display name. Only what changes how code is written or tested. */
const FRAMEWORKS: [dep: string, label: string][] = [
  ["next", "Next.js"],
  ["nuxt", "Nuxt"],
  ["@remix-run/react", "Remix"],
  ["astro", "Astro"],
  ["react", "React"],
  ["vue", "Vue"],
  ["svelte", "Svelte"],
  ["@angular/core", "Angular"],
  ["solid-js", "Solid"],
  ["ink", "Ink"],
  ["electron", "Electron"],
  ["express", "Express"],
  ["fastify", "Fastify"],
  ["koa", "Koa"],
  ["hono", "Hono"],
  ["@nestjs/core", "NestJS"],
  ["@prisma/client", "Prisma"],
  ["drizzle-orm", "Drizzle ORM"],
  ["zod", "Zod"],
  ["tailwindcss", "Tailwind CSS"],
  ["vite", "Vite"],
  ["vitest", "Vitest"],
  ["jest", "Jest"],
  ["mocha", "Mocha"],
  ["ava", "AVA"],
  ["@playwright/test", "Playwright"],
  ["cypress", "Cypress"],
];

/** npm's placeholder script fails on purpose; suggesting it would send the model down a dead end. */
const PLACEHOLDER_TEST = /no test specified/;

export function detectPackageManager(project: ProjectDir, declared: string | undefined): PackageManager {
  for (const [file, pm] of LOCKFILES) if (project.files.has(file)) return pm;
  const name = declared?.split("@")[0];
  return name === "pnpm" || name === "yarn" || name === "bun" ? name : "npm";
}

/**
 * The exact command for a script. `test` has a shorthand everywhere but bun (`bun test`
 * runs bun's own runner, not the script); everything else uses `run`, because bare
 * `yarn check` or `pnpm install`-style names collide with built-in commands.
 */
export function scriptCommand(pm: PackageManager, script: string): string {
  if (script === "test" && pm !== "bun") return `${pm} test`;
  return `${pm} run ${script}`;
}

/** How to run a locally installed binary with this manager. */
export function execCommand(pm: PackageManager, bin: string): string {
  const prefix = { npm: "npx", pnpm: "pnpm exec", yarn: "yarn", bun: "bunx" }[pm];
  return `${prefix} ${bin}`;
}

export async function detectNode(project: ProjectDir): Promise<Partial<Findings> | undefined> {
  if (!project.files.has("package.json")) return undefined;
  const pkg = await readJson(project.root, "package.json");
  // A malformed package.json still says "this is a Node project"; it just tells us nothing else.
  if (!pkg) return { stack: ["Node (package.json unreadable)"], sources: ["package.json"] };

  const pm = detectPackageManager(project, asString(pkg.packageManager));
  const lockfile = LOCKFILES.find(([file]) => project.files.has(file))?.[0];
  const deps = { ...asObject(pkg.devDependencies), ...asObject(pkg.peerDependencies), ...asObject(pkg.dependencies) };
  const hasTs = project.files.has("tsconfig.json") || "typescript" in deps;

  const stack = [hasTs ? "TypeScript" : "JavaScript"];
  const node = asString(asObject(pkg.engines).node);
  stack.push(node ? `Node ${node}` : "Node");
  stack.push(pkg.type === "module" ? "ESM" : "CommonJS");
  stack.push(pm);

  const frameworks: string[] = [];
  for (const [dep, label] of FRAMEWORKS) {
    const range = asString(deps[dep]);
    if (range === undefined) continue;
    const major = majorOf(range);
    frameworks.push(major ? `${label} ${major}` : label);
  }

  const commands = scriptCommands(pm, asObject(pkg.scripts));
  // No usable test script: name the runner itself so the model does not guess `npm test`.
  if (!commands.some((c) => c.label === "test")) {
    const runner = "vitest" in deps ? "vitest run" : "jest" in deps ? "jest" : "mocha" in deps ? "mocha" : undefined;
    if (runner) commands.unshift({ label: "test", command: execCommand(pm, runner) });
  }

  const layout: string[] = [];
  const workspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : asObject(pkg.workspaces).packages;
  const globs = asStrings(workspaces);
  if (globs.length > 0) layout.push(`Workspaces: ${globs.map((g) => `\`${g}\``).join(", ")}`);
  const entry = entryPoint(pkg);
  if (entry) layout.push(entry);

  return {
    name: asString(pkg.name),
    stack,
    frameworks,
    commands,
    layout,
    sources: ["package.json", ...(lockfile ? [lockfile] : [])],
  };
}

function scriptCommands(pm: PackageManager, scripts: Record<string, unknown>): ProjectCommand[] {
  const out: ProjectCommand[] = [];
  for (const [label, names] of SCRIPT_LABELS) {
    const name = names.find((n) => typeof scripts[n] === "string");
    if (name === undefined) continue;
    const body = String(scripts[name]).trim();
    if (label === "test" && PLACEHOLDER_TEST.test(body)) continue;
    // The body tells the model which tool runs underneath (how to run one test file, say);
    // long bodies are shell plumbing and cost more than they say.
    out.push({ label, command: scriptCommand(pm, name), note: body.length <= 60 ? body : undefined });
  }
  return out;
}

function entryPoint(pkg: Record<string, unknown>): string | undefined {
  const bin = pkg.bin;
  if (typeof bin === "string") return `CLI entry: \`${bin}\``;
  const bins = Object.entries(asObject(bin)).filter((e): e is [string, string] => typeof e[1] === "string");
  if (bins.length > 0) return `CLI: ${bins.map(([n, p]) => `\`${n}\` → \`${p}\``).join(", ")}`;
  const main = asString(pkg.main);
  return main ? `Entry: \`${main}\`` : undefined;
}
