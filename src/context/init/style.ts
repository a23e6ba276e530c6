/**
 * Lint and format configuration: which tools, the settings a model gets wrong when it
 * guesses (indentation, quotes, line width, import extensions), and the bare command to
 * run each tool when the project has no script for it.
 */
import { detectPackageManager, execCommand } from "./node.js";
import { asObject, asString, type JsonObject, type ProjectDir, readJson, readText, readToml } from "./probe.js";
import type { Findings, ProjectCommand } from "./types.js";

const ESLINT_FILES = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  ".eslintrc",
  ".eslintrc.js",
  ".eslintrc.cjs",
  ".eslintrc.json",
  ".eslintrc.yml",
  ".eslintrc.yaml",
];
const PRETTIER_FILES = [
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.json5",
  ".prettierrc.yml",
  ".prettierrc.yaml",
  ".prettierrc.toml",
  ".prettierrc.js",
  ".prettierrc.cjs",
  ".prettierrc.mjs",
  "prettier.config.js",
  "prettier.config.cjs",
  "prettier.config.mjs",
];

export async function detectStyle(project: ProjectDir): Promise<Partial<Findings>> {
  const pkg = project.files.has("package.json") ? await readJson(project.root, "package.json") : undefined;
  const pm = detectPackageManager(project, asString(pkg?.packageManager));
  const style: string[] = [];
  const commands: ProjectCommand[] = [];
  const sources: string[] = [];

  const biomeFile = ["biome.json", "biome.jsonc"].find((f) => project.files.has(f));
  if (biomeFile) {
    sources.push(biomeFile);
    const settings = biomeSettings((await readJson(project.root, biomeFile)) ?? {});
    style.push(`Biome (${biomeFile}): ${settings}`);
    commands.push({ label: "lint", command: execCommand(pm, "biome check ."), note: "--write fixes", fallback: true });
  }

  const eslintFile = ESLINT_FILES.find((f) => project.files.has(f));
  if (eslintFile || pkg?.eslintConfig !== undefined) {
    if (eslintFile) sources.push(eslintFile);
    style.push(`ESLint (${eslintFile ?? "package.json eslintConfig"})`);
    commands.push({ label: "lint", command: execCommand(pm, "eslint ."), fallback: true });
  }

  const prettierFile = PRETTIER_FILES.find((f) => project.files.has(f));
  if (prettierFile || pkg?.prettier !== undefined) {
    if (prettierFile) sources.push(prettierFile);
    const config = prettierFile ? await readJson(project.root, prettierFile) : asObject(pkg?.prettier);
    const settings = prettierSettings(config ?? {});
    style.push(`Prettier (${prettierFile ?? "package.json"})${settings ? `: ${settings}` : ""}`);
    commands.push({ label: "format", command: execCommand(pm, "prettier --write ."), fallback: true });
  }

  if (project.files.has("tsconfig.json")) {
    const ts = await readJson(project.root, "tsconfig.json");
    const line = tsconfigLine(asObject(ts?.compilerOptions));
    if (line) {
      style.push(line);
      sources.push("tsconfig.json");
    }
  }

  const rustfmtFile = ["rustfmt.toml", ".rustfmt.toml"].find((f) => project.files.has(f));
  if (rustfmtFile) {
    sources.push(rustfmtFile);
    const config = (await readToml(project.root, rustfmtFile)) ?? {};
    const pairs = Object.entries(config)
      .filter(([, v]) => typeof v !== "object")
      .slice(0, 5)
      .map(([k, v]) => `${k}=${String(v)}`);
    style.push(`rustfmt (${rustfmtFile})${pairs.length > 0 ? `: ${pairs.join(", ")}` : ""}`);
  }

  if (project.files.has(".editorconfig")) {
    const line = editorconfigLine((await readText(project.root, ".editorconfig")) ?? "");
    if (line) {
      style.push(`.editorconfig: ${line}`);
      sources.push(".editorconfig");
    }
  }
  return { style, commands, sources };
}

/** Biome's effective formatter settings; its defaults (tabs, width 80) surprise people, so they are spelled out. */
function biomeSettings(config: JsonObject): string {
  const formatter = asObject(config.formatter);
  const js = asObject(asObject(config.javascript).formatter);
  const indentStyle = asString(js.indentStyle) ?? asString(formatter.indentStyle) ?? "tab";
  const width = js.indentWidth ?? formatter.indentWidth ?? 2;
  const indent = indentStyle === "space" ? `${String(width)} spaces` : "tabs";
  const lineWidth = js.lineWidth ?? formatter.lineWidth ?? 80;
  const quotes = asString(js.quoteStyle) === "single" ? "single quotes" : "double quotes";
  const semis = asString(js.semicolons) === "asNeeded" ? ", no semicolons" : "";
  return `${indent}, line width ${String(lineWidth)}, ${quotes}${semis}`;
}

function prettierSettings(config: JsonObject): string {
  const parts: string[] = [];
  if (config.useTabs === true) parts.push("tabs");
  else if (typeof config.tabWidth === "number") parts.push(`${config.tabWidth} spaces`);
  if (config.singleQuote === true) parts.push("single quotes");
  if (config.semi === false) parts.push("no semicolons");
  if (typeof config.printWidth === "number") parts.push(`width ${config.printWidth}`);
  const trailing = asString(config.trailingComma);
  if (trailing) parts.push(`trailing commas ${trailing}`);
  return parts.join(", ");
}

/** Only the compiler options that change how code must be written. */
function tsconfigLine(options: JsonObject): string | undefined {
  const parts: string[] = [];
  if (options.strict === true) parts.push("strict");
  const resolution = `${asString(options.moduleResolution) ?? ""} ${asString(options.module) ?? ""}`.toLowerCase();
  if (/node16|nodenext/.test(resolution)) parts.push("NodeNext: relative imports end in `.js`");
  if (options.verbatimModuleSyntax === true) parts.push("type-only imports use `import type`");
  if (options.noUncheckedIndexedAccess === true) parts.push("noUncheckedIndexedAccess");
  return parts.length > 0 ? `TypeScript: ${parts.join("; ")}` : undefined;
}

/** The `[*]` defaults plus up to three per-glob indentation overrides. */
export function editorconfigLine(text: string): string | undefined {
  const sections: [string, Record<string, string>][] = [];
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) {
      current = {};
      sections.push([header[1], current]);
      continue;
    }
    const kv = line.match(/^([\w-]+)\s*=\s*(.*)$/);
    if (kv && current) current[kv[1].toLowerCase()] = kv[2].trim().toLowerCase();
  }
  const describe = (props: Record<string, string>): string | undefined => {
    const parts: string[] = [];
    if (props.indent_style === "tab") parts.push("tabs");
    else if (props.indent_style === "space" || props.indent_size) parts.push(`${props.indent_size ?? "?"} spaces`);
    if (props.max_line_length && props.max_line_length !== "off") parts.push(`max line ${props.max_line_length}`);
    if (props.end_of_line) parts.push(props.end_of_line.toUpperCase());
    return parts.length > 0 ? parts.join(", ") : undefined;
  };
  const out: string[] = [];
  for (const [glob, props] of sections) {
    const described = describe(props);
    if (!described) continue;
    if (glob === "*") out.unshift(described);
    else if (out.length < 4) out.push(`${glob} ${described}`);
  }
  return out.length > 0 ? out.join("; ") : undefined;
}
