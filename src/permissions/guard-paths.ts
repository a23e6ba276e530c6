/**
 * Where a command's path argument really points: `~`, `$HOME`, relative paths against
 * the tracked `cd`, `..`, and symlinks followed through the nearest existing ancestor
 * (a link inside the root that points outside is outside). Reads the file system, never
 * writes it, never reads the environment: home and the rest come from the caller.
 */
import { readlink, realpath } from "node:fs/promises";
import path from "node:path";
import picomatch from "picomatch";
import type { CwdTrail, ShellWord } from "./shell-types.js";

export interface PathContext {
  /** Real (symlink-free) absolute paths. */
  root: string;
  tmpDir: string;
  home: string;
  /** The directory the line starts in. */
  cwd: string;
}

/** A path argument after resolution: one path, a glob under a known directory, or unknown. */
export type ResolvedPath =
  /** `path` is real; `literal` is as written, made absolute (`/dev/stdout` is a link to a pipe). */
  | { kind: "path"; path: string; literal: string }
  | { kind: "glob"; dir: string; pattern: string }
  | { kind: "unknown"; text: string };

/** The word's text with `~` and `$HOME` filled in, or undefined when it depends on anything else. */
export function staticText(word: ShellWord, home: string): string | undefined {
  let out = "";
  for (const segment of word.segments) {
    if (segment.kind === "text") out += segment.text;
    else if (segment.kind === "tilde" && segment.user === "") out += home;
    else if (segment.kind === "variable" && segment.name === "HOME") out += home;
    else return undefined;
  }
  return out;
}

/** The directory a command runs in, or undefined when a `cd` on the way cannot be followed. */
export function directoryOf(trail: CwdTrail, ctx: PathContext): string | undefined {
  if (trail === null) return undefined;
  let dir = ctx.cwd;
  for (const step of trail) {
    const text = staticText(step, ctx.home);
    if (text === undefined) return undefined;
    dir = path.resolve(dir, text);
  }
  return dir;
}

/**
 * Resolves a path word against `dir` (undefined: unknown directory): one result per
 * brace alternative (`{/,x}` is `/` and `x`). `followLast` false for operations on the
 * link itself (rm, mv's source, ln's name).
 */
export async function resolveWord(
  word: ShellWord,
  dir: string | undefined,
  ctx: PathContext,
  followLast: boolean,
): Promise<ResolvedPath[]> {
  const text = staticText(word, ctx.home);
  if (text === undefined) return [{ kind: "unknown", text: word.text }];
  const alternatives = word.glob ? expandBraces(text) : [text];
  if (alternatives === undefined) return [{ kind: "unknown", text: word.text }];
  return Promise.all(alternatives.map((alt) => resolveText(alt, word.glob && /[*?[]/.test(alt), dir, followLast)));
}

/** Most words one brace expansion may produce before it counts as unknown. */
const MAX_BRACE_WORDS = 64;

/** Bash brace expansion (`a{b,c}`, `{1..3}`), or undefined past MAX_BRACE_WORDS. */
export function expandBraces(text: string): string[] | undefined {
  const out: string[] = [];
  const expand = (s: string): boolean => {
    const brace = findBrace(s);
    if (!brace) {
      out.push(s);
      return out.length <= MAX_BRACE_WORDS;
    }
    if (brace.alternatives === undefined) return false;
    return brace.alternatives.every((alt) => expand(s.slice(0, brace.start) + alt + s.slice(brace.end + 1)));
  };
  return expand(text) ? out : undefined;
}

/** The first brace expression in `s`; `alternatives` undefined when a sequence is too long to list. */
function findBrace(s: string): { start: number; end: number; alternatives?: string[] } | undefined {
  for (let start = s.indexOf("{"); start !== -1; start = s.indexOf("{", start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < s.length; i++) {
      if (s[i] === "{") depth++;
      else if (s[i] === "," && depth === 1) commas.push(i);
      else if (s[i] === "}" && --depth === 0) {
        const inner = s.slice(start + 1, i);
        if (commas.length > 0) {
          const cuts = [start, ...commas, i];
          return { start, end: i, alternatives: cuts.slice(1).map((cut, k) => s.slice(cuts[k] + 1, cut)) };
        }
        const sequence = braceSequence(inner);
        if (sequence === "too-many") return { start, end: i };
        if (sequence) return { start, end: i, alternatives: sequence };
        break;
      }
    }
  }
  return undefined;
}

function braceSequence(inner: string): string[] | "too-many" | undefined {
  const match = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])$/.exec(inner);
  if (!match) return undefined;
  const numeric = /\d/.test(match[1]);
  const from = numeric ? Number(match[1]) : match[1].charCodeAt(0);
  const to = numeric ? Number(match[2]) : match[2].charCodeAt(0);
  if (Math.abs(to - from) >= MAX_BRACE_WORDS) return "too-many";
  const step = to >= from ? 1 : -1;
  const out: string[] = [];
  for (let v = from; step > 0 ? v <= to : v >= to; v += step) out.push(numeric ? String(v) : String.fromCharCode(v));
  return out;
}

