/**
 * Streaming Markdown is moved into the scrollback block by block as it arrives, so the
 * live region — the only part Ink redraws — stays a few lines high however long the
 * answer grows. A block is finished at a blank line outside a code fence. A block that
 * outgrows the live region (a long code listing, a list with no blank lines) is cut at a
 * line boundary; a cut inside a fence closes it and reopens it with the same info string,
 * so both halves still render as highlighted code.
 */

export interface StreamSplit {
  /** Finished Markdown blocks, in order, to print once. */
  done: string[];
  /** What stays live. */
  rest: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

interface Line {
  text: string;
  /** The fence opener this line is inside of (after it is read), or null. */
  fence: string | null;
  /** The opener line of that fence (for reopening after a cut). */
  opener: string | null;
}

function scan(lines: string[]): Line[] {
  let fence: string | null = null;
  let opener: string | null = null;
  return lines.map((text) => {
    const match = FENCE.exec(text);
    if (match) {
      if (fence === null) {
        fence = match[1];
        opener = text;
      } else if (match[1].startsWith(fence[0]) && match[1].length >= fence.length && match[2].trim() === "") {
        fence = null;
        opener = null;
      }
    }
    return { text, fence, opener };
  });
}

/**
 * Splits `text` (everything streamed and not yet printed) into finished blocks and the
 * live rest. `maxLiveLines` bounds the rest's complete lines.
 */
export function splitStreaming(text: string, maxLiveLines: number): StreamSplit {
  const done: string[] = [];
  const lastNewline = text.lastIndexOf("\n");
  if (lastNewline < 0) return { done, rest: text };
  const complete = text.slice(0, lastNewline).split("\n");
  const partial = text.slice(lastNewline + 1);
  const lines = scan(complete);

  // The last blank line outside a fence ends every block before it.
  let cut = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].text.trim() === "" && lines[i].fence === null) {
      cut = i;
      break;
    }
  }
  let start = 0;
  if (cut >= 0) {
    const block = complete.slice(0, cut).join("\n").trim();
    if (block !== "") done.push(block);
    start = cut + 1;
  }

  let carry = "";
  const remaining = lines.length - start;
  if (remaining > maxLiveLines) {
    // Keep a few lines live so the reader sees motion; avoid cutting through a table.
    let at = lines.length - Math.max(2, Math.floor(maxLiveLines / 3));
    while (at > start + 1 && isTableRow(lines[at].text) && isTableRow(lines[at - 1].text)) at--;
    if (at > start) {
      const inFence = lines[at - 1].fence;
      const block = complete.slice(start, at).join("\n");
      done.push(inFence !== null ? `${block}\n${inFence}` : block);
      if (inFence !== null) carry = `${lines[at - 1].opener}\n`;
      start = at;
    }
  }
  const live = complete.slice(start);
  const rest = `${carry}${live.length > 0 ? `${live.join("\n")}\n` : ""}${partial}`;
  return { done: done.filter((b) => b.trim() !== ""), rest };
}

function isTableRow(line: string): boolean {
  return line.trimStart().startsWith("|");
}
