import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { ReadCache } from "../context/read-cache.js";
import type { JsonSchema, Tool, ToolContext, ToolResult } from "../core/types.js";
import { type ArgResult, booleanArg, errorResult, stringArg } from "./file-common.js";
import { canonicalPath, loadTextFile, type TextFile } from "./file-io.js";
import { renderLines } from "./line-hash.js";
import { fallbackOutline } from "./outline-fallback.js";
import { resolveInProject } from "./path-safety.js";

/** Lines a read without line_range returns: enough to orient, cheap enough to afford. */
export const DEFAULT_READ_LINES = 150;
/** Most lines one call returns, whatever range was asked for. */
export const MAX_READ_LINES = 400;
/** Opening lines shown after the outline of a file too long for one default read. */
export const OUTLINE_OPENING_LINES = 20;

export const READ_FILE_DESCRIPTION = "Read a file: up to 150 lines, each prefixed N#hash: (not file content).";

export const READ_FILE_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string" },
    line_range: {
      type: "array",
      items: { type: "integer" },
      description: "[start, end], 1-based; end -1 = last line",
    },
    symbols: { type: "boolean", description: "Outline instead of text" },
  },
  required: ["path"],
};

/**
 * Returns an outline (one declaration per line, with line numbers) or null when it
 * has none for this file; may be slow the first time, must not throw for bad input.
 */
export type SymbolOutline = (absPath: string, source: string) => Promise<string | null>;

/** One declaration of a file's outline-first read. */
export interface OutlineEntry {
  name: string;
  kind: string;
  /** 1-based line of the declaration. */
  line: number;
  /** The enclosing type, for methods. */
  parent?: string;
}

/**
 * The declarations of a file in source order, or null when the language is not known;
 * must be fast (it runs on every default read of a long file) and must not throw.
 */
export type OutlineSymbols = (absPath: string, source: string) => Promise<OutlineEntry[] | null>;

/** Where a symbol is defined, from the project map; empty when the name is not a known symbol. */
export type SymbolLocator = (name: string) => Promise<Array<{ file: string; line: number; kind: string }>>;

export interface ReadFileOptions {
  root: string;
  cache: ReadCache;
  symbols?: SymbolOutline;
  /**
   * Declarations for the outline a default read of a long file starts with. Without it
   * (or for a file it knows no outline for) such a read returns the first 150 lines.
   */
  outlineSymbols?: OutlineSymbols;
  /** Lets a missing path that is really a symbol name ("UserService") point at its file. */
  locateSymbol?: SymbolLocator;
}

export function createReadFileTool(options: ReadFileOptions): Tool {
  return {
    name: "read_file",
    description: READ_FILE_DESCRIPTION,
    parameters: READ_FILE_SCHEMA,
    mutates: false,
    async execute(args, ctx) {
      try {
        return await readFile(options, args, ctx);
      } catch (err) {
        return errorResult("read failed", `read_file failed: ${(err as Error).message}`);
      }
    },
  };
}

type Request = { kind: "outline" } | { kind: "range"; start: number; end: number | null };

async function readFile(
  options: ReadFileOptions,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const pathArg = stringArg(args, "path", true);
  if ("error" in pathArg) return errorResult("read: bad arguments", pathArg.error);
  const resolved = resolveInProject(options.root, pathArg.value ?? "");
  if ("error" in resolved) return errorResult("read: path refused", resolved.error);
  const rel = resolved.relative;
  const request = parseRequest(args);
  if ("error" in request) return errorResult(`read ${rel}: bad arguments`, request.error);

  const loaded = await loadTextFile(resolved.absolute, rel);
  if (!loaded.ok) {
    const hint = await failureHint(loaded.reason, resolved.absolute, rel, options.locateSymbol);
    return errorResult(`read ${rel}: ${loaded.reason.replace("_", " ")}`, `${loaded.message}. ${hint}`);
  }
  const { file, stats } = loaded;
  const shape =
    request.value.kind === "outline" ? "outline" : `${request.value.start}:${request.value.end ?? "default"}`;
  // mtime and size alone miss a same-size change within one timestamp tick (coarse on
  // many file systems); the text is in memory anyway, so its hash settles it.
  const key = `${shape}:${createHash("sha1").update(file.text).digest("base64")}`;
  const cacheKey = await canonicalPath(resolved.absolute);
  const stamp = { mtimeMs: stats.mtimeMs, size: stats.size };
  const seen = options.cache.lookup(cacheKey, key, stamp);
  if (seen) {
    return {
      content: `[unchanged since turn ${seen.turn} — the content shown then is still current]`,
      display: `read ${rel} (unchanged since turn ${seen.turn})`,
      isError: false,
    };
  }
  const result =
    request.value.kind === "outline"
      ? await outline(options, resolved.absolute, rel, file)
      : request.value.end === null && request.value.start === 1 && file.lines.length > DEFAULT_READ_LINES
        ? ((await outlineFirst(options, resolved.absolute, rel, file)) ?? excerpt(rel, file, 1, null))
        : excerpt(rel, file, request.value.start, request.value.end);
  if (!result.isError) options.cache.remember(cacheKey, key, stamp, ctx.turn);
  return result;
}

