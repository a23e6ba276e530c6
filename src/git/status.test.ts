import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git } from "../../test/support/git.js";
import { formatStatus, gitStatusSummary, prefetchGitStatus } from "./status.js";

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("gitStatusSummary", () => {
  it("summarises branch and changed files of a real repository, and is null outside one", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "git-status-"));
    expect(await gitStatusSummary(dir)).toBeNull();
    git(dir, "init", "-q", "-b", "main");
    await writeFile(path.join(dir, "a.txt"), "a\n");
    git(dir, "add", "a.txt");
    git(dir, "commit", "-qm", "init");
    expect(await gitStatusSummary(dir)).toBe("branch main, clean");
    await writeFile(path.join(dir, "a.txt"), "b\n");
    await writeFile(path.join(dir, "new file.txt"), "n\n");
    expect(await gitStatusSummary(dir)).toBe('branch main, 2 changed: M a.txt, ?? "new file.txt"');
  });

  it("a status started at launch serves the first summary only; later ones look again", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "git-status-"));
    git(dir, "init", "-q", "-b", "main");
    prefetchGitStatus(dir);
    await new Promise((resolve) => setTimeout(resolve, 800)); // git has long answered
    await writeFile(path.join(dir, "late.txt"), "x\n");
    expect(await gitStatusSummary(dir)).toBe("branch main, clean");
    expect(await gitStatusSummary(dir)).toBe("branch main, 1 changed: ?? late.txt");
  });

  it("caps the listed paths and counts the rest", () => {
    const porcelain = ["## main...origin/main [ahead 1]", ...Array.from({ length: 15 }, (_, i) => ` M f${i}.ts`)].join(
      "\n",
    );
    const summary = formatStatus(porcelain);
    expect(summary).toMatch(/^branch main, 15 changed: M f0.ts, /);
    expect(summary).toMatch(/, \+3 more$/);
  });
});
