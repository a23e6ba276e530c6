/**
 * Markdown → a small block model the terminal components draw. marked's lexer does the
 * parsing (CommonMark + GFM tables and task lists); this keeps only what a terminal can
 * show: headings, paragraphs, lists, quotes, code, tables, rules, and inline bold,
 * italic, strike, code and links. Raw HTML is shown as text, never interpreted.
 */
import { marked, type Token, type Tokens } from "marked";

export interface SpanStyle {
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  /** The link target, when the span is a link's text. */
  href?: string;
}

export interface Span extends SpanStyle {
  text: string;
}

export interface ListItemBlock {
  /** null: not a task item. */
  checked: boolean | null;
  blocks: Block[];
}

export type Align = "left" | "right" | "center" | null;

export type Block =
  | { kind: "heading"; level: number; spans: Span[] }
  | { kind: "paragraph"; spans: Span[] }
  | { kind: "list"; ordered: boolean; start: number; items: ListItemBlock[] }
  | { kind: "code"; lang: string; text: string }
  | { kind: "quote"; blocks: Block[] }
  | { kind: "table"; align: Align[]; header: Span[][]; rows: Span[][][] }
  | { kind: "rule" };

export function parseMarkdown(text: string): Block[] {
  return blocksOf(marked.lexer(text, { gfm: true }));
}

function blocksOf(tokens: readonly Token[]): Block[] {
  const blocks: Block[] = [];
  for (const token of tokens) {
    const block = blockOf(token);
    if (block) blocks.push(block);
  }
  return blocks;
}

function blockOf(token: Token): Block | undefined {
  switch (token.type) {
    case "heading":
      return { kind: "heading", level: (token as Tokens.Heading).depth, spans: spansOf(token.tokens ?? []) };
    case "paragraph":
      return { kind: "paragraph", spans: spansOf(token.tokens ?? []) };
    case "text":
      return { kind: "paragraph", spans: token.tokens ? spansOf(token.tokens) : [{ text: token.text }] };
    case "code":
      return { kind: "code", lang: ((token as Tokens.Code).lang ?? "").split(/\s/)[0], text: token.text };
    case "blockquote":
      return { kind: "quote", blocks: blocksOf(token.tokens ?? []) };
    case "hr":
      return { kind: "rule" };
    case "list": {
      const list = token as Tokens.List;
      return {
        kind: "list",
        ordered: list.ordered,
        start: typeof list.start === "number" ? list.start : 1,
        items: list.items.map((item) => ({
          checked: item.task ? (item.checked ?? false) : null,
          blocks: blocksOf(item.tokens.filter((t) => t.type !== "checkbox")),
        })),
      };
    }
    case "table": {
      const table = token as Tokens.Table;
      return {
        kind: "table",
        align: table.align,
        header: table.header.map((cell) => spansOf(cell.tokens)),
        rows: table.rows.map((row) => row.map((cell) => spansOf(cell.tokens))),
      };
    }
    case "html":
      return token.text.trim() === "" ? undefined : { kind: "paragraph", spans: [{ text: token.text.trimEnd() }] };
    default:
      return undefined;
  }
}

function spansOf(tokens: readonly Token[], style: SpanStyle = {}): Span[] {
  const spans: Span[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "strong":
        spans.push(...spansOf(token.tokens ?? [], { ...style, bold: true }));
        break;
      case "em":
        spans.push(...spansOf(token.tokens ?? [], { ...style, italic: true }));
        break;
      case "del":
        spans.push(...spansOf(token.tokens ?? [], { ...style, strike: true }));
        break;
      case "codespan":
        spans.push({ ...style, code: true, text: token.text });
        break;
      case "link": {
        const link = token as Tokens.Link;
        const inner = spansOf(link.tokens ?? [], { ...style, href: link.href });
        spans.push(...inner);
        // A bare URL already shows its target; otherwise print it, so it can be copied.
        if (link.text !== link.href && !link.href.startsWith("mailto:"))
          spans.push({ ...style, text: ` (${link.href})` });
        break;
      }
      case "image":
        spans.push({ ...style, text: `[image: ${token.text || (token as Tokens.Image).href}]` });
        break;
      case "br":
        spans.push({ ...style, text: "\n" });
        break;
      case "text":
        if (token.tokens && token.tokens.length > 0) spans.push(...spansOf(token.tokens, style));
        else spans.push({ ...style, text: token.text });
        break;
      default:
        spans.push({ ...style, text: "text" in token && typeof token.text === "string" ? token.text : token.raw });
    }
  }
  return spans;
}
