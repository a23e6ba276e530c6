import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../core/types.js";
import { EDIT_FILE_DESCRIPTION, EDIT_FILE_SCHEMA } from "./edit-file.js";
import { PATCH_FILE_DESCRIPTION, PATCH_FILE_SCHEMA } from "./patch-file.js";
import { READ_FILE_DESCRIPTION, READ_FILE_SCHEMA } from "./read-file.js";
import { WRITE_FILE_DESCRIPTION, WRITE_FILE_SCHEMA } from "./write-file.js";

const TOOLS: Array<[string, string, JsonSchema]> = [
  ["read_file", READ_FILE_DESCRIPTION, READ_FILE_SCHEMA],
  ["write_file", WRITE_FILE_DESCRIPTION, WRITE_FILE_SCHEMA],
  ["edit_file", EDIT_FILE_DESCRIPTION, EDIT_FILE_SCHEMA],
  ["patch_file", PATCH_FILE_DESCRIPTION, PATCH_FILE_SCHEMA],
];

const ALLOWED = new Set(["type", "properties", "required", "description", "enum", "items"]);

/** Every key of a schema node and its children, as "path.key", that strict servers may reject. */
function forbiddenKeys(node: unknown, at: string, depth: number): string[] {
  if (typeof node !== "object" || node === null) return [`${at} is not an object`];
  const bad: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (!ALLOWED.has(key)) bad.push(`${at}.${key}`);
    if (key === "items") bad.push(...forbiddenKeys(value, `${at}.items`, depth + 1));
    if (key === "properties") {
      for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
        if (depth > 0 && (child as JsonSchema).type === "object") bad.push(`${at}.${name} is a nested object`);
        bad.push(...forbiddenKeys(child, `${at}.${name}`, depth + 1));
      }
    }
  }
  return bad;
}

describe("file tool schemas", () => {
  it.each(TOOLS)("%s uses only the lean schema keys", (_name, _description, schema) => {
    expect(forbiddenKeys(schema, "$", 0)).toEqual([]);
    expect(schema.type).toBe("object");
    for (const name of schema.required ?? []) expect(schema.properties).toHaveProperty(name);
  });

  it("expose exactly the public parameter names", () => {
    expect(TOOLS.map(([name, , s]) => [name, Object.keys(s.properties ?? {})])).toEqual([
      ["read_file", ["path", "line_range", "symbols"]],
      ["write_file", ["path", "content", "overwrite"]],
      ["edit_file", ["path", "old_str", "new_str", "anchor"]],
      ["patch_file", ["path", "patch"]],
    ]);
  });

  it.each(TOOLS)("%s stays under 120 tokens", (name, description, schema) => {
    const tokens = encode(JSON.stringify({ name, description, parameters: schema })).length;
    expect(tokens).toBeLessThan(120);
  });
});
