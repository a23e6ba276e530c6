/**
 * One tool call as one line: a status glyph (✓ done, ✗ failed, ⊘ refused), what was
 * called, and the tool's own one-line result. Ctrl+O opens the full results.
 */
import { Text } from "ink";
import type { EntryBody } from "../state/types.js";
import { useTheme } from "../theme.js";

type ToolEntry = Extract<EntryBody, { kind: "tool" }>;

/** Tools word their own result ("read src/a.ts (lines 1-40)"); when it does not name its subject, the call leads. */
export function describeTool(summary: string, display: string): string {
  const subject = summary.slice(summary.indexOf(" ") + 1);
  if (subject === summary || display.includes(subject)) return display;
  return `${summary}: ${display}`;
}

export function ToolLine({ entry, compact }: { entry: ToolEntry; compact: boolean }) {
  const theme = useTheme();
  const glyph = entry.status === "ok" ? "✓" : entry.status === "denied" ? "⊘" : "✗";
  const color = entry.status === "ok" ? theme.c("ok") : entry.status === "denied" ? theme.c("warn") : theme.c("error");
  const timed = /\b\d+(\.\d+)?m?s\b/.test(entry.display);
  const seconds = entry.durationMs >= 1000 && !compact && !timed ? ` · ${(entry.durationMs / 1000).toFixed(1)}s` : "";
  return (
    <Text wrap="truncate-end">
      <Text color={color}>{glyph} </Text>
      <Text dimColor={entry.status === "ok"} color={entry.status === "ok" ? undefined : color}>
        {describeTool(entry.summary, entry.display)}
        {seconds}
      </Text>
    </Text>
  );
}
