/**
 * An MCP tool result as a ToolResult: text as it is, embedded text resources as their
 * text, images, audio and binary resources as a one-line note (the model cannot use the
 * bytes and they would cost thousands of tokens), resource links as their URI.
 * Structured content stands in when there are no content blocks. Long output is cut by
 * the one truncation module, with the full text kept for `recall`.
 */

import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";
import type { ToolResult } from "../core/types.js";
import { clipLine, summariseText } from "../tools/truncate.js";
import type { Redactor } from "./redact.js";

export function toToolResult(result: CallToolResult, toolName: string, callId: string, redact: Redactor): ToolResult {
  const parts = (result.content ?? []).map(describeBlock);
  if (parts.length === 0 && result.structuredContent !== undefined)
    parts.push(JSON.stringify(result.structuredContent));
  const isError = result.isError === true;
  const text =
    redact(parts.join("\n").trim()) || (isError ? "the tool reported an error without a message" : "(no output)");
  const summary = summariseText(text, callId);
  const out: ToolResult = {
    content: isError ? `error from ${toolName}: ${summary.text}` : summary.text,
    display: displayLine(toolName, text, isError),
    isError,
  };
  if (summary.cut) out.fullOutput = text;
  return out;
}

/** An error result for a call that never produced an MCP result (server gone, timeout). */
export function failedCall(toolName: string, message: string): ToolResult {
  return { content: message, display: clipLine(`${toolName}: ${message}`, 120), isError: true };
}

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
      return `[image ${block.mimeType}, ${sizeOf(block.data)}: not shown to the model]`;
    case "audio":
      return `[audio ${block.mimeType}, ${sizeOf(block.data)}: not shown to the model]`;
    case "resource": {
      const resource = block.resource;
      if ("text" in resource && typeof resource.text === "string")
        return `[resource ${resource.uri}]\n${resource.text}`;
      return `[binary resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ""}: not shown to the model]`;
    }
    case "resource_link":
      return `[resource link ${block.uri}${block.name ? ` (${block.name})` : ""}]`;
    default:
      return `[${(block as { type: string }).type} content: not shown to the model]`;
  }
}

/** Base64 length → bytes, for people. */
function sizeOf(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function displayLine(toolName: string, text: string, isError: boolean): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const first = (lines[0] ?? "").trim();
  const more = lines.length > 1 ? ` (+${lines.length - 1} lines)` : "";
  return clipLine(`${toolName}: ${isError ? "error: " : ""}${first}${more}`, 120);
}
