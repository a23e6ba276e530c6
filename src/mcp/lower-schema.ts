/**
 * Lowers a third-party tool's JSON Schema to our JsonSchema subset, which every backend
 * accepts: strict open-model servers (llama.cpp, vLLM, Ollama) and Gemini reject $ref,
 * anyOf, formats, defaults and friends. What the model would need from a dropped keyword
 * is kept in the description where it is cheap ("format: uri", "default: 10", "one of:
 * 1, 2, 3").
 *
 * The result is also what the registry validates arguments against, so it errs on the
 * side of accepting: a union becomes its first non-null branch (or the merge of its
 * object branches), never something narrower than one of its branches.
 */

import type { JsonSchema } from "../core/types.js";

type Node = Record<string, unknown>;
type SchemaType = JsonSchema["type"];

/** Nesting beyond this is cut to a bare type: deep third-party schemas cost tokens and help no model. */
const MAX_DEPTH = 8;
/** Longest property description kept, in characters. */
const MAX_DESCRIPTION = 300;
/** Enum values listed in a description when the enum itself cannot be kept. */
const MAX_LISTED_VALUES = 10;

const TYPES: readonly string[] = ["object", "string", "integer", "number", "boolean", "array"];

interface Walk {
  root: Node;
  /** $refs being expanded on the current path: meeting one again is a cycle. */
  refs: readonly string[];
  depth: number;
}

/** The tool's input schema, lowered; always an object schema with `properties`. */
export function lowerSchema(schema: unknown): JsonSchema {
  const root = isNode(schema) ? schema : {};
  const lowered = lower(root, { root, refs: [], depth: 0 });
  if (lowered?.type !== "object") return { type: "object", properties: {} };
  const { description: _dropped, ...rest } = lowered;
  return { ...rest, properties: rest.properties ?? {} };
}

/** null: the schema allows only null (such a property is left out). */
function lower(input: Node, walk: Walk): JsonSchema | null {
  const deref = resolveRef(input, walk);
  if ("cut" in deref) return deref.cut;
  const { node, refs } = deref;
  const inner: Walk = { root: walk.root, refs, depth: walk.depth + 1 };

  if (Array.isArray(node.allOf)) return lowerAllOf(node, node.allOf, inner);
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (union) return lowerUnion(node, union, inner);
  return lowerPlain(node, inner);
}

function lowerPlain(node: Node, walk: Walk): JsonSchema | null {
  const type = typeOf(node);
  if (type === null) return null;
  const notes: string[] = [];
  const out: JsonSchema = { type };
  if (walk.depth > MAX_DEPTH) return withDescription(out, node, notes);

  if (type === "object" && isNode(node.properties)) {
    const properties: Record<string, JsonSchema> = {};
    for (const [key, value] of Object.entries(node.properties)) {
      if (!isNode(value)) continue;
      const lowered = lower(value, walk);
      if (lowered) properties[key] = lowered;
    }
    out.properties = properties;
    const required = Array.isArray(node.required)
      ? node.required.filter((key): key is string => typeof key === "string" && key in properties)
      : [];
    if (required.length > 0) out.required = [...new Set(required)];
  }
  if (type === "array") {
    const items = firstItem(node);
    const lowered = items ? lower(items, walk) : null;
    if (lowered) out.items = lowered;
  }

  const values = enumValues(node);
  if (values) {
    const nonNull = values.filter((v) => v !== null);
    if (nonNull.length > 0 && nonNull.every((v) => typeof v === "string")) out.enum = [...new Set(nonNull as string[])];
    else if (nonNull.length > 0) notes.push(listValues(nonNull));
  }
  if (typeof node.format === "string" && type === "string") notes.push(`format: ${node.format}`);
  notes.push(...defaultNote(node));
  return withDescription(out, node, notes);
}

/** A default worth a few tokens (a short primitive), as a description note. */
function defaultNote(node: Node): string[] {
  const value = node.default;
  if (typeof value === "number" || typeof value === "boolean") return [`default: ${value}`];
  if (typeof value === "string" && value.length <= 40) return [`default: ${JSON.stringify(value)}`];
  return [];
}

