/**
 * Separates `<think>…</think>` reasoning from the answer in a streamed text. Text streams
 * on as it arrives; only a trailing fragment that could still become a tag ("<thi") is
 * held back until the next delta decides it.
 *
 * Any model may write about the tags (this very project's code mentions them), so a tag
 * counts only where a model puts a real one: not inside a fenced code block of the
 * answer (a fence opens at the start of a line), and not right after a backtick or a
 * quote (`` `<think>` ``, `"<think>"`).
 */

export interface SplitPiece {
  channel: "answer" | "reasoning";
  text: string;
}

const OPEN_TAGS = ["<think>", "<thinking>"];
const CLOSE_TAGS = ["</think>", "</thinking>"];
const FENCE = "```";
/** A tag right after one of these is quoted (a mention), not markup. */
const QUOTED_OPEN = "`\"'";
const QUOTED_CLOSE = "`";

export class ThinkSplitter {
  private buffer = "";
  private inThink = false;
  /** Inside a fenced code block of the answer: tags there are code. */
  private inFence = false;
  /** The character just before the buffer, to tell a quoted tag at the buffer's start. */
  private before = "";
  /** Only blanks since the last newline before the buffer: a fence there opens or closes a block. */
  private lineStart = true;
  /** After a close tag the answer usually starts with blank lines the reader does not need. */
  private trimAnswerStart = false;

  push(delta: string): SplitPiece[] {
    this.buffer += delta;
    return this.drain(false);
  }

  /** Ends the stream: whatever is held is released (an unclosed think block stays reasoning). */
  flush(): SplitPiece[] {
    return this.drain(true);
  }

  private drain(final: boolean): SplitPiece[] {
    const out: SplitPiece[] = [];
    for (;;) {
      const markers = this.inThink ? CLOSE_TAGS : this.inFence ? [FENCE] : [...OPEN_TAGS, FENCE];
      const quoted = this.inThink ? QUOTED_CLOSE : QUOTED_OPEN;
      const found = findFirst(this.buffer, markers, (index, tag) =>
        tag === FENCE ? this.atLineStart(index) : !this.isQuoted(index, quoted),
      );
      if (found) {
        const end = found.index + found.tag.length;
        if (found.tag === FENCE) {
          // A fence is answer text; it only switches whether tags count.
          this.consume(out, end, end);
          this.inFence = !this.inFence;
          continue;
        }
        this.consume(out, found.index, end);
        this.inThink = !this.inThink;
        if (!this.inThink) this.trimAnswerStart = true;
        continue;
      }
      const hold = final ? 0 : partialTagLength(this.buffer, markers);
      const keep = this.buffer.length - hold;
      this.consume(out, keep, keep);
      return out;
    }
  }

  private isQuoted(index: number, quotes: string): boolean {
    const prev = index > 0 ? this.buffer[index - 1] : this.before;
    return prev !== "" && quotes.includes(prev);
  }

  private atLineStart(index: number): boolean {
    const head = this.buffer.slice(0, index);
    const newline = head.lastIndexOf("\n");
    return /^[ \t]*$/.test(head.slice(newline + 1)) && (newline !== -1 || this.lineStart);
  }

  /** Emits the buffer up to `emitEnd` on the current channel and drops it up to `dropEnd`. */
  private consume(out: SplitPiece[], emitEnd: number, dropEnd: number): void {
    this.emit(out, this.buffer.slice(0, emitEnd));
    if (dropEnd > 0) {
      const dropped = this.buffer.slice(0, dropEnd);
      const newline = dropped.lastIndexOf("\n");
      const blank = /^[ \t]*$/.test(dropped.slice(newline + 1));
      this.lineStart = blank && (newline !== -1 || this.lineStart);
      this.before = dropped[dropped.length - 1];
    }
    this.buffer = this.buffer.slice(dropEnd);
  }

  private emit(out: SplitPiece[], text: string): void {
    let piece = text;
    if (!this.inThink && this.trimAnswerStart) {
      piece = piece.replace(/^\s+/, "");
      if (piece !== "") this.trimAnswerStart = false;
    }
    if (piece === "") return;
    const channel = this.inThink ? "reasoning" : "answer";
    const last = out[out.length - 1];
    if (last && last.channel === channel) last.text += piece;
    else out.push({ channel, text: piece });
  }
}

/** The earliest occurrence of any needle that `accept` takes. */
export function findFirst(
  text: string,
  needles: readonly string[],
  accept: (index: number, tag: string) => boolean = () => true,
): { index: number; tag: string } | undefined {
  let best: { index: number; tag: string } | undefined;
  for (const tag of needles) {
    let index = text.indexOf(tag);
    while (index !== -1 && !accept(index, tag)) index = text.indexOf(tag, index + 1);
    if (index !== -1 && (best === undefined || index < best.index)) best = { index, tag };
  }
  return best;
}
/** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
export function partialTagLength(text: string, tags: readonly string[]): number {
  let longest = 0;
  for (const tag of tags) {
    const max = Math.min(tag.length - 1, text.length);
    for (let len = max; len > longest; len--) {
      if (text.endsWith(tag.slice(0, len))) {
        longest = len;
        break;
      }
    }
  }
  return longest;
}
