/**
 * A unified diff, coloured: one section per file with its name as a heading, hunk headers
 * in the accent colour, additions green and removals red. Without colour the +/- prefixes
 * carry the meaning. `maxLines` bounds it for the live region; the rest is counted.
 */
import { Box, Text } from "ink";
import { useTheme } from "../theme.js";

export interface DiffFile {
  name: string;
  lines: string[];
}

/** Splits a unified diff (one or many files) into per-file sections. */
export function splitDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: DiffFile | undefined;
  const start = (name: string): DiffFile => {
    current = { name, lines: [] };
    files.push(current);
    return current;
  };
  for (const line of diff.replace(/\n$/, "").split("\n")) {
    if (line.startsWith("diff --git ")) {
      start(/ b\/(.+)$/.exec(line)?.[1] ?? "");
      continue;
    }
    if (line.startsWith("--- ")) {
      const file = !current || current.lines.some((l) => l.startsWith("@@")) ? start("") : current;
      const name = line.slice(4).replace(/^a\//, "").replace(/\t.*$/, "");
      if (file.name === "" && name !== "/dev/null") file.name = name;
      continue;
    }
    if (line.startsWith("+++ ")) {
      const file = current ?? start("");
      const name = line.slice(4).replace(/^b\//, "").replace(/\t.*$/, "");
      if (name !== "/dev/null") file.name = name;
      continue;
    }
    if (/^(index |=====|new file mode|deleted file mode|similarity |rename )/.test(line)) continue;
    (current ?? start("")).lines.push(line);
  }
  return files;
}

export interface DiffViewProps {
  diff: string;
  maxLines?: number;
  /** Lines skipped from the top (scrolling in a view). */
  offset?: number;
}

export function DiffView({ diff, maxLines, offset = 0 }: DiffViewProps) {
  const theme = useTheme();
  const rows: { text: string; color?: string; bold?: boolean; dim?: boolean }[] = [];
  for (const file of splitDiff(diff)) {
    if (file.name !== "") rows.push({ text: `▸ ${file.name}`, bold: true });
    for (const line of file.lines) {
      if (line.startsWith("@@")) rows.push({ text: line, color: theme.c("hunk") });
      else if (line.startsWith("+")) rows.push({ text: line, color: theme.c("added") });
      else if (line.startsWith("-")) rows.push({ text: line, color: theme.c("removed") });
      else rows.push({ text: line, dim: true });
    }
  }
  const limit = maxLines ?? rows.length;
  const shown = rows.slice(offset, offset + limit);
  const hidden = rows.length - offset - shown.length;
  return (
    <Box flexDirection="column">
      {shown.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: diff lines never reorder
        <Text key={i} color={row.color} bold={row.bold} dimColor={row.dim} wrap="truncate-end">
          {row.text === "" ? " " : row.text}
        </Text>
      ))}
      {hidden > 0 && <Text color={theme.c("muted")}>… {hidden} more diff lines</Text>}
    </Box>
  );
}
