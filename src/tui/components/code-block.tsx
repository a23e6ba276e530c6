/**
 * A fenced code block: highlighted, with its language as a dim label. Lines wrap rather
 * than being cut, so what is copied from the scrollback is the whole line.
 */
import { Box, Text } from "ink";
import { highlightLines } from "../markdown/highlight.js";
import { useTheme } from "../theme.js";

export interface CodeBlockProps {
  code: string;
  lang: string;
  width: number;
}

export function CodeBlock({ code, lang }: CodeBlockProps) {
  const theme = useTheme();
  const lines = highlightLines(code, lang);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {lang !== "" && <Text color={theme.c("muted")}>{lang}</Text>}
      {lines.map((tokens, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one block never reorder
        <Text key={i}>
          {tokens.length === 0
            ? " "
            : tokens.map((token, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one line never reorder
                <Text key={j} color={theme.scope(token.scope)} dimColor={token.scope === "comment" && !theme.color}>
                  {token.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
