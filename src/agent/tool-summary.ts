/**
 * One-line, human-facing summaries of a tool call ("read_file src/app.ts [1, 80]").
 * Cut by code points, never by UTF-16 units, so emoji and CJK are not split.
 */

const SALIENT_ARGS = ["path", "command", "pattern", "tool_call_id", "tool_name"] as const;

export function summariseToolCall(name: string, args: Record<string, unknown>, maxChars = 100): string {
  const parts: string[] = [name];
  for (const key of SALIENT_ARGS) {
    const value = args[key];
    if (typeof value === "string" && value !== "") parts.push(oneLine(value));
  }
  const range = args.line_range;
  if (Array.isArray(range)) parts.push(`[${range.join(", ")}]`);
  if (args.symbols === true) parts.push("(symbols)");
  return clip(parts.join(" "), maxChars);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ⏎ ");
}

export function clip(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, maxChars - 1).join("")}…`;
}
