/**
 * Finds the line a TOML key was written on, so validation errors can say
 * `config.toml:7: profiles.local.context_tokens ...`. smol-toml returns plain values with
 * no positions, so this is a small scanner over the source text. It only runs on text
 * that already parsed, so it can be forgiving: it understands table headers, array
 * tables, dotted keys, quoted keys, inline tables, multi-line arrays and strings, and
 * comments; on anything surprising it skips to the next line rather than failing.
 *
 * Elements of arrays of tables get their 0-based index in the path, as smol-toml's
 * values do: the second `[[profiles.local.mcp_servers]]` block's `name` is at
 * ["profiles", "local", "mcp_servers", "1", "name"]; a `[profiles.local.mcp_servers.env]`
 * header after it belongs to that element, and so do inline tables inside an array value.
 */

export interface KeyLocator {
  /**
   * The line (1-based) where `path` is defined; when it is not written anywhere (a missing
   * key), the line of its nearest written ancestor (e.g. the `[profiles.local]` header).
   */
  lineOf(path: readonly string[]): number | undefined;
}

export function locateKeys(text: string): KeyLocator {
  const lines = new Map<string, number>();
  new Scanner(text, (path, line) => {
    const id = JSON.stringify(path);
    if (!lines.has(id)) lines.set(id, line);
  }).run();
  return {
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        const line = lines.get(JSON.stringify(path.slice(0, n)));
        if (line !== undefined) return line;
      }
      return undefined;
    },
  };
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  private pos = 0;
  private line = 1;
  /** Elements seen so far per array of tables, keyed by its resolved path. */
  private readonly arrays = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly record: (path: string[], line: number) => void,
  ) {}

  run(): void {
    let table: string[] = [];
    while (this.pos < this.text.length) {
      const start = this.pos;
      this.skipBlank(true);
      if (this.pos >= this.text.length) break;
      try {
        if (this.text.startsWith("[[", this.pos)) {
          this.pos += 2;
          const written = this.keyPath();
          const array = [...this.inArrays(written.slice(0, -1)), written[written.length - 1]];
          const id = JSON.stringify(array);
          const index = this.arrays.get(id) ?? 0;
          this.arrays.set(id, index + 1);
          this.record(array, this.line);
          table = [...array, String(index)];
          this.record(table, this.line);
        } else if (this.peek() === "[") {
          this.pos += 1;
          table = this.inArrays(this.keyPath());
          this.record(table, this.line);
        } else {
          const path = [...table, ...this.keyPath()];
          this.record(path, this.line);
          this.skipBlank(false);
          if (this.peek() === "=") {
            this.pos += 1;
            this.value(path);
          }
        }
      } catch {
        // Not something we understand: resume on the next line.
      }
      this.skipRestOfLine();
      if (this.pos === start) this.pos += 1; // always make progress
    }
  }

  /** A header's path with the current element's index after every array of tables in it. */
  private inArrays(path: string[]): string[] {
    const out: string[] = [];
    for (const key of path) {
      out.push(key);
      const count = this.arrays.get(JSON.stringify(out));
      if (count !== undefined) out.push(String(count - 1));
    }
    return out;
  }

  private peek(): string {
    return this.text[this.pos] ?? "";
  }

  private advance(): string {
    const ch = this.text[this.pos] ?? "";
    this.pos += 1;
    if (ch === "\n") this.line += 1;
    return ch;
  }

  /** Spaces and tabs; with `newlines`, also newlines and comments. */
  private skipBlank(newlines: boolean): void {
    while (this.pos < this.text.length) {
      const ch = this.peek();
      if (ch === " " || ch === "\t" || ch === "\r") this.pos += 1;
      else if (newlines && ch === "\n") this.advance();
      else if (newlines && ch === "#") this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.peek() !== "\n") this.pos += 1;
  }

  private skipRestOfLine(): void {
    while (this.pos < this.text.length && this.peek() !== "\n") this.pos += 1;
  }

  /** `a.b."c d".'e'` → ["a", "b", "c d", "e"], stopping before `=`, `]` or `]]`. */
  private keyPath(): string[] {
    const path: string[] = [];
    for (;;) {
      this.skipBlank(false);
      const ch = this.peek();
      if (ch === '"' || ch === "'") path.push(this.quoted(ch));
      else {
        let key = "";
        while (BARE_KEY.test(this.peek())) key += this.advance();
        if (key === "") throw new Error("expected a key");
        path.push(key);
      }
      this.skipBlank(false);
      if (this.peek() !== ".") return path;
      this.pos += 1;
    }
  }

  /** A single-line string; returns its (unescaped enough for key matching) contents. */
  private quoted(quote: string): string {
    this.pos += 1;
    let out = "";
    while (this.pos < this.text.length && this.peek() !== quote && this.peek() !== "\n") {
      const ch = this.advance();
      if (quote === '"' && ch === "\\") out += unescapeChar(this.advance());
      else out += ch;
    }
    this.pos += 1;
    return out;
  }

  private value(path: string[]): void {
    this.skipBlank(false);
    const ch = this.peek();
    if (this.text.startsWith('"""', this.pos) || this.text.startsWith("'''", this.pos)) this.multiline(ch);
    else if (ch === '"' || ch === "'") this.quoted(ch);
    else if (ch === "[") this.array(path);
    else if (ch === "{") this.inlineTable(path);
    else while (this.pos < this.text.length && !",]}\n#".includes(this.peek())) this.pos += 1;
  }

  private multiline(quote: string): void {
    const fence = quote.repeat(3);
    this.pos += 3;
    while (this.pos < this.text.length) {
      if (quote === '"' && this.peek() === "\\") {
        this.advance();
        this.advance();
      } else if (this.text.startsWith(fence, this.pos)) {
        this.pos += 3;
        // Up to two more quotes may belong to the content (`""""` ends with a quote).
        while (this.peek() === quote) this.pos += 1;
        return;
      } else this.advance();
    }
  }

  private array(path: string[]): void {
    this.pos += 1;
    for (let index = 0; ; index++) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.peek() === "]") {
        this.pos += 1;
        return;
      }
      const before = this.pos;
      this.value([...path, String(index)]);
      this.skipBlank(true);
      if (this.peek() === ",") this.pos += 1;
      else if (this.pos === before) throw new Error("stuck in array");
    }
  }

  private inlineTable(path: string[]): void {
    this.pos += 1;
    for (;;) {
      this.skipBlank(false);
      if (this.pos >= this.text.length || this.peek() === "\n") return;
      if (this.peek() === "}") {
        this.pos += 1;
        return;
      }
      const key = [...path, ...this.keyPath()];
      this.record(key, this.line);
      this.skipBlank(false);
      if (this.peek() !== "=") throw new Error("expected =");
      this.pos += 1;
      this.value(key);
      this.skipBlank(false);
      if (this.peek() === ",") this.pos += 1;
    }
  }
}

function unescapeChar(ch: string): string {
  const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\" };
  return map[ch] ?? ch;
}
