import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTree, toolContext } from "../../test/support/tool-tree.js";
import { createSearchTool, toJsRegex } from "./search.js";
import { loadRgPath, searchWithRg } from "./search-rg.js";

const FIXTURE: Record<string, string | Buffer> = {
  ".gitignore": "dist/\n*.log\n!keep.log\n*.gen\n",
  ".git/config": "needle in git config\n",
  ".git/info/exclude": "secret.txt\n",
  "secret.txt": "needle secret\n",
  ".hidden/h.ts": "const needle = 'hidden';\n",
  "README.md": "A needle in the readme\nNEEDLE upper\n",
  "src/.gitignore": "generated/\n",
  "src/a.ts": "export const a = 1;\n// needle: first\nexport function needle() {}\n",
  "src/b.tsx": "export const B = () => <div>needle</div>;\n",
  "src/crlf.ts": "line one\r\nneedle crlf\r\n",
  "src/generated/g.ts": "needle generated\n",
  "src/deep/.gitignore": "!important.gen\n",
  "src/deep/important.gen": "needle important\n",
  "src/deep/other.gen": "needle other\n",
  "src/deep/nested/n.ts": `${"x".repeat(500)} needle long line\n`,
  "src/keep.log": "needle kept log\n",
  "src/x.log": "needle ignored log\n",
  "src/img.bin": Buffer.from([0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0x00, 0x01, 0x02]),
  "dist/d.js": "needle dist\n",
  "dir with space/file name.ts": "needle spaced\n",
  "node_modules/pkg/index.js": "needle module\n",
};

describe("search", () => {
  let tree: Awaited<ReturnType<typeof makeTree>>;
  let rgPath: string | undefined;
  beforeAll(async () => {
    tree = await makeTree(FIXTURE);
    await mkdir(path.join(tree.root, "linked"));
    await symlink(path.join(tree.root, "src"), path.join(tree.root, "linked", "src-link"));
    rgPath = await loadRgPath();
  });
  afterAll(() => tree.cleanup());

  const run = async (args: Record<string, unknown>, forceFallback: boolean) =>
    createSearchTool({ root: tree.root, forceFallback }).execute(args, toolContext("call_3"));

  it("has ripgrep available here, and ripgrep itself answers (so parity compares two backends)", async () => {
    expect(rgPath).toBeDefined();
    const result = await searchWithRg(rgPath as string, {
      root: tree.root,
      pattern: "needle",
      regex: /needle/,
      literal: false,
      startRel: ".",
      startIsFile: false,
      signal: new AbortController().signal,
      maxKept: 100,
      maxLineChars: 2000,
    });
    expect(result.kind).toBe("ok");
  });

  const CASES: Array<Record<string, unknown>> = [
    { pattern: "needle" },
    { pattern: "(?i)needle", path: "README.md" },
    { pattern: "needle", glob: "*.ts" },
    { pattern: "needle", glob: "src/**/*.tsx" },
    { pattern: "needle", glob: "!*.ts" },
    { pattern: "needle", path: "src" },
    { pattern: "needle", path: "src/deep" },
    { pattern: "needle", path: "dir with space" },
    { pattern: "needle", path: "dist" },
    { pattern: "needle", path: "src/x.log" },
    { pattern: "^export (const|function) \\w+" },
    { pattern: "needle\\(\\)" },
    { pattern: "needle(" },
    { pattern: "needle(?= crlf)" },
    { pattern: "[[:digit:]];$" },
    { pattern: "crlf$" },
    { pattern: "nothing-like-this" },
  ];

  it.each(CASES)("gives the same output with ripgrep and the JS fallback: %j", async (args) => {
    const rg = await run(args, false);
    const js = await run(args, true);
    expect(js).toEqual(rg);
  });

  it("follows .gitignore at every level, skips .git, binary files and symlinks, includes hidden files", async () => {
    const result = await run({ pattern: "needle" }, true);
    expect(result.content).toBe(
      [
        ".hidden/h.ts:1: const needle = 'hidden';",
        "README.md:1: A needle in the readme",
        "dir with space/file name.ts:1: needle spaced",
        "node_modules/pkg/index.js:1: needle module",
        "src/a.ts:2: // needle: first",
        "src/a.ts:3: export function needle() {}",
        "src/b.tsx:1: export const B = () => <div>needle</div>;",
        "src/crlf.ts:2: needle crlf",
        "src/deep/important.gen:1: needle important",
        `src/deep/nested/n.ts:1: ${"x".repeat(299)}…`,
        "src/keep.log:1: needle kept log",
      ].join("\n"),
    );
    expect(result.display).toBe("11 matches in 10 files");
  });

  it("says plainly when nothing matches", async () => {
    expect((await run({ pattern: "nothing-like-this", path: "src", glob: "*.ts" }, false)).content).toBe(
      "no matches for /nothing-like-this/ in src (glob *.ts)",
    );
    const none = await run({ pattern: "zzz" }, false);
    expect(none).toMatchObject({ content: "no matches for /zzz/ in the project", isError: false });
  });

  it("searches an invalid regex as literal text and says so", async () => {
    const result = await run({ pattern: "needle(" }, false);
    expect(result.content).toBe(
      '("needle(" is not a valid regex, so it was searched as literal text)\nsrc/a.ts:3: export function needle() {}',
    );
    const none = await run({ pattern: "needle((" }, false);
    expect(none.content).toBe(
      'no matches for "needle((" in the project (not a valid regex, so searched as literal text)',
    );
  });

  it("refuses a path outside the project and reports a missing one", async () => {
    const outside = await run({ pattern: "x", path: "../" }, false);
    expect(outside.isError).toBe(true);
    expect(outside.content).toMatch(/outside the project root/);
    const missing = await run({ pattern: "x", path: "nope" }, true);
    expect(missing).toMatchObject({
      content: "nope not found; search without path to cover the whole project",
      isError: true,
    });
  });

  it("caps matches with a count and the exact narrowing and recall calls", async () => {
    const many = await makeTree(
      Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, "0")}.txt`, "hit\nhit\nhit\nhit\nhit\n"]),
      ),
    );
    try {
      for (const forceFallback of [false, true]) {
        const result = await createSearchTool({ root: many.root, forceFallback }).execute(
          { pattern: "hit" },
          toolContext("call_5"),
        );
        const lines = result.content.split("\n");
        expect(lines).toHaveLength(101);
        expect(lines[0]).toBe("f00.txt:1: hit");
        expect(lines.at(-1)).toBe(
          '[100 of 150 matches shown (30 files); narrow with path or glob, or recall {"tool_call_id":"call_5"} for all]',
        );
        expect(result.fullOutput?.split("\n")).toHaveLength(150);
      }
    } finally {
      await many.cleanup();
    }
  });

  it("falls back to the JS search when the ripgrep binary is missing", async () => {
    const tool = createSearchTool({ root: tree.root, rgPath: "/nonexistent/rg" });
    const result = await tool.execute({ pattern: "needle", path: "src/a.ts" }, toolContext());
    expect(result.content).toBe("src/a.ts:2: // needle: first\nsrc/a.ts:3: export function needle() {}");
  });
});

describe("toJsRegex", () => {
  it("translates the Rust syntax a model is likely to use", () => {
    expect(toJsRegex("(?i)abc").regex.flags).toContain("i");
    expect(toJsRegex("(?P<name>x)").regex.source).toBe("(?<name>x)");
    expect(toJsRegex("[[:alpha:]]+").regex.test("abc")).toBe(true);
    expect(toJsRegex("a(").literal).toBe(true);
    expect(toJsRegex("a(").regex.test("xa(y")).toBe(true);
  });
});