/** allOf: every branch applies, so object branches merge with the union of their required keys. */
function lowerAllOf(node: Node, branches: unknown[], walk: Walk): JsonSchema | null {
  const { allOf: _allOf, ...own } = node;
  const parts: JsonSchema[] = [];
  if (hasTypeInfo(own)) {
    const lowered = lower(own, walk);
    if (lowered === null) return null;
    parts.push(lowered);
  }
  for (const branch of branches) {
    if (!isNode(branch)) continue;
    const lowered = lower(branch, walk);
    if (lowered === null) return null;
    parts.push(lowered);
  }
  if (parts.length === 0) return withDescription({ type: "object", properties: {} }, node, []);
  const merged = mergeSchemas(parts, "all");
  return withDescription(merged, node, defaultNote(node), merged.description);
}

/**
 * anyOf / oneOf: null branches make the value optional, not a different type; object
 * branches merge (keys required by every branch stay required); string enums join;
 * otherwise the first remaining branch stands for the union.
 */
function lowerUnion(node: Node, branches: unknown[], walk: Walk): JsonSchema | null {
  const { anyOf: _anyOf, oneOf: _oneOf, ...own } = node;
  const typed = branches.filter(isNode).filter((b) => hasTypeInfo(b));
  // `{type: object, properties, anyOf: [{required: [a]}, {required: [b]}]}` constrains, it does not retype.
  if (typed.length === 0) return hasTypeInfo(own) ? lower(own, walk) : withDescription({ type: "string" }, node, []);
  const lowered = typed.map((b) => lower(b, walk)).filter((b): b is JsonSchema => b !== null);
  if (lowered.length === 0) return null;
  let chosen: JsonSchema;
  if (lowered.every((b) => b.type === "object")) chosen = mergeSchemas(lowered, "any");
  else if (lowered.every((b) => b.type === "string" && b.enum)) {
    chosen = { ...lowered[0], enum: [...new Set(lowered.flatMap((b) => b.enum ?? []))] };
  } else chosen = lowered[0];
  if (hasTypeInfo(own) && typeOf(own) === "object" && chosen.type === "object") {
    const base = lower(own, walk);
    if (base) chosen = mergeSchemas([base, chosen], "all");
  }
  return withDescription(chosen, node, defaultNote(node), chosen.description);
}

function mergeSchemas(parts: JsonSchema[], mode: "all" | "any"): JsonSchema {
  const objects = parts.filter((p) => p.type === "object");
  if (objects.length === 0) return { ...parts[0], description: firstDescription(parts) };
  const properties: Record<string, JsonSchema> = {};
  for (const part of objects) {
    for (const [key, value] of Object.entries(part.properties ?? {})) properties[key] ??= value;
  }
  const requiredSets = objects.map((p) => new Set(p.required ?? []));
  const required =
    mode === "all"
      ? [...new Set(objects.flatMap((p) => p.required ?? []))]
      : [...requiredSets[0]].filter((key) => requiredSets.every((set) => set.has(key)));
  const merged: JsonSchema = { type: "object", properties };
  const description = firstDescription(objects);
  if (description !== undefined) merged.description = description;
  if (required.length > 0) merged.required = required;
  return merged;
}

function firstDescription(parts: JsonSchema[]): string | undefined {
  return parts.find((p) => p.description !== undefined)?.description;
}

type Deref = { node: Node; refs: readonly string[] } | { cut: JsonSchema | null };

/**
 * Follows `$ref` (local JSON pointers into `$defs`, `definitions` or anywhere in the
 * document), merging sibling keywords over the target. A reference already being
 * expanded on this path is a cycle: it becomes its bare type, and the description says so.
 */
function resolveRef(node: Node, walk: Walk): Deref {
  let current = node;
  let refs = walk.refs;
  for (let hops = 0; typeof current.$ref === "string"; hops++) {
    const ref = current.$ref;
    const { $ref: _ref, ...siblings } = current;
    const target = hops < 16 ? pointer(walk.root, ref) : undefined;
    if (refs.includes(ref)) {
      const type = target ? typeOf(target) : "object";
      if (type === null) return { cut: null };
      const name = ref.split("/").pop() ?? ref;
      return { cut: withDescription({ type }, siblings, [`recursive: same shape as ${name}`], describeOf(target)) };
    }
    refs = [...refs, ref];
    current = target ? { ...target, ...siblings } : siblings;
  }
  return { node: current, refs };
}

