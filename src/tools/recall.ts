import type { Tool, ToolResult } from "../core/types.js";
import type { OutputStore, StoredOutput } from "./output-store.js";
import { formatCount } from "./truncate.js";

export interface RecallToolOptions {
  outputs: OutputStore;
}

const RECENT_LISTED = 10;

/**
 * `recall {tool_call_id?, tool_name?}`: the full stored output of an earlier call, by
 * id, or for models that do not echo ids, the latest call of a tool. The registry does
 * not store recall's own results, so recall never returns recall.
 */
export function createRecallTool(options: RecallToolOptions): Tool {
  const { outputs } = options;
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

function found(entry: StoredOutput): ToolResult {
  const lines = entry.output === "" ? 0 : entry.output.split("\n").length;
  return {
    content: entry.output,
    display: `recalled ${entry.toolName} ${entry.callId} (${formatCount(lines)} lines)`,
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
