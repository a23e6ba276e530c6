import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveInProject } from "./path-safety.js";

let base: string;
let root: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-paths-")));
  root = path.join(base, "project");
  mkdirSync(path.join(root, "src"), { recursive: true });
  writeFileSync(path.join(root, "src", "a.ts"), "x\n");
  writeFileSync(path.join(base, "secret.txt"), "s\n");
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const ok = (requested: string) => {
  const r = resolveInProject(root, requested);
  if ("error" in r) throw new Error(r.error);
  return r;
};
const refused = (requested: string) => {
  const r = resolveInProject(root, requested);
  expect("error" in r, `${requested} should be refused`).toBe(true);
  return "error" in r ? r.error : "";
};

describe("resolveInProject", () => {
  it("resolves relative and absolute paths inside the root", () => {
    expect(ok("src/a.ts")).toEqual({ absolute: path.join(root, "src", "a.ts"), relative: "src/a.ts" });
    expect(ok(path.join(root, "src", "a.ts")).relative).toBe("src/a.ts");
    expect(ok("./src/../src/a.ts").relative).toBe("src/a.ts");
    expect(ok(".").relative).toBe(".");
  });

  it("refuses ../ escapes and absolute paths outside", () => {
    expect(refused("../secret.txt")).toContain("outside the project root");
    refused("src/../../secret.txt");
    refused(path.join(base, "secret.txt"));
    refused("/etc/passwd");
    refused("");
    refused("a\0b");
  });

  it("accepts names that merely start with two dots", () => {
    expect(ok("..notes.md").relative).toBe("..notes.md");
    expect(ok("src/..hidden/x.ts").relative).toBe("src/..hidden/x.ts");
  });

  it("handles paths with spaces and new files in new folders", () => {
    expect(ok("docs/my notes/todo list.md").relative).toBe("docs/my notes/todo list.md");
    expect(ok("new/deep/dir/file.ts").absolute).toBe(path.join(root, "new", "deep", "dir", "file.ts"));
  });

  it("refuses symlinks that lead outside, to files and folders", () => {
    symlinkSync(path.join(base, "secret.txt"), path.join(root, "link.txt"));
    symlinkSync(base, path.join(root, "outdir"));
    expect(refused("link.txt")).toContain("symlink");
    refused("outdir/secret.txt");
    refused("outdir/new-file.txt");
  });

  it("refuses a dangling symlink whose target would be created outside", () => {
    symlinkSync(path.join(base, "not-yet.txt"), path.join(root, "dangling.txt"));
    symlinkSync(path.join(base, "no-dir"), path.join(root, "dangling-dir"));
    refused("dangling.txt");
    refused("dangling-dir/file.txt");
  });

  it("allows symlinks that stay inside the project", () => {
    symlinkSync(path.join(root, "src"), path.join(root, "alias"));
    expect(ok("alias/a.ts").relative).toBe("alias/a.ts");
  });

  it("works when the root itself is reached through a symlink", () => {
    const linkRoot = path.join(base, "root-link");
    symlinkSync(root, linkRoot);
    const r = resolveInProject(linkRoot, "src/a.ts");
    expect(r).toEqual({ absolute: path.join(linkRoot, "src", "a.ts"), relative: "src/a.ts" });
    expect("error" in resolveInProject(linkRoot, "../secret.txt")).toBe(true);
  });
});
