/**
 * Markdown in the terminal: headings, paragraphs with inline styles, lists (nested, task
 * items), quotes, rules, tables and highlighted code, laid out for the given width.
 */
import { Box, Text } from "ink";
import { type Block, parseMarkdown, type Span } from "../markdown/parse.js";
import { useTheme } from "../theme.js";
import { CodeBlock } from "./code-block.js";
import { TableView } from "./table-view.js";

export interface MarkdownProps {
  text: string;
  width: number;
}

export function Markdown({ text, width }: MarkdownProps) {
  return <Blocks blocks={parseMarkdown(text)} width={width} />;
}

export function Blocks({ blocks, width }: { blocks: Block[]; width: number }) {
  return (
    <Box flexDirection="column">
      {blocks.map((block, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one message never reorder
        <Box key={i} marginTop={i > 0 && spaced(block, blocks[i - 1]) ? 1 : 0}>
          <BlockView block={block} width={width} />
        </Box>
      ))}
    </Box>
  );
}

/** Tight lists and a list after its lead-in paragraph stay together; other blocks get a blank line. */
function spaced(block: Block, previous: Block): boolean {
  return !(block.kind === "list" && previous.kind === "paragraph");
}

function BlockView({ block, width }: { block: Block; width: number }) {
  const theme = useTheme();
  switch (block.kind) {
    case "heading":
      return (
        <Text bold color={theme.c("heading")} underline={block.level === 1}>
          {block.level > 2 ? `${"#".repeat(block.level)} ` : ""}
          <Spans spans={block.spans} />
        </Text>
      );
    case "paragraph":
      return (
        <Text>
          <Spans spans={block.spans} />
        </Text>
      );
    case "code":
      return <CodeBlock code={block.text} lang={block.lang} width={width} />;
    case "quote":
      return (
        <Box
          borderStyle="single"
          borderLeft
          borderTop={false}
          borderRight={false}
          borderBottom={false}
          paddingLeft={1}
          borderColor={theme.c("muted")}
        >
          <Blocks blocks={block.blocks} width={Math.max(10, width - 2)} />
        </Box>
      );
    case "rule":
      return <Text color={theme.c("muted")}>{"─".repeat(Math.max(3, Math.min(width, 80)))}</Text>;
    case "table":
      return <TableView table={block} width={width} />;
    case "list":
      return (
        <Box flexDirection="column">
          {block.items.map((item, i) => {
            const marker =
              item.checked !== null ? (item.checked ? "☑ " : "☐ ") : block.ordered ? `${block.start + i}. ` : "• ";
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: list items of one message never reorder
              <Box key={i}>
                <Text color={theme.c("accent")}>{marker}</Text>
                <Box flexDirection="column" flexShrink={1}>
                  <Blocks blocks={item.blocks} width={Math.max(10, width - marker.length)} />
                </Box>
              </Box>
            );
          })}
        </Box>
      );
  }
}

export function Spans({ spans }: { spans: Span[] }) {
  const theme = useTheme();
  return (
    <>
      {spans.map((span, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: spans of one block never reorder
          key={i}
          bold={span.bold}
          italic={span.italic}
          strikethrough={span.strike}
          underline={span.href !== undefined && theme.color}
          color={span.code ? theme.c("code") : span.href !== undefined ? theme.c("link") : undefined}
        >
          {span.code && !theme.color ? `\`${span.text}\`` : span.text}
        </Text>
      ))}
    </>
  );
}
