/**
 * Reading tool results the way a model does: the policies parse the text the tools
 * printed (read_file's `N#hash:text` lines, search's `path:line: text` hits) and build
 * their next call from it.
 */

export interface ReadLine {
  line: number;
  hash: string;
  text: string;
  /** `N#hash`, for edit_file's anchor. */
  anchor: string;
}

export interface SearchHit {
  path: string;
  line: number;
  /** The matching line, leading whitespace trimmed by the tool. */
  text: string;
}

/** The numbered lines of a read_file (or edit/patch) result; notes in brackets are skipped. */
export function parseRead(content: string): ReadLine[] {
  const out: ReadLine[] = [];
  for (const raw of content.split("\n")) {
    const m = /^(\d+)#([a-z]+):(.*)$/.exec(raw);
    if (m) out.push({ line: Number(m[1]), hash: m[2], text: m[3], anchor: `${m[1]}#${m[2]}` });
  }
  return out;
}

/** The hits of a search result; "no matches" and notes give none. */
export function parseSearch(content: string): SearchHit[] {
  const out: SearchHit[] = [];
  for (const raw of content.split("\n")) {
    const m = /^(.+?):(\d+): (.*)$/.exec(raw);
    if (m) out.push({ path: m[1], line: Number(m[2]), text: m[3] });
  }
  return out;
}

export function noMatches(content: string): boolean {
  return content.startsWith("no matches");
}

/** Hits grouped by file, in the order the files first appear. */
export function byFile(hits: SearchHit[]): Map<string, SearchHit[]> {
  const files = new Map<string, SearchHit[]>();
  for (const hit of hits) files.set(hit.path, [...(files.get(hit.path) ?? []), hit]);
  return files;
}

export interface LineChange {
  /** First line replaced (1-based). To insert without replacing, give the line after and `remove: 0`. */
  start: number;
  remove: number;
  insert: string[];
}

/**
 * A unified diff for patch_file from lines the model read (every line of the file, or
 * at least `context` lines around each change) and the changes it wants, in file order.
 */
export function buildPatch(read: ReadLine[], changes: LineChange[], context = 2): string {
  const text = new Map(read.map((l) => [l.line, l.text]));
  const hunks: string[] = [];
  let shift = 0;
  for (const change of changes) {
    const before: string[] = [];
    for (let n = Math.max(1, change.start - context); n < change.start; n++) before.push(text.get(n) ?? "");
    const removed: string[] = [];
    for (let n = change.start; n < change.start + change.remove; n++) removed.push(text.get(n) ?? "");
    const after: string[] = [];
    for (let n = change.start + change.remove; n < change.start + change.remove + context && text.has(n); n++) {
      after.push(text.get(n) ?? "");
    }
    const oldStart = change.start - before.length;
    const oldCount = before.length + removed.length + after.length;
    const newCount = before.length + change.insert.length + after.length;
    hunks.push(
      [
        `@@ -${oldStart},${oldCount} +${oldStart + shift},${newCount} @@`,
        ...before.map((l) => ` ${l}`),
        ...removed.map((l) => `-${l}`),
        ...change.insert.map((l) => `+${l}`),
        ...after.map((l) => ` ${l}`),
      ].join("\n"),
    );
    shift += change.insert.length - change.remove;
  }
  return `${hunks.join("\n")}\n`;
}

/**
 * The first absolute `path:line` in a stack trace or test report, skipping Node's own
 * frames and dependencies. The tools accept absolute paths inside the project, so a model
 * can pass the location as printed.
 */
export function firstFileLocation(text: string): { path: string; line: number } | undefined {
  const re = /(?:file:\/\/)?(\/[^\s:'"()]+):(\d+)/g;
  for (const m of text.matchAll(re)) {
    if (!m[1].includes("/node_modules/")) return { path: m[1], line: Number(m[2]) };
  }
  return undefined;
}
