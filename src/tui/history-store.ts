/**
 * Prompt history on disk: one JSON string per line in the data dir, appended as prompts
 * are sent and read back at start, so ↑ works across runs. Mode 0600: prompts can hold
 * anything a person pasted.
 */
import { appendFile, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "../config/paths.js";
import { HISTORY_LIMIT } from "./state/history.js";

export interface HistoryStore {
  load(): Promise<string[]>;
  append(text: string): Promise<void>;
}

export function historyFile(env: NodeJS.ProcessEnv): string {
  return path.join(dataDir(env), "prompt-history.jsonl");
}

export function createHistoryStore(file: string): HistoryStore {
  let appended = 0;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch {
        return [];
      }
      const entries: string[] = [];
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        try {
          const value: unknown = JSON.parse(line);
          if (typeof value === "string" && value !== "") entries.push(value);
        } catch {
          // A line cut by a crash is skipped; the rest of the history still loads.
        }
      }
      const kept = entries.slice(-HISTORY_LIMIT);
      // Keep the file from growing without bound: rewrite it when it holds twice what is used.
      if (entries.length > HISTORY_LIMIT * 2) {
        await writeFile(file, `${kept.map((e) => JSON.stringify(e)).join("\n")}\n`, { mode: 0o600 }).catch(
          () => undefined,
        );
      }
      return kept;
    },
    async append(entry) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await appendFile(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      if (appended++ === 0) await chmod(file, 0o600).catch(() => undefined);
    },
  };
}
