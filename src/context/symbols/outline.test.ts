import { describe, expect, it } from "vitest";
import { extractSymbols } from "./extract.js";
import { formatOutline } from "./outline.js";

describe("formatOutline", () => {
  it("lists symbols with line ranges, methods indented under their class", async () => {
    const source = `export class Cart {\n  add(item: string) {\n    return item;\n  }\n  clear() {}\n}\n\nexport function checkout() {\n  return 1;\n}\n`;
    const symbols = await extractSymbols("src/cart.ts", source);
    expect(formatOutline("src/cart.ts", symbols, 10)).toBe(
      [
        "src/cart.ts (10 lines, 4 symbols)",
        "1-6 class Cart",
        "  2-4 method add",
        "  5 method clear",
        "8-10 function checkout",
      ].join("\n"),
    );
  });

  it("qualifies methods declared away from their type (Go receivers)", () => {
    const outline = formatOutline(
      "server.go",
      [
        { name: "Server", kind: "struct", line: 3, endLine: 5 },
        { name: "Start", kind: "method", line: 9, endLine: 12, parent: "Server" },
      ],
      12,
    );
    expect(outline).toBe("server.go (12 lines, 2 symbols)\n3-5 struct Server\n9-12 method Server.Start");
  });

  it("says so when a file has no symbols", () => {
    expect(formatOutline("README.md", [], 1)).toBe("README.md (1 line, 0 symbols)");
  });
});
