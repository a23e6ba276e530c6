/**
 * One finished item of the chat as it is printed into the scrollback, once. Every string
 * that came from the model or a command is escaped of terminal control sequences first.
 */
import { Box, Text } from "ink";
import { escapeControl } from "../../core/terminal-text.js";
import type { Entry } from "../state/types.js";
import { useTheme } from "../theme.js";
import { DiffView } from "./diff-view.js";
import { Markdown } from "./markdown.js";
import { ToolLine } from "./tool-line.js";

/** Most output lines of a shell command or hook printed into the chat; Ctrl+O shows them all. */
const OUTPUT_LINES = 12;

export interface EntryViewProps {
  entry: Entry;
  width: number;
  timestamps: boolean;
}

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** Model and command text made safe to print; tabs become spaces so columns measure right. */
export function clean(text: string): string {
  return escapeControl(text, { keepNewlines: true, keepTabs: true }).replace(/\t/g, "    ");
}

function Output({ text, color, dim }: { text: string; color?: string; dim?: boolean }) {
  const theme = useTheme();
  const lines = clean(text).replace(/\n+$/, "").split("\n");
  const shown = lines.slice(0, OUTPUT_LINES);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: output lines never reorder
        <Text key={i} color={color} dimColor={dim} wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
      {lines.length > shown.length && (
        <Text color={theme.c("muted")}>… {lines.length - shown.length} more lines (Ctrl+O shows all)</Text>
      )}
    </Box>
  );
}

export function EntryView({ entry, width, timestamps }: EntryViewProps) {
  const theme = useTheme();
  const compact = width < 80;
  const body = <EntryBody entry={entry} width={timestamps ? width - 9 : width} compact={compact} />;
  return (
    <Box marginTop={entry.gap ? 1 : 0}>
      {timestamps && <Text color={theme.c("muted")}>{clock(entry.at)} </Text>}
      <Box flexDirection="column" flexGrow={1}>
        {body}
      </Box>
    </Box>
  );
}

function EntryBody({ entry, width, compact }: { entry: Entry; width: number; compact: boolean }) {
  const theme = useTheme();
  switch (entry.kind) {
    case "user":
      return (
        <Box flexDirection="column">
          <Text color={theme.c("user")} bold>
            › <Text bold={false}>{clean(entry.text)}</Text>
          </Text>
          {entry.attachments.length > 0 && (
            <Text color={theme.c("muted")}> with {entry.attachments.map((f) => `@${f}`).join(" ")}</Text>
          )}
        </Box>
      );
    case "assistant":
    case "markdown":
      return <Markdown text={clean(entry.markdown)} width={width} />;
    case "tool":
      return <ToolLine entry={entry} compact={compact} />;
    case "hook": {
      const color = entry.ok ? undefined : theme.c("warn");
      return (
        <Box flexDirection="column">
          <Text dimColor={entry.ok} color={color}>
            {entry.ok ? "⚙" : "⚠"} {entry.hook}: {clean(entry.command)}
            {entry.ok ? "" : " (failed)"}
          </Text>
          {entry.output.trim() !== "" && <Output text={entry.output} color={color} dim={entry.ok} />}
        </Box>
      );
    }
    case "diff":
      return (
        <Box flexDirection="column">
          <Text bold>{clean(entry.title)}</Text>
          <DiffView diff={clean(entry.diff)} />
        </Box>
      );
    case "notice": {
      const glyph = entry.level === "error" ? "✗" : entry.level === "warn" ? "!" : "i";
      const color = entry.level === "error" ? theme.c("error") : entry.level === "warn" ? theme.c("warn") : undefined;
      return (
        <Text color={color} dimColor={entry.level === "info"}>
          {glyph} {clean(entry.text)}
        </Text>
      );
    }
    case "result": {
      const color =
        entry.status === "done" ? theme.c("muted") : entry.status === "failed" ? theme.c("error") : theme.c("warn");
      return (
        <Text color={color} dimColor={entry.status === "done"} wrap={compact ? "truncate-end" : "wrap"}>
          ─ {entry.line}
        </Text>
      );
    }
    case "shell":
      return (
        <Box flexDirection="column">
          <Text color={entry.blocked ? theme.c("warn") : theme.c("accent")}>
            $ {clean(entry.command)}
            <Text color={theme.c("muted")}> · {clean(entry.display)}</Text>
          </Text>
          {entry.output.trim() !== "" && !entry.blocked && <Output text={entry.output} dim />}
        </Box>
      );
    case "info":
      return (
        <Box flexDirection="column">
          {entry.title && <Text bold>{entry.title}</Text>}
          {entry.lines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: info lines never reorder
            <Text key={i}>{line === "" ? " " : line}</Text>
          ))}
        </Box>
      );
    case "plan-step":
      return (
        <Text color={theme.c("accent")} bold wrap={compact ? "truncate-end" : "wrap"}>
          ▸ step {entry.step}/{entry.total} · {clean(entry.description)}
          <Text color={theme.c("muted")} bold={false}>
            {" "}
            ({clean(entry.detail)})
          </Text>
        </Text>
      );
    case "welcome":
      return (
        <Box flexDirection="column">
          {entry.lines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: welcome lines never reorder
            <Text key={i} color={i === 0 ? theme.c("accent") : theme.c("muted")} bold={i === 0}>
              {line}
            </Text>
          ))}
        </Box>
      );
  }
}
