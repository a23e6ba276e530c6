/**
 * The part of the chat still in motion: the tail of the answer being written (its
 * finished blocks are already in the scrollback) and the tool calls running now. Kept
 * to `maxRows` so the redrawn region never reaches the terminal's height, which would
 * make Ink clear the whole screen.
 */
import { Box, Text } from "ink";
import type { UiState } from "../state/types.js";
import { useTheme } from "../theme.js";
import { clean } from "./entry-view.js";
import { Markdown } from "./markdown.js";

/** The last `rows` lines of the streaming text, cut at a line so the Markdown still parses. */
export function tail(text: string, rows: number, width: number): string {
  const lines = text.split("\n");
  let used = 0;
  let start = lines.length;
  while (start > 0) {
    const cost = Math.max(1, Math.ceil(lines[start - 1].length / Math.max(20, width)));
    if (used + cost > rows) break;
    used += cost;
    start--;
  }
  return lines.slice(start).join("\n");
}

export function LiveRegion({ state, maxRows }: { state: UiState; maxRows: number }) {
  const theme = useTheme();
  const running = state.running.slice(-3);
  const textRows = Math.max(1, maxRows - running.length);
  const text = state.streaming.trim() === "" ? "" : tail(clean(state.streaming), textRows, state.width);
  if (text === "" && running.length === 0) return null;
  return (
    <Box flexDirection="column">
      {text !== "" && <Markdown text={text} width={state.width} />}
      {running.map((call) => (
        <Text key={call.callId} color={theme.c("accent")} wrap="truncate-end">
          ◌ {clean(call.summary)}
        </Text>
      ))}
    </Box>
  );
}
