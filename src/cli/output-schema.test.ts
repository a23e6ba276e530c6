import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOutputSchema } from "./output-schema.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function schemaFile(content: string): Promise<string> {
  dir ??= await mkdtemp(path.join(tmpdir(), "schema-"));
  const file = path.join(dir, `s${Math.random()}.json`);
  await writeFile(file, content);
  return file;
}

const PERSON = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name"],
};

describe("--output-schema", () => {
  it("accepts a matching answer (fenced or not) and names what is wrong with others", async () => {
    const schema = await loadOutputSchema(await schemaFile(JSON.stringify(PERSON)));
    expect(schema.instruction).toContain('"required":["name"]');
    expect(schema.check('{"name":"Ada","age":36}')).toBeUndefined();
    expect(schema.check('```json\n{"name":"Ada"}\n```')).toBeUndefined();
    expect(schema.parse('```json\n{"name":"Ada"}\n```')).toEqual({ name: "Ada" });
    expect(schema.check('{"age":"old"}')).toBe("answer must have required property 'name'; answer/age must be integer");
    expect(schema.check("Here is the person")).toMatch(/^it is not valid JSON/);
  });

  it("uses the draft the schema names, and refuses files that are not schemas", async () => {
    const draft2020 = await loadOutputSchema(
      await schemaFile(
        JSON.stringify({
          $schema: "https://json-schema.org/draft/2020-12/schema",
          prefixItems: [{ type: "number" }],
          items: false,
        }),
      ),
    );
    expect(draft2020.check("[1]")).toBeUndefined();
    expect(draft2020.check("[1, 2]")).toMatch(/must NOT have more than 1 items/);
    await expect(loadOutputSchema(await schemaFile("{nope"))).rejects.toThrow(/not valid JSON/);
    await expect(loadOutputSchema(await schemaFile('{"type": 12}'))).rejects.toThrow(/not a valid JSON Schema/);
    await expect(
      loadOutputSchema(await schemaFile('{"$schema":"http://json-schema.org/draft-04/schema#"}')),
    ).rejects.toThrow(/not supported/);
    await expect(loadOutputSchema("/nonexistent/schema.json")).rejects.toThrow(/cannot read it/);
  });
});
