/**
 * The session store: one JSONL file per session in a directory the caller passes in
 * (config/paths.ts `sessionsDir(env)`), named `<id>.jsonl`. Everything is synchronous:
 * files are small, and appends must be finished before the event callback returns.
 */
import { mkdirSync, readdirSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../core/errors.js";
import { currentBranch, groupTurns } from "./branch.js";
import { renderSessionMarkdown } from "./export-markdown.js";
import { createSessionFile, openSessionFile, type Session, sessionFile } from "./session.js";
import { readHeader } from "./session-file.js";
import type { SessionList, SessionMetaInput, SessionSummary } from "./types.js";

export interface SessionStore {
  readonly dir: string;
  /** A new, empty session (header only). */
  create(meta: SessionMetaInput): Session;
  /** By full id or a unique prefix of it (or of its random tail). Throws UsageError naming candidates. */
  open(idOrPrefix: string): Session;
  /** The most recently written session whose project root is `root`, if any. */
  latestFor(root: string): Session | undefined;
  /** Newest first (by last write). With `root`, only that project's sessions. */
  list(options?: { root?: string }): SessionList;
  rename(idOrPrefix: string, title: string): Session;
  /** Removes the session file; returns the full id removed. */
  delete(idOrPrefix: string): string;
  exportMarkdown(idOrPrefix: string): string;
}

export function createSessionStore(dir: string): SessionStore {
  const ensureDir = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ids = (): string[] => {
    try {
      return readdirSync(dir)
        .filter((name) => name.endsWith(".jsonl"))
        .map((name) => name.slice(0, -".jsonl".length));
    } catch {
      return [];
    }
  };

  const resolveId = (idOrPrefix: string): string => {
    const wanted = idOrPrefix.trim();
    if (wanted === "")
      throw new UsageError("Give a session id (or a unique prefix); parecode sessions list shows them.");
    const all = ids();
    if (all.includes(wanted)) return wanted;
    let matches = all.filter((id) => id.startsWith(wanted));
    // The random tail is the part people remember from a list: `k3f` finds 20260115-143012-k3f9q2.
    if (matches.length === 0) matches = all.filter((id) => id.split("-").at(-1)?.startsWith(wanted));
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) {
      throw new UsageError(`No session matches "${wanted}". parecode sessions list shows the sessions there are.`);
    }
    const shown = matches.sort().slice(0, 10);
    const more = matches.length > shown.length ? `\n  … and ${matches.length - shown.length} more` : "";
    throw new UsageError(
      `"${wanted}" matches ${matches.length} sessions; give more of the id:\n  ${shown.join("\n  ")}${more}`,
    );
  };

  /** Files newest first by mtime, each with its path. */
  const byRecency = (): Array<{ id: string; file: string; mtimeMs: number }> =>
    ids()
      .map((id) => {
        const file = sessionFile(dir, id);
        try {
          return { id, file, mtimeMs: statSync(file).mtimeMs };
        } catch {
          return undefined;
        }
      })
      .filter((x) => x !== undefined)
      .sort((a, b) => b.mtimeMs - a.mtimeMs || b.id.localeCompare(a.id));

  return {
    dir,
    create(meta) {
      ensureDir();
      return createSessionFile(dir, meta);
    },
    open(idOrPrefix) {
      return openSessionFile(sessionFile(dir, resolveId(idOrPrefix)));
    },
    latestFor(root) {
      const wanted = path.resolve(root);
      for (const { file } of byRecency()) {
        try {
          if (path.resolve(readHeader(file).root) === wanted) return openSessionFile(file);
        } catch {
          // An unreadable file is not this project's latest session; list() reports it.
        }
      }
      return undefined;
    },
    list(options = {}) {
      const wanted = options.root === undefined ? undefined : path.resolve(options.root);
      const result: SessionList = { sessions: [], skipped: [] };
      for (const { file } of byRecency()) {
        try {
          if (wanted !== undefined && path.resolve(readHeader(file).root) !== wanted) continue;
          result.sessions.push(summariseSession(openSessionFile(file)));
        } catch (err) {
          result.skipped.push({ file, reason: (err as Error).message });
        }
      }
      return result;
    },
    rename(idOrPrefix, title) {
      const session = openSessionFile(sessionFile(dir, resolveId(idOrPrefix)));
      session.rename(title);
      session.close();
      return session;
    },
    delete(idOrPrefix) {
      const id = resolveId(idOrPrefix);
      unlinkSync(sessionFile(dir, id));
      return id;
    },
    exportMarkdown(idOrPrefix) {
      return renderSessionMarkdown(openSessionFile(sessionFile(dir, resolveId(idOrPrefix))));
    },
  };
}

/** The one-line facts `sessions list` shows, for one open session. */
export function summariseSession(session: Session): SessionSummary {
  let cost: number | null = 0;
  for (const entry of session.entries()) {
    if (entry.type === "event" && entry.event.type === "result") {
      cost = cost === null || entry.event.costUsd === null ? null : cost + entry.event.costUsd;
    }
  }
  const { header } = session;
  return {
    id: session.id,
    file: session.file,
    root: header.root,
    title: session.title(),
    turns: groupTurns(currentBranch(session.entries())).length,
    created: header.created,
    updated: statSync(session.file).mtime.toISOString(),
    costUsd: cost === null ? null : Math.round(cost * 1e6) / 1e6,
    ...(header.profile !== undefined && { profile: header.profile }),
    ...(header.model !== undefined && { model: header.model }),
    ...(header.parent && { parent: header.parent }),
  };
}
