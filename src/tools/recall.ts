import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { trackTemp } from "../core/temp-files.js";
import type { Tool, ToolResult } from "../core/types.js";
import type { OutputStore, StoredOutput } from "./output-store.js";
import { formatCount } from "./truncate.js";

export interface RecallToolOptions {
  outputs: OutputStore;
  /**
   * Where outputs too long to return whole are written for bash to search. Default: a
   * fresh private (0700) folder in the OS temp dir per tool, so sessions reusing call
   * ids ("call_1") cannot overwrite each other, and no other user can plant a link there.
   */
  spillDir?: string;
}

const RECENT_LISTED = 10;

/**
 * A recalled output is returned whole up to this size (~15k tokens). Past it, returning
 * everything would overflow small windows and the budget would compress it straight back
 * to a one-liner, so the model gets the tail and a file it can search with bash instead.
 */
export const RECALL_LIMITS = { maxLines: 2_000, maxChars: 60_000, tailLines: 150 } as const;

/**
 * `recall {tool_call_id?, tool_name?}`: the full stored output of an earlier call, by
 * id, or for models that do not echo ids, the latest call of a tool. The registry does
 * not store recall's own results, so recall never returns recall.
 */
export function createRecallTool(options: RecallToolOptions): Tool {
  const { outputs } = options;
  let spillDir: Promise<string> | undefined;
  const spillTo = (): Promise<string> => {
    if (spillDir) return spillDir;
    const given = options.spillDir;
    const made = given
      ? mkdir(given, { recursive: true }).then(() => given)
      : mkdtemp(path.join(tmpdir(), "parecode-recall-")).then((dir) => {
          // Removed when the run ends, like every temp parecode makes.
          trackTemp(dir);
          return dir;
        });
    spillDir = made;
    // A failure (full disk) is not remembered: the next long recall tries again.
    made.catch(() => {
      if (spillDir === made) spillDir = undefined;
    });
    return made;
  };
  const found = (entry: StoredOutput) => recalled(entry, spillTo);
  return {
    name: "recall",
    description: "Full output of an earlier call whose result was cut (by tool_call_id, or tool_name for its latest).",
    parameters: {
      type: "object",
      properties: {
        tool_call_id: { type: "string" },
        tool_name: { type: "string" },
      },
    },
    mutates: false,
    async execute(args) {
      const id = typeof args.tool_call_id === "string" ? args.tool_call_id.trim() : "";
      const name = typeof args.tool_name === "string" ? args.tool_name.trim() : "";
      if (id === "" && name === "") return notFound(outputs, "give tool_call_id or tool_name");
      if (id !== "") {
        const entry = outputs.byId(id);
        if (entry) return found(entry);
        if (name === "") return notFound(outputs, `no stored output for tool_call_id ${JSON.stringify(id)}`);
      }
      const entry = name === "recall" ? undefined : outputs.latestOf(name);
      if (entry) return found(entry);
      return notFound(outputs, `no stored output for tool_name ${JSON.stringify(name)}`);
    },
  };
}

async function recalled(entry: StoredOutput, spillTo: () => Promise<string>): Promise<ToolResult> {
  const lines = entry.output === "" ? [] : entry.output.split("\n");
  const display = `recalled ${entry.toolName} ${entry.callId} (${formatCount(lines.length)} lines)`;
  if (lines.length <= RECALL_LIMITS.maxLines && entry.output.length <= RECALL_LIMITS.maxChars) {
    return { content: entry.output, display, isError: false };
  }
  const file = path.join(await spillTo(), `${entry.callId.replace(/[^\w.-]/g, "_")}.txt`);
  await writeFile(file, entry.output);
  const tail = lines
    .slice(-RECALL_LIMITS.tailLines)
    .join("\n")
    .slice(-RECALL_LIMITS.maxChars / 4);
  const quoted = JSON.stringify(file);
  return {
    content:
      `[${formatCount(lines.length)} lines, too long to return whole. Saved to ${file}; search it with bash, ` +
      `e.g. grep -n "error" ${quoted}, or read a part with sed -n '100,200p' ${quoted}. Last lines:]\n${tail}`,
    display: `${display}, saved to ${file}`,
    isError: false,
  };
}

function notFound(outputs: OutputStore, why: string): ToolResult {
  const recent = outputs.recent(RECENT_LISTED).filter((e) => e.toolName !== "recall");
  const listing =
    recent.length === 0
      ? "nothing is stored yet"
      : `recent: ${recent.map((e) => `${e.callId} (${e.toolName}, turn ${e.turn})`).join(", ")}`;
  return { content: `${why}; ${listing}`, display: `recall: ${why}`, isError: true };
}
