/** What both search backends are asked, and what they return. */

export interface SearchQuery {
  root: string;
  /** The pattern as the model wrote it (Rust regex syntax for ripgrep). */
  pattern: string;
  /** The same pattern compiled for JavaScript (already escaped when `literal`). */
  regex: RegExp;
  /** Search for the pattern as plain text. */
  literal: boolean;
  /** Project-relative start, "." for the whole project. */
  startRel: string;
  /** An explicit file is searched even when ignored and whatever the glob says (as ripgrep does). */
  startIsFile: boolean;
  glob?: string;
  signal: AbortSignal;
  /** Matches kept; the rest are only counted. */
  maxKept: number;
  /** Characters of one matching line kept. */
  maxLineChars: number;
}

export interface SearchMatch {
  /** Project-relative, forward slashes. */
  path: string;
  line: number;
  text: string;
}

export interface SearchOutcome {
  matches: SearchMatch[];
  /** Matching lines in all, kept or not. */
  total: number;
  files: number;
}

/** Path, then line: the order both backends report in. */
export function compareMatches(a: SearchMatch, b: SearchMatch): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.line - b.line;
}

/** Collects matches in bounded memory; sorting happens once at the end. */
export function createMatchSink(maxKept: number, maxLineChars: number) {
  const matches: SearchMatch[] = [];
  const files = new Set<string>();
  let total = 0;
  return {
    add(path: string, line: number, rawText: string) {
      total += 1;
      files.add(path);
      if (matches.length >= maxKept) return;
      const text = rawText.endsWith("\r") ? rawText.slice(0, -1) : rawText;
      matches.push({ path, line, text: text.length > maxLineChars ? text.slice(0, maxLineChars) : text });
    },
    done(): SearchOutcome {
      matches.sort(compareMatches);
      return { matches, total, files: files.size };
    },
  };
}
