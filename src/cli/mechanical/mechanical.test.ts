import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../core/errors.js";
import { parseMechanical } from "./grammar.js";
import { apply, planEdit } from "./plan.js";

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function project(files: Record<string, string | Buffer>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), "mechanical-"));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

describe("mechanical grammar", () => {
  it("reads the three edits, quoted words, regexes and several paths", () => {
    expect(parseMechanical("replace foo with bar in src/")).toEqual({
      action: "replace",
      pattern: { kind: "text", text: "foo" },
      replacement: "bar",
      paths: ["src/"],
    });
    expect(parseMechanical('Replace "old name" with "" in a.txt, b.txt and docs')).toMatchObject({
      pattern: { kind: "text", text: "old name" },
      replacement: "",
      paths: ["a.txt", "b.txt", "docs"],
    });
    expect(parseMechanical("rename getUser to fetchUser")).toEqual({
      action: "rename",
      from: "getUser",
      to: "fetchUser",
      paths: [],
    });
    const removal = parseMechanical("remove lines matching /^\\s*console\\.log/ in '*.ts'");
    expect(removal).toMatchObject({ action: "remove_lines", paths: ["*.ts"] });
    expect(removal.action === "remove_lines" && removal.pattern.kind).toBe("regex");
    expect(parseMechanical('delete lines containing "TODO: remove"')).toMatchObject({
      pattern: { kind: "text", text: "TODO: remove" },
    });
  });

  it("refuses what it cannot do with the grammar in the message", () => {
    for (const bad of [
      "swap a and b",
      "replace foo bar",
      "rename a.b to c",
      "replace foo with bar into src",
      'remove lines matching ""',
      'replace "open with x',
      "replace /(/ with x",
    ]) {
      expect(() => parseMechanical(bad), bad).toThrow(UsageError);
    }
    expect(() => parseMechanical("swap a and b")).toThrow(/replace OLD with NEW \[in PATH…\]/);
  });
});

describe("mechanical plan", () => {
  it("renames whole words only, replaces literal text and regexes with groups, removes matching lines", () => {
    const rename = parseMechanical("rename user to account");
    expect(apply(rename, "const user = users[0]; $user; user_id; user.name\n")).toEqual({
      after: "const account = users[0]; $user; user_id; account.name\n",
      count: 2,
    });
    expect(apply(parseMechanical('replace "a.b" with "$1"'), "a.b axb a.b")).toEqual({ after: "$1 axb $1", count: 2 });
    expect(apply(parseMechanical("replace /v(\\d+)/ with version-$1"), "v1 and v22")).toEqual({
      after: "version-1 and version-22",
      count: 2,
    });
    expect(apply(parseMechanical("remove lines matching debug"), "a\r\ndebug 1\r\nb\r\n")).toEqual({
      after: "a\r\nb\r\n",
      count: 1,
    });
  });

  it("walks only text files under the paths, skipping ignored, binary and tool folders", async () => {
    const dir = await project({
      ".gitignore": "build/\n",
      "src/a.ts": "foo();\n",
      "src/nested/b.ts": "foo + foo\n",
      "src/image.png": Buffer.from([0x89, 0x50, 0, 0x66, 0x6f, 0x6f]),
      "build/out.js": "foo\n",
      "node_modules/x/index.js": "foo\n",
      "docs/readme.md": "foo\n",
    });
    const edits = await planEdit(dir, parseMechanical("replace foo with bar in src"));
    expect(edits.map((e) => [e.path, e.count, e.after])).toEqual([
      ["src/a.ts", 1, "bar();\n"],
      ["src/nested/b.ts", 2, "bar + bar\n"],
    ]);
    const everywhere = await planEdit(dir, parseMechanical("replace foo with bar"));
    expect(everywhere.map((e) => e.path)).toEqual(["docs/readme.md", "src/a.ts", "src/nested/b.ts"]);
    const globbed = await planEdit(dir, parseMechanical("replace foo with bar in *.md"));
    expect(globbed.map((e) => e.path)).toEqual(["docs/readme.md"]);
    await expect(planEdit(dir, parseMechanical("replace foo with bar in ../elsewhere"))).rejects.toThrow(/outside/);
    await expect(planEdit(dir, parseMechanical("replace foo with bar in nowhere"))).rejects.toThrow(/no such file/);
    expect(await readFile(path.join(dir, "src/a.ts"), "utf8")).toBe("foo();\n"); // planning writes nothing
  });
});
