/**
 * Small, forgiving readers for `parecode init`. Every detector goes through these so a
 * missing, unreadable or malformed file is "no information", never a crash: init must
 * work on any checkout, including half-broken ones.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseToml } from "smol-toml";

/** Manifests larger than this are not project manifests we can learn from quickly. */
const MAX_READ_BYTES = 512_000;

export type JsonObject = Record<string, unknown>;

/** A project root with its top-level entries listed once, so detectors need no `stat` calls. */
export interface ProjectDir {
  root: string;
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

export async function openProject(root: string): Promise<ProjectDir> {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const entry of await listEntries(root)) {
    if (entry.isDirectory) dirs.add(entry.name);
    else files.add(entry.name);
  }
  return { root, files, dirs };
}

export interface Entry {
  name: string;
  isDirectory: boolean;
}

/** Directory entries sorted by name (deterministic output); empty when unreadable. */
export async function listEntries(dir: string): Promise<Entry[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => ({ name: e.name, isDirectory: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** A file's text without a BOM, or undefined when missing, unreadable or too large. */
export async function readText(root: string, rel: string): Promise<string | undefined> {
  try {
    const buf = await readFile(path.join(root, rel));
    if (buf.length > MAX_READ_BYTES) return undefined;
    return buf.toString("utf8").replace(/^\uFEFF/, "");
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

export function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** JSON or JSONC (biome.jsonc, tsconfig-style comments and trailing commas); undefined when malformed. */
export function parseJsonc(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(stripJsonComments(text));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseTomlSafe(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = parseToml(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function readJson(root: string, rel: string): Promise<JsonObject | undefined> {
  const text = await readText(root, rel);
  return text === undefined ? undefined : parseJsonc(text);
}

export async function readToml(root: string, rel: string): Promise<JsonObject | undefined> {
  const text = await readText(root, rel);
  return text === undefined ? undefined : parseTomlSafe(text);
}

/** Removes // and /* comments and trailing commas outside strings. */
function stripJsonComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

/** Major version from a semver range ("^19.1.0" → "19"), for "React 19"-style labels. */
export function majorOf(range: string | undefined): string | undefined {
  const m = range?.match(/(\d+)(?:\.\d+)?/);
  if (!m || range?.startsWith("workspace:") || range?.includes("/")) return undefined;
  return m[1] === "0" ? undefined : m[1];
}
