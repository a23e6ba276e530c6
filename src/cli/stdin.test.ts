import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readStdin, withPipedInput } from "./stdin.js";

describe("piped stdin", () => {
  it("follows the task as fenced context, cut with a note when it is too long", () => {
    expect(withPipedInput("explain", "const a = 1;\n", 1000).text).toBe(
      "explain\n\nInput piped to parecode on stdin:\n```\nconst a = 1;\n```",
    );
    expect(withPipedInput("explain", "  \n", 1000)).toEqual({ text: "explain" });
    const long = withPipedInput("sum up", "x".repeat(50), 20);
    expect(long.cut).toEqual({ kept: 20, total: 50 });
    expect(long.text).toBe(
      `sum up\n\nInput piped to parecode on stdin:\n\`\`\`\n${"x".repeat(20)}\n\`\`\`\n[stdin was cut to its first 20 of 50 characters]`,
    );
    // A fence inside the text cannot close the block early.
    expect(withPipedInput("t", "a\n````\nb", 100).text).toContain("`````\na\n````\nb\n`````");
  });

  it("says once that it is waiting when an open stdin stays silent", async () => {
    const stream = new PassThrough();
    let waiting = 0;
    const read = readStdin(stream, { onWaiting: () => waiting++, noticeMs: 30 });
    await new Promise((r) => setTimeout(r, 80));
    stream.end("late data");
    expect(await read).toBe("late data");
    expect(waiting).toBe(1);
    const quick = new PassThrough();
    let never = 0;
    const done = readStdin(quick, { onWaiting: () => never++, noticeMs: 30 });
    quick.end("at once");
    await done;
    await new Promise((r) => setTimeout(r, 60));
    expect(never).toBe(0);
  });
});