function parseRequest(args: Record<string, unknown>): ArgResult<Request> {
  const symbols = booleanArg(args, "symbols");
  if ("error" in symbols) return symbols;
  if (symbols.value) return { value: { kind: "outline" } };
  const range = args.line_range;
  if (range === undefined || range === null) return { value: { kind: "range", start: 1, end: null } };
  const usage =
    "line_range must be two integers [start, end], 1-based inclusive, end -1 for end of file, e.g. [40, 80]";
  let parts: unknown = range;
  if (typeof range === "string") {
    // Some models send the range as text: "10-20", "10,20" or "[10, -1]".
    const m = /^\s*\[?\s*(\d+)\s*(?:,|:|-|\s)\s*(-?\d+)\s*\]?\s*$/.exec(range);
    parts = m ? [Number(m[1]), Number(m[2])] : null;
  }
  if (!Array.isArray(parts) || parts.length !== 2) return { error: usage };
  const [start, end] = (parts as unknown[]).map((p) =>
    typeof p === "string" && /^-?\d+$/.test(p.trim()) ? Number(p) : p,
  );
  if (!Number.isInteger(start) || !Number.isInteger(end)) return { error: usage };
  const s = start as number;
  const e = end as number;
  if (s < 1) return { error: `${usage}; start must be ≥ 1` };
  if (e !== -1 && e < s) return { error: `${usage}; end (${e}) is before start (${s})` };
  return { value: { kind: "range", start: s, end: e === -1 ? Number.POSITIVE_INFINITY : e } };
}

function excerpt(rel: string, file: TextFile, start: number, requestedEnd: number | null): ToolResult {
  const total = file.lines.length;
  const lossy = file.lossy ? "[invalid UTF-8 bytes shown as �; edit_file and patch_file refuse this file]\n" : "";
  if (total === 0) return { content: "[empty file]", display: `read ${rel} (empty)`, isError: false };
  if (start > total) {
    return errorResult(
      `read ${rel}: range past end`,
      `${rel} has ${total} lines; line_range starts at ${start}. Ask for a range within [1, ${total}].`,
    );
  }
  const cap = requestedEnd === null ? DEFAULT_READ_LINES : MAX_READ_LINES;
  const wanted = Math.min(requestedEnd ?? start + DEFAULT_READ_LINES - 1, total);
  const end = Math.min(wanted, start + cap - 1);
  let note = "";
  if (end < total) {
    const size = end - start + 1;
    const next = `line_range [${end + 1}, ${Math.min(total, end + size)}]`;
    const why = end < wanted ? `at most ${MAX_READ_LINES} lines per call; ` : "";
    const outlineHint = requestedEnd === null ? " or symbols: true for an outline" : "";
    note = `\n[lines ${start}-${end} of ${total}; ${why}read more with ${next}${outlineHint}]`;
  }
  return {
    content: lossy + renderLines(file.lines, start, end) + note,
    display: `read ${rel} (lines ${start}-${end} of ${total})`,
    isError: false,
  };
}

async function outline(options: ReadFileOptions, absolute: string, rel: string, file: TextFile): Promise<ToolResult> {
  let text: string | null = null;
  if (options.symbols) {
    try {
      text = await options.symbols(absolute, file.text);
    } catch {
      text = null;
    }
  }
  text ??= fallbackOutline(absolute, file.text);
  const total = file.lines.length;
  if (!text || text.trim() === "") {
    // No outline to give: the excerpt answers the same need without another call.
    const shown = excerpt(rel, file, 1, null);
    const reason = text === null ? `no outline for ${path.extname(rel) || "this"} files` : "no declarations found";
    return { ...shown, content: `[${reason}; showing the file instead]\n${shown.content}` };
  }
  return {
    content: `[outline of ${rel}, ${total} lines; read a part with line_range]\n${text.trimEnd()}`,
    display: `read ${rel} (outline)`,
    isError: false,
  };
}

/** Words for declarations that are not functions; a bare name is a function or method. */
const KIND_WORDS = new Set(["class", "interface", "type", "enum", "struct", "trait", "const", "module"]);

