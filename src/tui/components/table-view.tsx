/**
 * A Markdown table with aligned columns and a rule under the header. When the columns do
 * not fit the width, each row becomes a small "header: value" record instead, so nothing
 * is cut off or wrapped into an unreadable grid.
 */
import { Box, Text } from "ink";
import stringWidth from "string-width";
import type { Align, Block, Span } from "../markdown/parse.js";
import { useTheme } from "../theme.js";

type Table = Extract<Block, { kind: "table" }>;

function plain(spans: Span[]): string {
  return spans
    .map((s) => s.text)
    .join("")
    .replace(/\n/g, " ");
}

function pad(text: string, width: number, align: Align): string {
  const gap = Math.max(0, width - stringWidth(text));
  if (align === "right") return " ".repeat(gap) + text;
  if (align === "center") return " ".repeat(Math.floor(gap / 2)) + text + " ".repeat(Math.ceil(gap / 2));
  return text + " ".repeat(gap);
}

export function TableView({ table, width }: { table: Table; width: number }) {
  const theme = useTheme();
  const header = table.header.map(plain);
  const rows = table.rows.map((row) => row.map(plain));
  const widths = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ""))));
  const total = widths.reduce((sum, w) => sum + w, 0) + 3 * (widths.length - 1);
  if (total > width) {
    return (
      <Box flexDirection="column">
        {rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows of one table never reorder
          <Box key={r} flexDirection="column" marginTop={r > 0 ? 1 : 0}>
            {header.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns never reorder
              <Text key={i}>
                <Text bold>{h}:</Text> {row[i] ?? ""}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    );
  }
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i], table.align[i] ?? null)).join(" │ ");
  return (
    <Box flexDirection="column">
      <Text bold>{line(header)}</Text>
      <Text color={theme.c("muted")}>{widths.map((w) => "─".repeat(w)).join("─┼─")}</Text>
      {rows.map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of one table never reorder
        <Text key={r}>{line(row)}</Text>
      ))}
    </Box>
  );
}