function pointer(root: Node, ref: string): Node | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return undefined;
    }
    if (!isNode(at) && !Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return isNode(at) ? at : undefined;
}

/** The one type we send; null when only null is allowed. Missing types are inferred. */
function typeOf(node: Node): SchemaType | null {
  const declared = node.type;
  if (typeof declared === "string") return declared === "null" ? null : asType(declared);
  if (Array.isArray(declared)) {
    const nonNull = declared.filter((t) => t !== "null");
    if (nonNull.length === 0 && declared.length > 0) return null;
    if (nonNull.length > 0) return asType(nonNull[0]);
  }
  if (isNode(node.properties) || isNode(node.additionalProperties) || node.required !== undefined) return "object";
  if (node.items !== undefined || node.prefixItems !== undefined || node.minItems !== undefined) return "array";
  const values = enumValues(node);
  if (values) {
    const nonNull = values.filter((v) => v !== null);
    if (nonNull.length === 0) return null;
    if (nonNull.every((v) => typeof v === "boolean")) return "boolean";
    if (nonNull.every((v) => typeof v === "number")) return nonNull.every(Number.isInteger) ? "integer" : "number";
    if (nonNull.every((v) => isNode(v))) return "object";
    return "string";
  }
  if (node.minimum !== undefined || node.maximum !== undefined || node.multipleOf !== undefined) return "number";
  return "string";
}

function asType(name: unknown): SchemaType {
  return typeof name === "string" && TYPES.includes(name) ? (name as SchemaType) : "string";
}

/** Whether a schema says anything about its type, as opposed to only constraining one. */
function hasTypeInfo(node: Node): boolean {
  return [
    "type",
    "properties",
    "items",
    "prefixItems",
    "enum",
    "const",
    "$ref",
    "anyOf",
    "oneOf",
    "allOf",
    "format",
    "minimum",
    "maximum",
  ].some((key) => node[key] !== undefined);
}

function enumValues(node: Node): unknown[] | undefined {
  if (Array.isArray(node.enum)) return node.enum;
  if ("const" in node) return [node.const];
  return undefined;
}

function firstItem(node: Node): Node | undefined {
  if (isNode(node.items)) return node.items;
  if (Array.isArray(node.items) && isNode(node.items[0])) return node.items[0];
  if (Array.isArray(node.prefixItems) && isNode(node.prefixItems[0])) return node.prefixItems[0];
  return undefined;
}

function listValues(values: unknown[]): string {
  if (values.length === 1) return `always ${JSON.stringify(values[0])}`;
  const shown = values.slice(0, MAX_LISTED_VALUES).map((v) => JSON.stringify(v));
  return `one of: ${shown.join(", ")}${values.length > MAX_LISTED_VALUES ? ", …" : ""}`;
}

function describeOf(node: Node | undefined): string | undefined {
  return node && typeof node.description === "string" ? node.description : undefined;
}

/**
 * The node's own description (else the inherited one) with the notes appended. Notes an
 * inherited description carries (a nullable branch's "(format: date-time)") survive a
 * parent description replacing it.
 */
function withDescription(out: JsonSchema, node: Node, notes: string[], inherited?: string): JsonSchema {
  const own = describeOf(node);
  const base = (own ?? inherited)?.trim().replace(/\s+/g, " ") ?? "";
  if (own !== undefined && inherited !== undefined) {
    const carried = /\(([^()]*)\)$/.exec(inherited.trim());
    if (carried) notes = [...notes, carried[1]];
  }
  const extra = notes.length > 0 ? `(${[...new Set(notes)].join("; ")})` : "";
  let text = base && extra ? `${base} ${extra}` : base || extra;
  if (text.length > MAX_DESCRIPTION) text = `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
  const { description: _old, ...rest } = out;
  return text === "" ? rest : { ...rest, description: text };
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
