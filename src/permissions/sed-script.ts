/**
 * Whether a sed script only reads: no `w`/`W` (write a file), no `e` (run a command),
 * no `s///w` or `s///e`. Scans GNU sed syntax command by command; anything it does not
 * recognise counts as unsafe, so a strange script is asked about rather than allowed.
 */

const SIMPLE_COMMANDS = new Set([..."=dDgGhHnNpPxzF"]);

export function sedScriptIsReadOnly(script: string): boolean {
  const s = new Scanner(script);
  for (;;) {
    s.skip(/[\s;]/);
    if (s.done()) return true;
    if (!s.address()) return false;
    s.skip(/\s/);
    if (s.peek() === ",") {
      s.next();
      s.skip(/\s/);
      if (!s.address(true)) return false;
      s.skip(/\s/);
    }
    while (s.peek() === "!" || s.peek() === " ") s.next();
    const command = s.next();
    if (command === undefined) return false;
    if (command === "{" || command === "}") continue;
    if (command === "#" || command === ":" || "aicrR".includes(command)) {
      s.toLineEnd(command === ":" ? ";" : undefined);
      continue;
    }
    if ("btT".includes(command)) {
      s.toLineEnd(";");
      continue;
    }
    if ("lLqQ".includes(command)) {
      s.skip(/[\s\d]/);
      continue;
    }
    if (command === "v") {
      s.skip(/[\d.]/);
      continue;
    }
    if (SIMPLE_COMMANDS.has(command)) continue;
    if (command === "y") {
      if (!s.delimited(2)) return false;
      continue;
    }
    if (command === "s") {
      if (!s.delimited(2)) return false;
      const flags = s.take(/[gpiImMe\dw]/);
      if (flags.includes("w") || flags.includes("e")) return false;
      continue;
    }
    // w, W, e and anything unknown.
    return false;
  }
}

class Scanner {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.at];
  }

  next(): string | undefined {
    return this.text[this.at++];
  }

  skip(pattern: RegExp): void {
    while (!this.done() && pattern.test(this.text[this.at])) this.at++;
  }

  take(pattern: RegExp): string {
    const start = this.at;
    this.skip(pattern);
    return this.text.slice(start, this.at);
  }

  /** Skips to the end of the line (or `stop`), honouring backslash-newline continuations. */
  toLineEnd(stop?: string): void {
    while (!this.done()) {
      const ch = this.text[this.at];
      if (ch === "\\") this.at += 2;
      else if (ch === "\n" || ch === stop) return;
      else this.at++;
    }
  }

  /** An optional address: `12`, `$`, `/re/I`, `\cREc`, `first~step`, and after a comma `+N`, `~N`. */
  address(second = false): boolean {
    const ch = this.peek();
    if (ch === undefined) return true;
    if (/\d/.test(ch) || (second && (ch === "+" || ch === "~"))) {
      this.next();
      this.skip(/[\d~]/);
      return true;
    }
    if (ch === "$") {
      this.next();
      return true;
    }
    if (ch === "/" || ch === "\\") {
      if (ch === "\\") this.next();
      if (!this.delimited(1)) return false;
      this.skip(/[IM]/);
    }
    return true;
  }

  /** `count` parts after a delimiter character (`/a/b/`), escapes honoured. */
  delimited(count: number): boolean {
    const delimiter = this.next();
    if (delimiter === undefined || delimiter === "\n" || delimiter === "\\") return false;
    for (let part = 0; part < count; part++) {
      for (;;) {
        const ch = this.next();
        if (ch === undefined) return false;
        if (ch === "\\") this.next();
        else if (ch === delimiter) break;
      }
    }
    return true;
  }
}
