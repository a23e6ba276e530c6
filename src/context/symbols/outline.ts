/**
 * The outline read_file returns for `symbols: true`. Every character is paid in tokens,
 * so: one symbol per line, line numbers first (the model's next call is a line_range),
 * methods indented under their class instead of repeating its name.
 *
 *   src/shop.ts (120 lines, 4 symbols)
 *   12-40 class Cart
 *     15-22 method add
 *   44 function checkout
 */
import type { FileSymbol } from "./types.js";

export function formatOutline(path: string, symbols: FileSymbol[], totalLines: number): string {
  const count = symbols.length;
  const lines = [
    `${path} (${totalLines} ${totalLines === 1 ? "line" : "lines"}, ${count} ${count === 1 ? "symbol" : "symbols"})`,
  ];
  // The innermost open container; a method is nested only when it sits inside that container's lines.
  let container: FileSymbol | undefined;
  for (const symbol of symbols) {
    const range =
      symbol.endLine && symbol.endLine > symbol.line ? `${symbol.line}-${symbol.endLine}` : `${symbol.line}`;
    if (container && symbol.parent === container.name && symbol.line <= (container.endLine ?? container.line)) {
      lines.push(`  ${range} ${symbol.kind} ${symbol.name}`);
      continue;
    }
    const name = symbol.parent ? `${symbol.parent}.${symbol.name}` : symbol.name;
    lines.push(`${range} ${symbol.kind} ${name}`);
    if (!symbol.parent) container = symbol;
  }
  return lines.join("\n");
}
