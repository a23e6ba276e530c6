import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createProjectMap } from "../context/symbols/index.js";
import { resolveStepFiles } from "./resolve-files.js";

let root = "";
afterEach(() => rm(root, { recursive: true, force: true }));

describe("resolveStepFiles", () => {
  it("turns symbol names into the files that define them, keeps paths, and reports what it cannot place", async () => {
    root = await mkdtemp(path.join(tmpdir(), "parecode-resolve-"));
    await mkdir(path.join(root, "src/auth"), { recursive: true });
    await writeFile(path.join(root, "src/auth/jwt.ts"), "export function validateToken(t: string) {\n  return t;\n}\n");
    await writeFile(path.join(root, "src/cart.ts"), "export class Cart {\n  add(item: string) {}\n}\n");
    const map = createProjectMap({ root });
    const resolved = await resolveStepFiles(
      root,
      [
        "validateToken",
        "Cart.add",
        "src/cart.ts",
        "`src/auth/jwt.ts:1`",
        "src/new-file.ts (new)",
        "NoSuchThing",
        "../outside.ts",
      ],
      (name) => map.lookup(name),
    );
    expect(resolved).toEqual({
      files: ["src/auth/jwt.ts", "src/cart.ts", "src/new-file.ts"],
      unresolved: ["NoSuchThing", "../outside.ts"],
    });
  });
});
