/**
 * A list to choose from: the slash menu, the @ file picker, the palette and pickers. Shows
 * a window of rows around the selection, each with its description.
 */
import { Box, Text } from "ink";
import type { ListOverlay } from "../state/types.js";
import { useTheme } from "../theme.js";

export function ListMenu({ list, maxRows, width }: { list: ListOverlay; maxRows: number; width: number }) {
  const theme = useTheme();
  const rows = Math.max(1, maxRows - 1);
  const first = Math.max(0, Math.min(list.selected - Math.floor(rows / 2), list.items.length - rows));
  const shown = list.items.slice(first, first + rows);
  const labelWidth = Math.min(Math.max(...shown.map((i) => i.label.length), 8), Math.max(12, Math.floor(width / 2)));
  const typed = list.purpose.kind === "palette" || list.purpose.kind === "picker";
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text color={theme.c("muted")}>
        {list.title}
        {typed ? `: ${list.query}▏` : ""}
        {list.items.length > rows ? `  (${list.selected + 1}/${list.items.length})` : ""}
        {"  ↑↓ choose · Enter pick · Esc close"}
      </Text>
      {shown.length === 0 && <Text color={theme.c("muted")}>{list.empty ?? "nothing here"}</Text>}
      {shown.map((item, i) => {
        const active = first + i === list.selected;
        return (
          <Text key={item.value} wrap="truncate-end">
            <Text color={active ? theme.c("accent") : undefined} inverse={active && !theme.color} bold={active}>
              {active ? "› " : "  "}
              {item.label.padEnd(labelWidth)}
            </Text>
            {item.hint ? <Text color={theme.c("muted")}> {item.hint}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
