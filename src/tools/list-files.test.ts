import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTree, toolContext } from "../../test/support/tool-tree.js";
import { createListFilesTool } from "./list-files.js";

describe("list_files", () => {
  let tree: Awaited<ReturnType<typeof makeTree>>;
  beforeAll(async () => {
    tree = await makeTree({
      ".gitignore": "dist/\n*.log\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      "README.md": "",
      "package.json": "{}",
      "debug.log": "",
      "dist/out.js": "",
      "src/index.ts": "",
      "src/cli/main.ts": "",
      "src/cli/args.ts": "",
      "src/tools/.gitignore": "*.tmp\n",
      "src/tools/bash.ts": "",
      "src/tools/scratch.tmp": "",
      "src/tools/deep/er/file.ts": "",
      "docs and notes/guide.md": "",
    });
  });
  afterAll(() => tree.cleanup());

  const list = (args: Record<string, unknown>, options: { maxEntries?: number } = {}) =>
    createListFilesTool({ root: tree.root, ...options }).execute(args, toolContext());

  it("shows folders first, then files, two levels deep, following .gitignore and skipping .git", async () => {
    const result = await list({});
    expect(result.content).toBe(
      [
        "docs and notes/",
        "  guide.md",
        "src/",
        "  cli/ (+2 more)",
        "  tools/ (+3 more)",
        "  index.ts",
        ".gitignore",
        "README.md",
        "package.json",
      ].join("\n"),
    );
    expect(result.isError).toBe(false);
  });

  it("goes deeper on request and lists a subfolder under its own name", async () => {
    const result = await list({ path: "src/tools", depth: 3 });
    expect(result.content).toBe(
      ["src/tools/", "  deep/", "    er/", "      file.ts", "  .gitignore", "  bash.ts"].join("\n"),
    );
  });

  it("lists an ignored folder when asked for it explicitly", async () => {
    expect((await list({ path: "dist" })).content).toBe("dist/\n  out.js");
  });

  it("caps the entries, shallow levels first, with counts of what is hidden", async () => {
    const result = await list({ depth: 6 }, { maxEntries: 7 });
    expect(result.content).toBe(
      [
        "docs and notes/",
        "  guide.md",
        "src/ (+2 more)",
        "  cli/ (+2 more)",
        ".gitignore",
        "README.md",
        "package.json",
        '[7 of 16 entries shown; list one folder with list_files {"path":"src/tools"}]',
      ].join("\n"),
    );
  });

  it("refuses paths outside the project and explains files and missing paths", async () => {
    const outside = await list({ path: "../" });
    expect(outside.isError).toBe(true);
    expect(outside.content).toMatch(/outside the project root/);
    expect((await list({ path: "README.md" })).content).toBe(
      "README.md is a file, not a folder; read it with read_file",
    );
    expect((await list({ path: "nope" })).content).toBe("nope not found; list_files {} shows the project root");
  });

  it("clamps the depth", async () => {
    const result = await list({ path: "src", depth: 99 });
    expect(result.content).toContain("        file.ts");
    expect(result.display).toBe("src: 10 entries (depth 6)");
  });
});
