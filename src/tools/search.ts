import { stat } from "node:fs/promises";
import type { Tool, ToolContext, ToolResult } from "../core/types.js";
import { resolveInProject } from "./path-safety.js";
import { loadRgPath, searchWithRg } from "./search-rg.js";
import type { SearchOutcome, SearchQuery } from "./search-types.js";
import { clipLine, formatCount, OUTPUT_LIMITS, recallCall } from "./truncate.js";

export interface SearchToolOptions {
  root: string;
  /** Use the pure-JS backend even when ripgrep is available (tests, bench). */
  forceFallback?: boolean;
  /** ripgrep binary; default the one @vscode/ripgrep ships, loaded on first use. */
  rgPath?: string;
  /** Matches shown to the model (default 100). */
  maxMatches?: number;
}

/** Characters of a matching line shown to the model; recall keeps up to maxLineChars. */
const SHOWN_LINE_CHARS = 300;
const KEPT_MATCHES = 20_000;

/**
 * `search {pattern, path?, glob?}`: regex search over the project's files with ripgrep,
 * or a pure-JS fallback with the same files, results and order. A pattern that is not
 * a valid regex is searched as literal text, and the result says so (no retry needed).
 * Zero matches is said plainly so a model can conclude that a replacement is complete.
 */
export function createSearchTool(options: SearchToolOptions): Tool {
  const maxMatches = options.maxMatches ?? 100;
  let rgPath: Promise<string | undefined> | undefined;
  const findRg = () => {
    if (options.forceFallback) return Promise.resolve(undefined);
    rgPath ??= options.rgPath ? Promise.resolve(options.rgPath) : loadRgPath();
    return rgPath;
  };
  return {
    name: "search",
    description: "Regex search in files (respects .gitignore). path: file or folder; glob: e.g. *.ts.",
    parameters: {
      type: "object",
      properties: {
        pattern: { type: "string" },
        path: { type: "string" },
        glob: { type: "string" },
      },
      required: ["pattern"],
    },
    mutates: false,
    async execute(args, ctx): Promise<ToolResult> {
      const pattern = typeof args.pattern === "string" ? args.pattern : "";
      if (pattern === "") return fail("pattern is empty: give the text or regex to search for", "search: empty");
      const requested = typeof args.path === "string" && args.path.trim() !== "" ? args.path : ".";
      const resolved = resolveInProject(options.root, requested);
      if ("error" in resolved) return fail(resolved.error, "search: refused");
      let startIsFile: boolean;
      try {
        startIsFile = !(await stat(resolved.absolute)).isDirectory();
      } catch {
        return fail(`${requested} not found; search without path to cover the whole project`, "search: not found");
      }
      const glob = typeof args.glob === "string" && args.glob.trim() !== "" ? args.glob.trim() : undefined;
      const compiled = toJsRegex(pattern);
      const query: SearchQuery = {
        root: options.root,
        pattern,
        regex: compiled.regex,
        literal: compiled.literal,
        startRel: resolved.relative,
        startIsFile,
        glob,
        signal: ctx.signal,
        maxKept: KEPT_MATCHES,
        maxLineChars: OUTPUT_LIMITS.maxLineChars,
      };
      let outcome: SearchOutcome;
      try {
        outcome = await runSearch(query, await findRg());
      } catch (err) {
        return fail(`search failed: ${(err as Error).message}`, "search: failed");
      }
      if (ctx.signal.aborted) return fail("cancelled", "search: cancelled");
      return format(outcome, query, maxMatches, ctx);
    },
  };
}

async function runSearch(query: SearchQuery, rgPath: string | undefined): Promise<SearchOutcome> {
  if (rgPath) {
    const rg = await searchWithRg(rgPath, query);
    if (rg.kind === "ok") return rg.outcome;
  }
  // The fallback's walker and glob libraries load only when ripgrep cannot serve.
  const { searchWithJs } = await import("./search-js.js");
  return searchWithJs(query);
}

function fail(content: string, display: string): ToolResult {
  return { content, display, isError: true };
}

function format(outcome: SearchOutcome, query: SearchQuery, maxMatches: number, ctx: ToolContext): ToolResult {
  const where = query.startRel === "." ? "the project" : query.startRel;
  const scope = `${where}${query.glob && !query.startIsFile ? ` (glob ${query.glob})` : ""}`;
  const shownPattern = query.literal ? JSON.stringify(query.pattern) : `/${query.pattern}/`;
  const literalNote = query.literal ? ` (not a valid regex, so searched as literal text)` : "";
  if (outcome.total === 0) {
    return {
      content: `no matches for ${shownPattern} in ${scope}${literalNote}`,
      display: "no matches",
      isError: false,
    };
  }
  const line = (m: SearchOutcome["matches"][number], max: number) =>
    `${m.path}:${m.line}: ${clipLine(m.text.trimStart(), max)}`;
  const lines: string[] = [];
  let chars = 0;
  for (const m of outcome.matches) {
    if (lines.length >= maxMatches) break;
    const text = line(m, SHOWN_LINE_CHARS);
    if (chars + text.length + 1 > OUTPUT_LIMITS.maxChars - 300) break;
    lines.push(text);
    chars += text.length + 1;
  }
  const files = `${formatCount(outcome.files)} file${outcome.files === 1 ? "" : "s"}`;
  const display = `${formatCount(outcome.total)} match${outcome.total === 1 ? "" : "es"} in ${files}`;
  if (query.literal)
    lines.unshift(`(${JSON.stringify(query.pattern)} is not a valid regex, so it was searched as literal text)`);
  const cut = lines.length - (query.literal ? 1 : 0) < outcome.total;
  if (!cut) return { content: lines.join("\n"), display, isError: false };

  const shown = lines.length - (query.literal ? 1 : 0);
  lines.push(
    `[${formatCount(shown)} of ${formatCount(outcome.total)} matches shown (${files}); narrow with path or glob, or ${recallCall(ctx.callId)} for all]`,
  );
  const full = outcome.matches.map((m) => line(m, OUTPUT_LIMITS.maxLineChars));
  if (outcome.matches.length < outcome.total) {
    full.push(
      `[only the first ${formatCount(outcome.matches.length)} of ${formatCount(outcome.total)} matches were kept]`,
    );
  }
  return { content: lines.join("\n"), display, isError: false, fullOutput: full.join("\n") };
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: "\\s",
  word: "\\w",
  xdigit: "0-9A-Fa-f",
  punct: "!-\\/:-@\\[-`{-~",
};

/**
 * Compiles a ripgrep (Rust) pattern for JavaScript: leading inline flags `(?i)` `(?s)`
 * `(?m)`, `(?P<name>`, `\A` `\z`, and POSIX classes are translated. A pattern neither
 * engine form accepts becomes a literal search.
 */
export function toJsRegex(pattern: string): { regex: RegExp; literal: boolean } {
  let source = pattern;
  let flags = "";
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    flags = [...new Set(inline[1])].join("");
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, "(?<")
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$")
    .replace(/\[:(\w+):\]/g, (all, name: string) => POSIX_CLASSES[name] ?? all);
  for (const extra of ["u", ""]) {
    try {
      return { regex: new RegExp(source, flags + extra), literal: false };
    } catch {
      // try the next form
    }
  }
  return { regex: new RegExp(escapeRegex(pattern)), literal: true };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
