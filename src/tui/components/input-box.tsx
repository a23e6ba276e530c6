/**
 * The input box: the text with a block cursor, as many lines as it has (up to a cap, then
 * it scrolls to keep the cursor in view), and a hint when empty.
 */
import { Box, Text } from "ink";
import { cursorRowCol, type EditorState } from "../state/editor.js";
import { useTheme } from "../theme.js";

export interface InputBoxProps {
  editor: EditorState;
  /** Most text rows shown. */
  maxRows: number;
  placeholder: string;
  /** Dimmed while an approval has the keyboard. */
  inactive: boolean;
  width: number;
}

function splitAtCursor(line: string, col: number): [string, string, string] {
  const chars = Array.from(line.slice(col));
  return [line.slice(0, col), chars[0] ?? " ", chars.slice(1).join("")];
}

export function InputBox({ editor, maxRows, placeholder, inactive, width }: InputBoxProps) {
  const theme = useTheme();
  const lines = editor.text.split("\n");
  const { row, col } = cursorRowCol(editor);
  const first = Math.max(0, Math.min(row - maxRows + 1, lines.length - maxRows));
  const shown = lines.slice(first, first + maxRows);
  return (
    <Box
      borderStyle="round"
      borderColor={inactive ? theme.c("muted") : theme.c("accent")}
      flexDirection="column"
      paddingX={1}
      width={width}
    >
      {editor.text === "" ? (
        <Text>
          <Text color={theme.c("accent")}>› </Text>
          {inactive ? null : <Text inverse> </Text>}
          <Text color={theme.c("muted")}>{placeholder}</Text>
        </Text>
      ) : (
        shown.map((line, i) => {
          const index = first + i;
          const lead = index === 0 ? "› " : "  ";
          if (index !== row || inactive) {
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions, not items
              <Text key={i}>
                <Text color={theme.c("accent")}>{lead}</Text>
                {line === "" ? " " : line}
              </Text>
            );
          }
          const [before, at, after] = splitAtCursor(line, col);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions, not items
            <Text key={i}>
              <Text color={theme.c("accent")}>{lead}</Text>
              {before}
              <Text inverse>{at}</Text>
              {after}
            </Text>
          );
        })
      )}
      {lines.length > maxRows && (
        <Text color={theme.c("muted")}>
          line {row + 1} of {lines.length}
        </Text>
      )}
    </Box>
  );
}
