import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createProjectMap } from "./project-map.js";

let root: string;
let cacheDir: string;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "parecode-map-"));
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "parecode-map-cache-"));
  await put("src/cart.ts", "export class Cart {\n  add(item: string) {}\n}\nexport function checkout() {}\n");
  await put("src/server.go", "package shop\n\ntype Server struct{}\n\nfunc (s *Server) Start() error { return nil }\n");
  await put("lib/util.py", "def slugify(text):\n    return text\n");
  await put("README.md", "# not indexed\n");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

describe.each(["regex", "auto"] as const)("createProjectMap (engine %s)", (engine) => {
  it("indexes supported files and resolves symbols exactly, then case-insensitively, and by Parent.name", async () => {
    const map = createProjectMap({ root, cacheDir, engine });
    const built = await map.build();
    expect(built.files.map((f) => f.path)).toEqual(["lib/util.py", "src/cart.ts", "src/server.go"]);
    expect(await map.lookup("Cart")).toEqual([{ file: "src/cart.ts", line: 1, kind: "class" }]);
    expect(await map.lookup("CHECKOUT")).toEqual([{ file: "src/cart.ts", line: 4, kind: "function" }]);
    expect(await map.lookup("Server.Start")).toEqual([
      { file: "src/server.go", line: 5, kind: "method", parent: "Server" },
    ]);
    expect(await map.lookup("missing")).toEqual([]);
  });
});

describe("createProjectMap", () => {
  it("keeps one cache per engine so regex and tree-sitter symbols never mix", async () => {
    const regex = createProjectMap({ root, cacheDir, engine: "regex" });
    await regex.build();
    await regex.flush();
    const treeSitter = createProjectMap({ root, cacheDir, engine: "auto" });
    expect((await treeSitter.build()).stats).toMatchObject({ parsed: 3, reused: 0 });
    await treeSitter.flush();
    expect((await readdir(cacheDir)).filter((f) => f.endsWith(".json"))).toHaveLength(2);
  });

  it("re-parses only the file whose mtime or size changed", async () => {
    const map = createProjectMap({ root, cacheDir });
    expect((await map.build()).stats).toMatchObject({ files: 3, parsed: 3, reused: 0 });
    expect((await map.build()).stats).toMatchObject({ parsed: 0, reused: 3 });

    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(root, "lib/util.py"), later, later);
    const touched = await map.build();
    expect(touched.stats).toMatchObject({ parsed: 1, reused: 2 });
    expect(map.parseCount).toBe(4);

    await put("src/cart.ts", "export class Basket {}\n");
    await map.build();
    expect(await map.lookup("Basket")).toEqual([{ file: "src/cart.ts", line: 1, kind: "class" }]);
    expect(await map.lookup("Cart")).toEqual([]);
  });

  it("reuses the on-disk cache across handles, and drops deleted files", async () => {
    await createProjectMap({ root, cacheDir }).build();
    const second = createProjectMap({ root, cacheDir });
    expect((await second.build()).stats).toMatchObject({ parsed: 0, reused: 3 });
    await rm(path.join(root, "src/server.go"));
    const after = await second.build();
    expect(after.files.map((f) => f.path)).toEqual(["lib/util.py", "src/cart.ts"]);
  });

  it("writes the disk cache after build() returns; flush() waits for it", async () => {
    const map = createProjectMap({ root, cacheDir });
    await map.build();
    await map.flush();
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.endsWith(".json"))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // A handle created while a save is still in flight waits for it instead of reparsing.
    await put("src/extra.ts", "export function extra() {}\n");
    await map.build();
    expect((await createProjectMap({ root, cacheDir }).build()).stats).toMatchObject({ parsed: 0, reused: 4 });
  });

  it("respects .gitignore (root and nested), skips node_modules and oversized files", async () => {
    await put(".gitignore", "generated/\n*.gen.ts\n");
    await put("generated/api.ts", "export function generated() {}\n");
    await put("src/types.gen.ts", "export type Gen = 1;\n");
    await put("src/legacy/.gitignore", "old.ts\n");
    await put("src/legacy/old.ts", "export function old() {}\n");
    await put("src/legacy/kept.ts", "export function kept() {}\n");
    await put("node_modules/pkg/index.js", "export function dep() {}\n");
    await put("src/huge.ts", `export function huge() {}\n${"// pad\n".repeat(200)}`);
    const map = createProjectMap({ root, maxFileBytes: 1000 });
    const paths = (await map.build()).files.map((f) => f.path);
    expect(paths).toEqual(["lib/util.py", "src/cart.ts", "src/legacy/kept.ts", "src/server.go"]);
  });

  it("summarises deterministically within the budget and counts what it left out", async () => {
    for (let i = 0; i < 40; i++) {
      await put(`src/mod${String(i).padStart(2, "0")}.ts`, `export function fn${i}() {}\nexport class Thing${i} {}\n`);
    }
    const map = createProjectMap({ root });
    await map.build();
    const small = await map.summary(120);
    expect(small).toMatch(/^Project map: 43 files, \d+ symbols \(showing \d+ files\)/);
    expect(small).toMatch(/… \d+ more files \(\d+ symbols\) not shown$/);
    expect(small.length / 3.5).toBeLessThanOrEqual(120);
    expect(await map.summary(120)).toBe(small);

    const full = await map.summary(10_000);
    expect(full).not.toContain("not shown");
    expect(full).toContain("src/cart.ts: class Cart(add), fn checkout");
    expect(full).toContain("src/server.go: struct Server(Start)");

    const focused = await map.summary(60, { focus: "slugify the titles" });
    expect(focused).toContain("lib/util.py: fn slugify");
  });

  it("stops when aborted", async () => {
    const map = createProjectMap({ root });
    const controller = new AbortController();
    controller.abort();
    await expect(map.build(controller.signal)).rejects.toThrow();
  });
});