/** Whether a glob under `dir` may match `target` or something inside it (dotfiles need a dot in the pattern, as in bash). */
export function globReaches(dir: string, pattern: string, target: string): boolean {
  if (isInside(dir, target)) return true;
  if (!isInside(target, dir)) return false;
  const rel = path.relative(dir, target).split("/");
  const parts = pattern.split("/");
  for (let i = 0; i < Math.min(rel.length, parts.length); i++) {
    if (!picomatch.isMatch(rel[i], parts[i], { dot: false })) return false;
  }
  return true;
}

export async function resolveText(
  text: string,
  glob: boolean,
  dir: string | undefined,
  followLast: boolean,
): Promise<ResolvedPath> {
  if (!path.isAbsolute(text) && dir === undefined) return { kind: "unknown", text };
  const absolute = path.resolve(dir ?? "/", text);
  const parts = absolute.split("/");
  const first = glob ? parts.findIndex((part) => /[*?[{]/.test(part)) : -1;
  if (first === -1) {
    const real = isHarmlessDevice(absolute) ? absolute : await realTarget(absolute, followLast);
    return { kind: "path", path: real, literal: absolute };
  }
  const base = parts.slice(0, first).join("/") || "/";
  return { kind: "glob", dir: await realTarget(base, true), pattern: parts.slice(first).join("/") };
}

/** The real path of `target`: symlinks resolved as far as the path exists, dangling links followed by hand. */
export async function realTarget(target: string, followLast = true): Promise<string> {
  let current = path.resolve(target);
  let rest: string[] = [];
  if (!followLast && current !== "/") {
    rest = [path.basename(current)];
    current = path.dirname(current);
  }
  for (let hops = 0; hops < 64; hops++) {
    try {
      return path.join(await realpath(current), ...rest);
    } catch {
      const link = await readlink(current).catch(() => undefined);
      if (link !== undefined) {
        current = path.resolve(path.dirname(current), link);
        continue;
      }
      if (current === "/" || current === path.dirname(current)) return path.join(current, ...rest);
      rest = [path.basename(current), ...rest];
      current = path.dirname(current);
    }
  }
  return path.resolve(target);
}

export function isInside(child: string, dir: string): boolean {
  const relative = path.relative(dir, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** Devices a command may write to: discarding output or the terminal, never a disk. */
const HARMLESS_DEVICES = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero"]);

export function isHarmlessDevice(p: string): boolean {
  return HARMLESS_DEVICES.has(p) || /^\/dev\/fd\/\d+$/.test(p) || /^\/proc\/self\/fd\/\d+$/.test(p);
}

export function isDevice(p: string): boolean {
  return p.startsWith("/dev/");
}
