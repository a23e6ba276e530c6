/**
 * Separates `<think>…</think>` reasoning from the answer in a streamed text. Text streams
 * on as it arrives; only a trailing fragment that could still become a tag ("<thi") is
 * held back until the next delta decides it.
 */

export interface SplitPiece {
  channel: "answer" | "reasoning";
  text: string;
}

const OPEN_TAGS = ["<think>", "<thinking>"];
const CLOSE_TAGS = ["</think>", "</thinking>"];

export class ThinkSplitter {
  private buffer = "";
  private inThink = false;
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
      const tags = this.inThink ? CLOSE_TAGS : OPEN_TAGS;
      const found = findFirst(this.buffer, tags);
      if (found) {
        this.emit(out, this.buffer.slice(0, found.index));
        this.buffer = this.buffer.slice(found.index + found.tag.length);
        this.inThink = !this.inThink;
        if (!this.inThink) this.trimAnswerStart = true;
        continue;
      }
      const hold = final ? 0 : partialTagLength(this.buffer, tags);
      this.emit(out, this.buffer.slice(0, this.buffer.length - hold));
      this.buffer = this.buffer.slice(this.buffer.length - hold);
      return out;
    }
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

export function findFirst(text: string, needles: readonly string[]): { index: number; tag: string } | undefined {
  let best: { index: number; tag: string } | undefined;
  for (const tag of needles) {
    const index = text.indexOf(tag);
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
