import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CONVENTIONS_MAX_CHARS, loadConventions } from "./conventions.js";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("loadConventions", () => {
  it("prefers .parecode/conventions.md over AGENTS.md and CLAUDE.md", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "conv-"));
    await writeFile(path.join(dir, "AGENTS.md"), "agents rules");
    await writeFile(path.join(dir, "CLAUDE.md"), "claude rules");
    expect((await loadConventions(dir))?.file).toBe("AGENTS.md");
    await mkdir(path.join(dir, ".parecode"));
    await writeFile(path.join(dir, ".parecode/conventions.md"), "\uFEFFour rules\n");
    expect(await loadConventions(dir)).toEqual({
      file: ".parecode/conventions.md",
      text: "our rules",
      truncated: false,
    });
  });

  it("returns null without conventions and cuts a long file at a line with a note", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "conv-"));
    expect(await loadConventions(dir)).toBeNull();
    await writeFile(path.join(dir, "CLAUDE.md"), "a rule that repeats\n".repeat(1000));
    const loaded = await loadConventions(dir);
    expect(loaded?.truncated).toBe(true);
    expect(loaded?.text.length).toBeLessThan(CONVENTIONS_MAX_CHARS + 100);
    expect(loaded?.text).toMatch(/a rule that repeats\n\[CLAUDE.md cut to fit/);
  });
});