/**
 * A default read of a file longer than one read: its outline (a line number and a name
 * per declaration, methods indented under their type) and then its opening lines, all
 * within the same 150-line cap. The model asks for the range it needs next instead of
 * paying for 150 lines that are rarely the right ones. Null when no outline is known.
 */
async function outlineFirst(
  options: ReadFileOptions,
  absolute: string,
  rel: string,
  file: TextFile,
): Promise<ToolResult | null> {
  let entries: OutlineEntry[] | null = null;
  try {
    entries = (await options.outlineSymbols?.(absolute, file.text)) ?? null;
  } catch {
    entries = null;
  }
  if (!entries || entries.length === 0) return null;
  const total = file.lines.length;
  // The header and a possible "… more" line share the cap with the outline and the opening.
  const room = DEFAULT_READ_LINES - OUTLINE_OPENING_LINES - 2;
  // Past the room, methods go first (their type's line still leads there), then the tail.
  const shown = entries.length > room ? entries.filter((e) => !e.parent) : entries;
  const listed = shown.slice(0, room);
  const lines: string[] = [];
  let container: string | undefined;
  for (const entry of listed) {
    const word = KIND_WORDS.has(entry.kind) ? `${entry.kind} ` : "";
    const nested = entry.parent !== undefined && entry.parent === container;
    lines.push(
      `${nested ? "  " : ""}${entry.line} ${word}${nested || !entry.parent ? "" : `${entry.parent}.`}${entry.name}`,
    );
    if (!entry.parent) container = entry.name;
  }
  if (listed.length < entries.length) {
    lines.push(`… ${entries.length - listed.length} more; symbols: true lists every declaration`);
  }
  const opening = Math.min(OUTLINE_OPENING_LINES, total);
  const lossy = file.lossy ? "[invalid UTF-8 bytes shown as �; edit_file and patch_file refuse this file]\n" : "";
  const header = `[${rel}: ${total} lines, too long for one read: its outline (line, declaration), then lines 1-${opening}. Read what you need with line_range]`;
  return {
    content: `${lossy}${header}\n${lines.join("\n")}\n${renderLines(file.lines, 1, opening)}`,
    display: `read ${rel} (outline + lines 1-${opening} of ${total})`,
    isError: false,
  };
}

/** "UserService" or "src/UserService" asked for as a path: say where that symbol is defined. */
async function symbolHint(rel: string, locateSymbol: SymbolLocator | undefined): Promise<string | undefined> {
  const name = path.basename(rel).replace(/\.\w+$/, "");
  if (!locateSymbol || !/^[A-Za-z_$][\w$]*(?:[.:]{1,2}[A-Za-z_$][\w$]*)?$/.test(name)) return undefined;
  let found: Awaited<ReturnType<SymbolLocator>>;
  try {
    found = await locateSymbol(name);
  } catch {
    return undefined;
  }
  if (found.length === 0) return undefined;
  const places = found
    .slice(0, 3)
    .map((f) => `${f.file}:${f.line} (${f.kind})`)
    .join(", ");
  const first = found[0];
  return `${name} is defined at ${places}; read it with read_file {"path": "${first.file}", "line_range": [${first.line}, ${first.line + 40}]}.`;
}

async function failureHint(
  reason: string,
  absolute: string,
  rel: string,
  locateSymbol: SymbolLocator | undefined,
): Promise<string> {
  switch (reason) {
    case "missing": {
      const defined = await symbolHint(rel, locateSymbol);
      if (defined) return defined;
      const similar = await similarNames(absolute, rel);
      const guess = similar.length > 0 ? `Similar: ${similar.join(", ")}. ` : "";
      return `${guess}Find the right path with list_files or search.`;
    }
    case "directory":
      return `Use list_files {"path": "${rel}"} to see what it contains.`;
    case "binary":
      return "read_file shows text only; use bash (e.g. `file`, `xxd | head`) to inspect it.";
    case "too_large":
      return "Use search to find the part you need, or bash (`sed -n '1,100p'`) for a slice.";
    default:
      return "Check the path and retry.";
  }
}

/** Up to three names in the same folder that look like what the model asked for. */
async function similarNames(absolute: string, rel: string): Promise<string[]> {
  const dir = path.dirname(absolute);
  const base = path.basename(absolute).toLowerCase();
  const stem = base.replace(/\.[^.]*$/, "");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => {
      const lower = n.toLowerCase();
      return lower === base || (stem.length >= 3 && lower.replace(/\.[^.]*$/, "") === stem);
    })
    .slice(0, 3)
    .map((n) => path.posix.join(path.posix.dirname(rel), n));
}
