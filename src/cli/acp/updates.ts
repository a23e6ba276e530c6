/**
 * parecode's AgentEvents as ACP `session/update`s: streamed text and reasoning become
 * message and thought chunks, each tool call a `tool_call` (pending) that moves to
 * in_progress once permitted and ends completed or failed with its output (and the diff,
 * for edits), each request a usage update. Pure apart from the per-call state it keeps;
 * events arrive already redacted.
 */
import path from "node:path";
import type { SessionUpdate, ToolCallContent, ToolCallLocation, ToolKind } from "@agentclientprotocol/sdk";
import type { AgentEvent } from "../../core/types.js";

const KINDS: Record<string, ToolKind> = {
  read_file: "read",
  recall: "read",
  search: "search",
  list_files: "search",
  mcp_search: "search",
  edit_file: "edit",
  write_file: "edit",
  patch_file: "edit",
  bash: "execute",
};

export function acpToolKind(tool: string): ToolKind {
  return KINDS[tool] ?? "other";
}

/** Where a call reads or writes, as absolute paths (the editor follows along). */
export function toolLocations(root: string, args: Record<string, unknown>): ToolCallLocation[] {
  if (typeof args.path !== "string" || args.path === "") return [];
  const location: ToolCallLocation = { path: path.resolve(root, args.path) };
  const range = args.line_range;
  if (Array.isArray(range) && typeof range[0] === "number" && range[0] > 0) location.line = range[0];
  return [location];
}

/**
 * A unified diff of one file as ACP diff content: the old and new sides of its hunks,
 * hunks separated by a "…" line. Undefined when the text holds no hunk.
 */
export function diffContent(root: string, file: string, unified: string): ToolCallContent | undefined {
  const before: string[] = [];
  const after: string[] = [];
  let hunks = 0;
  let created = false;
  for (const line of unified.split("\n")) {
    if (line.startsWith("--- ")) {
      created = line === "--- /dev/null" || line.startsWith("--- /dev/null\t");
      continue;
    }
    if (line.startsWith("+++ ")) continue;
    if (line.startsWith("@@")) {
      if (hunks > 0) {
        before.push("…");
        after.push("…");
      }
      hunks++;
      continue;
    }
    if (hunks === 0) continue;
    if (line.startsWith("-")) before.push(line.slice(1));
    else if (line.startsWith("+")) after.push(line.slice(1));
    else if (line.startsWith(" ")) {
      before.push(line.slice(1));
      after.push(line.slice(1));
    }
  }
  if (hunks === 0) return undefined;
  return {
    type: "diff",
    path: path.resolve(root, file),
    oldText: created ? null : before.join("\n"),
    newText: after.join("\n"),
  };
}

function text(value: string): ToolCallContent {
  return { type: "content", content: { type: "text", text: value } };
}

export interface UpdateMapper {
  /** The updates one event becomes (often none). */
  map(event: AgentEvent): SessionUpdate[];
}

export interface UpdateMapperOptions {
  root: string;
  /** The window the session budgets against, for usage updates. */
  contextWindow(): number;
}

export function createUpdateMapper(options: UpdateMapperOptions): UpdateMapper {
  /** The diff a person approved, per call: shown again when the call ends. */
  const diffs = new Map<string, ToolCallContent>();

  return {
    map(event) {
      switch (event.type) {
        case "text_delta":
          return [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: event.delta } }];
        case "reasoning_delta":
          return [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: event.delta } }];
        case "tool_start":
          return [
            {
              sessionUpdate: "tool_call",
              toolCallId: event.callId,
              title: event.summary,
              kind: acpToolKind(event.name),
              status: "pending",
              rawInput: event.args,
              locations: toolLocations(options.root, event.args),
            },
          ];
        case "approval_request": {
          const { request } = event;
          if (request.diff !== undefined && request.path !== undefined) {
            const diff = diffContent(options.root, request.path, request.diff);
            if (diff) diffs.set(request.callId, diff);
          }
          return [];
        }
        case "permission":
          return event.action === "allow"
            ? [{ sessionUpdate: "tool_call_update", toolCallId: event.callId, status: "in_progress" }]
            : [];
        case "tool_end": {
          const content: ToolCallContent[] = [];
          const diff = diffs.get(event.callId);
          diffs.delete(event.callId);
          if (diff && !event.isError) content.push(diff);
          content.push(text(event.output ?? event.display));
          return [
            {
              sessionUpdate: "tool_call_update",
              toolCallId: event.callId,
              status: event.isError ? "failed" : "completed",
              content,
            },
          ];
        }
        case "request":
          return [{ sessionUpdate: "usage_update", used: event.estimatedInputTokens, size: options.contextWindow() }];
        default:
          return [];
      }
    },
  };
}
