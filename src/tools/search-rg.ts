import { spawn } from "node:child_process";
import { createMatchSink, type SearchOutcome, type SearchQuery } from "./search-types.js";

export type RgResult =
  | { kind: "ok"; outcome: SearchOutcome }
  /** ripgrep rejected the pattern (e.g. look-around): the caller retries with the JS engine. */
  | { kind: "bad-pattern"; message: string }
  /** No binary, or it could not start or failed: the caller falls back. */
  | { kind: "unavailable"; reason: string };

/** Finds the ripgrep binary shipped by @vscode/ripgrep; undefined when it is not installed. */
export async function loadRgPath(): Promise<string | undefined> {
  try {
    const mod = await import("@vscode/ripgrep");
    return mod.rgPath;
  } catch {
    return undefined;
  }
}

/**
 * Runs ripgrep so that it sees the same files as the JS fallback: hidden files
 * included, .git excluded, .gitignore honoured even outside a git repository,
 * .ignore/.rgignore and global excludes not read, symlinks not followed.
 */
export function searchWithRg(rgPath: string, query: SearchQuery): Promise<RgResult> {
  const args = [
    "--no-config",
    "--null",
    "--line-number",
    "--no-heading",
    "--with-filename",
    "--color=never",
    "--no-messages",
    "--hidden",
    "--no-require-git",
    // `$` before a CRLF ending, as the JS side strips the `\r` before matching.
    "--crlf",
    "--no-ignore-dot",
    "--no-ignore-global",
    "--glob=!.git",
  ];
  if (query.glob) args.push(`--glob=${query.glob}`);
  if (query.literal) args.push("--fixed-strings");
  args.push("-e", query.pattern, "--");
  if (query.startRel !== ".") args.push(query.startRel);

  const sink = createMatchSink(query.maxKept, query.maxLineChars);
  return new Promise<RgResult>((resolve) => {
    let settled = false;
    const settle = (result: RgResult) => {
      if (settled) return;
      settled = true;
      query.signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const child = spawn(rgPath, args, { cwd: query.root, stdio: ["ignore", "pipe", "pipe"] });
    const onAbort = () => child.kill("SIGKILL");
    query.signal.addEventListener("abort", onAbort, { once: true });
    let pending = "";
    let stderr = "";
    const onLine = (line: string) => {
      // `path\0line:text`; lines without the NUL are ripgrep notes such as "binary file matches".
      const nul = line.indexOf("\0");
      if (nul < 0) return;
      const colon = line.indexOf(":", nul + 1);
      if (colon < 0) return;
      const lineNo = Number(line.slice(nul + 1, colon));
      if (!Number.isInteger(lineNo)) return;
      sink.add(normalisePath(line.slice(0, nul)), lineNo, line.slice(colon + 1));
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      const parts = (pending + text).split("\n");
      pending = parts.pop() ?? "";
      for (const part of parts) onLine(part);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      if (stderr.length < 4000) stderr += text;
    });
    child.on("error", (err) => settle({ kind: "unavailable", reason: err.message }));
    child.on("close", (code) => {
      if (pending !== "") onLine(pending);
      // 0: matches, 1: none, 2: an error (with --no-messages only fatal ones are printed).
      if (code === 0 || code === 1) return settle({ kind: "ok", outcome: sink.done() });
      if (query.signal.aborted) return settle({ kind: "ok", outcome: sink.done() });
      if (/regex|pattern|look-?around|backreference/i.test(stderr)) {
        return settle({ kind: "bad-pattern", message: stderr.trim() });
      }
      const outcome = sink.done();
      if (code === 2 && outcome.total > 0) return settle({ kind: "ok", outcome });
      settle({ kind: "unavailable", reason: stderr.trim() || `rg exited with ${code}` });
    });
  });
}

function normalisePath(p: string): string {
  const slashed = p.replace(/\\/g, "/");
  return slashed.startsWith("./") ? slashed.slice(2) : slashed;
}
