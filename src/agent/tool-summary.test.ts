import { describe, expect, it } from "vitest";
import { clip, summariseToolCall } from "./tool-summary.js";

describe("summariseToolCall", () => {
  it("shows the tool and its salient argument on one line", () => {
    expect(summariseToolCall("read_file", { path: "src/a.ts", line_range: [1, 40] })).toBe(
      "read_file src/a.ts [1, 40]",
    );
    expect(summariseToolCall("bash", { command: "npm test\nnpm run lint" })).toBe("bash npm test ⏎ npm run lint");
  });

  it("clips by code points so emoji and CJK are never split", () => {
    const clipped = clip("路径😀😀😀😀", 4);
    expect(clipped).toBe("路径😀…");
    expect(Array.from(clipped)).toHaveLength(4);
  });
});
