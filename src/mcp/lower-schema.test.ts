import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../core/types.js";
import { lowerSchema } from "./lower-schema.js";

/** Lowers `{type: object, properties: {x: prop}}` and returns x. */
function prop(schema: Record<string, unknown>, extra: Record<string, unknown> = {}): JsonSchema | undefined {
  return lowerSchema({ type: "object", properties: { x: schema }, ...extra }).properties?.x;
}

/** Every keyword in the output must be one our JsonSchema allows. */
function keywords(schema: JsonSchema): string[] {
  const own = Object.keys(schema);
  const nested = [
    ...Object.values(schema.properties ?? {}).flatMap(keywords),
    ...(schema.items ? keywords(schema.items) : []),
  ];
  return [...new Set([...own, ...nested])];
}

const ALLOWED = ["type", "description", "properties", "required", "enum", "items"];

describe("lowerSchema", () => {
  it("keeps a schema that already fits, minus $schema and the top-level description", () => {
    const input = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      description: "Echo input",
      properties: { message: { type: "string", description: "Message to echo" } },
      required: ["message"],
    };
    expect(lowerSchema(input)).toEqual({
      type: "object",
      properties: { message: { type: "string", description: "Message to echo" } },
      required: ["message"],
    });
  });

  it("inlines $ref into $defs and definitions, with sibling keywords winning", () => {
    const out = lowerSchema({
      type: "object",
      $defs: { Owner: { type: "string", description: "GitHub user or org" } },
      definitions: { Labels: { type: "array", items: { type: "string" } } },
      properties: {
        owner: { $ref: "#/$defs/Owner" },
        repo_owner: { $ref: "#/$defs/Owner", description: "Owner of the repository" },
        labels: { $ref: "#/definitions/Labels" },
      },
    });
    expect(out.properties).toEqual({
      owner: { type: "string", description: "GitHub user or org" },
      repo_owner: { type: "string", description: "Owner of the repository" },
      labels: { type: "array", items: { type: "string" } },
    });
    expect(JSON.stringify(out)).not.toMatch(/\$ref|\$defs|definitions/);
  });

  it("cuts a recursive $ref to its bare type and says so", () => {
    const out = lowerSchema({
      type: "object",
      $defs: {
        Node: {
          type: "object",
          properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } },
        },
      },
      properties: { tree: { $ref: "#/$defs/Node" } },
    });
    const tree = out.properties?.tree;
    expect(tree?.properties?.name).toEqual({ type: "string" });
    expect(tree?.properties?.children?.items).toEqual({
      type: "object",
      description: "(recursive: same shape as Node)",
    });
  });

  it("survives a reference to the whole document and unresolvable references", () => {
    const out = lowerSchema({
      type: "object",
      properties: {
        self: { $ref: "#" },
        remote: { $ref: "https://example.com/schema.json", description: "elsewhere" },
      },
    });
    // Expanded once, then cut where it refers to itself again.
    expect(out.properties?.self?.properties?.self).toEqual({
      type: "object",
      description: "(recursive: same shape as #)",
    });
    expect(out.properties?.remote).toEqual({ type: "string", description: "elsewhere" });
  });

  it("simplifies nullable anyOf to the non-null branch, keeping the branch's notes", () => {
    expect(
      prop({
        anyOf: [{ type: "string", format: "date-time" }, { type: "null" }],
        description: "When it is due",
        default: null,
      }),
    ).toEqual({ type: "string", description: "When it is due (format: date-time)" });
  });

  it("picks the first non-null branch of a oneOf of different types", () => {
    expect(prop({ oneOf: [{ type: "null" }, { type: "integer" }, { type: "string" }] })).toEqual({ type: "integer" });
  });

  it("merges object branches of anyOf, keeping as required only what every branch requires", () => {
    expect(
      prop({
        anyOf: [
          {
            type: "object",
            properties: { id: { type: "integer" }, kind: { type: "string" } },
            required: ["id", "kind"],
          },
          {
            type: "object",
            properties: { name: { type: "string" }, kind: { type: "string" } },
            required: ["kind", "name"],
          },
        ],
      }),
    ).toEqual({
      type: "object",
      properties: { id: { type: "integer" }, kind: { type: "string" }, name: { type: "string" } },
      required: ["kind"],
    });
  });

  it("joins string enums across anyOf branches", () => {
    expect(prop({ anyOf: [{ enum: ["open", "closed"] }, { const: "all" }] })).toEqual({
      type: "string",
      enum: ["open", "closed", "all"],
    });
  });

  it("treats anyOf branches that only add required keys as constraints, not types", () => {
    const out = lowerSchema({
      type: "object",
      properties: { id: { type: "string" }, url: { type: "string" } },
      anyOf: [{ required: ["id"] }, { required: ["url"] }],
    });
    expect(out).toEqual({ type: "object", properties: { id: { type: "string" }, url: { type: "string" } } });
  });

  it("merges allOf into one object with every branch's required keys", () => {
    const out = lowerSchema({
      $defs: { Paging: { type: "object", properties: { page: { type: "integer", default: 1 } } } },
      allOf: [
        { $ref: "#/$defs/Paging" },
        { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
      ],
    });
    expect(out).toEqual({
      type: "object",
      properties: { page: { type: "integer", description: "(default: 1)" }, query: { type: "string" } },
      required: ["query"],
    });
  });

  it("turns const into a one-value enum (strings) or a note (anything else)", () => {
    expect(prop({ const: "v2" })).toEqual({ type: "string", enum: ["v2"] });
    expect(prop({ const: 5, description: "Version" })).toEqual({ type: "integer", description: "Version (always 5)" });
  });

  it("reduces a type array to its non-null type and drops null-only properties", () => {
    expect(prop({ type: ["string", "null"] })).toEqual({ type: "string" });
    expect(prop({ type: ["number", "string"] })).toEqual({ type: "number" });
    const out = lowerSchema({
      type: "object",
      properties: { gone: { type: "null" }, kept: { type: "boolean" } },
      required: ["gone", "kept"],
    });
    expect(out).toEqual({ type: "object", properties: { kept: { type: "boolean" } }, required: ["kept"] });
  });

  it("drops formats, defaults, examples, patterns, bounds, additionalProperties and titles, noting format and default", () => {
    const out = prop({
      type: "string",
      title: "Homepage",
      description: "Where to fetch",
      format: "uri",
      default: "https://example.com",
      examples: ["https://a.example"],
      pattern: "^https?://",
      minLength: 8,
      maxLength: 2048,
    });
    expect(out).toEqual({
      type: "string",
      description: 'Where to fetch (format: uri; default: "https://example.com")',
    });
    const numbers = prop({ type: "number", minimum: 1, maximum: 10, exclusiveMaximum: 11, multipleOf: 1 });
    expect(numbers).toEqual({ type: "number" });
    const map = prop({ type: "object", additionalProperties: { type: "string" }, propertyNames: { pattern: "^x" } });
    expect(map).toEqual({ type: "object" });
    const long = prop({ type: "string", default: "x".repeat(100) });
    expect(long).toEqual({ type: "string" });
  });

  it("keeps string enums, and turns other enums into a note without null", () => {
    expect(prop({ type: "string", enum: ["a", "b", null] })).toEqual({ type: "string", enum: ["a", "b"] });
    expect(prop({ type: "integer", enum: [1, 2, 3], description: "Level" })).toEqual({
      type: "integer",
      description: "Level (one of: 1, 2, 3)",
    });
    expect(prop({ enum: [1, "two"] })).toEqual({ type: "string", description: '(one of: 1, "two")' });
    expect(prop({ enum: [true, false] })).toEqual({ type: "boolean", description: "(one of: true, false)" });
  });

  it("infers a missing type from the other keywords", () => {
    expect(prop({ properties: { a: { type: "string" } } })).toEqual({
      type: "object",
      properties: { a: { type: "string" } },
    });
    expect(prop({ items: { type: "integer" } })).toEqual({ type: "array", items: { type: "integer" } });
    expect(prop({ enum: [1.5, 2] })?.type).toBe("number");
    expect(prop({ minimum: 0 })).toEqual({ type: "number" });
    expect(prop({ description: "anything" })).toEqual({ type: "string", description: "anything" });
  });

  it("takes the first schema of tuple items and prefixItems", () => {
    expect(prop({ type: "array", items: [{ type: "integer" }, { type: "string" }] })).toEqual({
      type: "array",
      items: { type: "integer" },
    });
    expect(prop({ type: "array", prefixItems: [{ type: "number" }] })).toEqual({
      type: "array",
      items: { type: "number" },
    });
  });

  it("cuts very deep nesting to a bare type", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 20; i++) schema = { type: "object", properties: { next: schema } };
    const out = lowerSchema(schema);
    let depth = 0;
    let at: JsonSchema | undefined = out;
    while (at?.properties?.next) {
      at = at.properties.next;
      depth++;
    }
    expect(depth).toBeLessThanOrEqual(9);
    expect(at?.type).toBe("object");
  });

  it("always returns an object schema with properties, whatever it was given", () => {
    expect(lowerSchema(undefined)).toEqual({ type: "object", properties: {} });
    expect(lowerSchema({ type: "string" })).toEqual({ type: "object", properties: {} });
    expect(lowerSchema({ type: "object" })).toEqual({ type: "object", properties: {} });
  });

  it("leaves only the keywords our JsonSchema allows in a messy real-world schema", () => {
    const out = lowerSchema({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: "urn:x",
      type: "object",
      title: "Create issue",
      additionalProperties: false,
      $defs: { Label: { type: "string", minLength: 1 } },
      properties: {
        title: { type: "string", maxLength: 256, examples: ["Bug"] },
        labels: { type: ["array", "null"], items: { $ref: "#/$defs/Label" }, uniqueItems: true },
        milestone: { oneOf: [{ type: "integer" }, { type: "string", pattern: "^v" }, { type: "null" }] },
        meta: { type: "object", patternProperties: { "^x-": {} }, not: { required: ["y"] }, if: {}, else: {} },
      },
      required: ["title"],
      dependentRequired: { milestone: ["title"] },
    });
    expect(keywords(out).filter((k) => !ALLOWED.includes(k))).toEqual([]);
    expect(out.required).toEqual(["title"]);
    expect(out.properties?.labels).toEqual({ type: "array", items: { type: "string" } });
  });
});
