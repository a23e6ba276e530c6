/**
 * The frame every view is drawn in: a title rule with the keys that work, then a window of
 * the view's lines that ↑/↓/PgUp/PgDn scroll. Views are lists of styled lines, so they
 * are tested as data and can never outgrow the rows they are given.
 */
import { Box, Text } from "ink";
import type { Role } from "../theme.js";
import { useTheme } from "../theme.js";

export interface ViewLine {
  text: string;
  role?: Role;
  bold?: boolean;
  dim?: boolean;
}

export interface ViewFrameProps {
  title: string;
  help?: string;
  lines: ViewLine[];
  scroll: number;
  height: number;
  width: number;
  /** What Esc does, for the title rule (default "Esc close"). */
  escapeLabel?: string;
}

export function ViewFrame({ title, help, lines, scroll, height, width, escapeLabel = "Esc close" }: ViewFrameProps) {
  const theme = useTheme();
  const rows = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(scroll, lines.length - rows));
  const shown = lines.slice(top, top + rows);
  const position = lines.length > rows ? ` ${top + 1}-${top + shown.length} of ${lines.length}` : "";
  const keys = `${help ? `${help} · ` : ""}${lines.length > rows ? "↑↓ PgUp PgDn scroll · " : ""}${escapeLabel}`;
  const head = `── ${title}${position} `;
  return (
    <Box flexDirection="column">
      <Text color={theme.c("accent")} wrap="truncate-end">
        {head}
        {"─".repeat(Math.max(2, width - head.length - keys.length - 2))} <Text color={theme.c("muted")}>{keys}</Text>
      </Text>
      {shown.map((line, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the window
          key={i}
          color={line.role ? theme.c(line.role) : undefined}
          bold={line.bold}
          dimColor={line.dim}
          wrap="truncate-end"
        >
          {line.text === "" ? " " : line.text}
        </Text>
      ))}
    </Box>
  );
}

/** A horizontal bar of `width` cells filled to `fraction`, in eighths. */
export function bar(fraction: number, width: number): string {
  const cells = Math.max(0, Math.min(1, fraction)) * width;
  const full = Math.floor(cells);
  const part = Math.round((cells - full) * 8);
  const partial = part > 0 && full < width ? " ▏▎▍▌▋▊▉"[part] : "";
  return `${"█".repeat(full)}${partial}`.padEnd(width, "·");
}
