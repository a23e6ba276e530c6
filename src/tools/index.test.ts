import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNativeToolRegistry } from "./index.js";

let root: string;
afterEach(() => rm(root, { recursive: true, force: true }));

async function project(): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), "native-tools-"));
  await mkdir(path.join(root, "src"));
  await writeFile(
    path.join(root, "src/user-service.ts"),
    "export class UserService {\n  find(id: string) {\n    return id;\n  }\n}\n\nexport function helper() {}\n",
  );
  return root;
}

const ctx = { signal: new AbortController().signal, callId: "c1", turn: 1 };

describe("the native tool registry as wired for the agent", () => {
  it("offers the eight public tools in a stable order", async () => {
    const registry = createNativeToolRegistry({ root: await project() });
    expect(registry.names()).toEqual([
      "read_file",
      "edit_file",
      "write_file",
      "patch_file",
      "search",
      "list_files",
      "bash",
      "recall",
    ]);
  });

  it("answers a symbol name given as a path with where the symbol is defined", async () => {
    const registry = createNativeToolRegistry({ root: await project() });
    const result = await registry.execute(
      { id: "c1", name: "read_file", args: { path: "UserService" }, rawArgs: "" },
      ctx,
    );
    expect(result.isError).toBe(true);
    expect(result.content).toContain("UserService is defined at src/user-service.ts:1 (class)");
    expect(result.content).toContain('read_file {"path": "src/user-service.ts", "line_range": [1, 41]}');
  });

  it("outlines a file with the tree-sitter index, methods nested under their class", async () => {
    const registry = createNativeToolRegistry({ root: await project() });
    const result = await registry.execute(
      { id: "c1", name: "read_file", args: { path: "src/user-service.ts", symbols: true }, rawArgs: "" },
      ctx,
    );
    expect(result.content).toBe(
      "[outline of src/user-service.ts, 7 lines; read a part with line_range]\n1-5 class UserService\n  2-4 method find\n7 function helper",
    );
  });
});
