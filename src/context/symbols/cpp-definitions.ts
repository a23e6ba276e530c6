/**
 * Names C/C++ declarations in JS rather than in the query. The cpp grammar is large, and
 * tree-sitter's compile-time analysis of every pattern with child steps costs ~5 ms per
 * pattern (the structural query took ~80 ms to compile, once per process, on the main
 * thread); leaf patterns (queries.ts CPP) compile in ~10 ms. This resolver applies the
 * same shapes the structural patterns did, in the same priority order, to the few nodes
 * the leaf query captures, so the symbols are unchanged.
 */
import type { Node } from "web-tree-sitter";
import type { SymbolKind } from "./types.js";

export interface ResolvedDefinition {
  kind: SymbolKind;
  /** The node whose text is the symbol's name. */
  name: Node;
}

/** The declarator shapes that name a C/C++ function; excludes function-pointer fields like `(*cb)`. */
const FUNCTION_NAME_TYPES = new Set([
  "identifier",
  "field_identifier",
  "qualified_identifier",
  "destructor_name",
  "operator_name",
]);

export function resolveCppDefinition(node: Node): ResolvedDefinition | undefined {
  switch (node.type) {
    case "function_definition": {
      const name = definitionName(node.childForFieldName("declarator"));
      return name === undefined ? undefined : { kind: "function", name };
    }
    case "declaration": {
      // A prototype `int f(int);` names a function; `int *f(int);` too, only when no
      // declarator in the same statement is a plain function declarator.
      const declarators = node.childrenForFieldName("declarator");
      const name =
        firstDefined(declarators, functionDeclaratorName) ??
        firstDefined(declarators, (d) => (d.type === "pointer_declarator" ? pointeeName(d) : undefined));
      return name === undefined ? undefined : { kind: "function", name };
    }
    case "field_declaration": {
      const name = firstDefined(node.childrenForFieldName("declarator"), functionDeclaratorName);
      return name === undefined ? undefined : { kind: "method", name };
    }
    case "type_definition":
      return typedefDefinition(node);
    case "struct_specifier":
    case "union_specifier":
      return namedWithBody(node, "struct");
    case "class_specifier":
      return namedWithBody(node, "class");
    case "enum_specifier":
      return namedWithBody(node, "enum");
    case "alias_declaration": {
      const name = node.childForFieldName("name");
      return name?.type === "type_identifier" ? { kind: "type", name } : undefined;
    }
    case "namespace_definition": {
      const name = node.childForFieldName("name");
      return name?.type === "namespace_identifier" ? { kind: "module", name } : undefined;
    }
    default:
      return undefined;
  }
}

/** `f(…)`, `*f(…)` or `&f(…)` as a function definition's declarator. */
function definitionName(declarator: Node | null): Node | undefined {
  switch (declarator?.type) {
    case "function_declarator":
      return functionDeclaratorName(declarator);
    case "pointer_declarator":
      return pointeeName(declarator);
    case "reference_declarator":
      for (let i = 0; i < declarator.namedChildCount; i++) {
        const child = declarator.namedChild(i);
        const name = child ? functionDeclaratorName(child) : undefined;
        if (name !== undefined) return name;
      }
      return undefined;
    default:
      return undefined;
  }
}

function pointeeName(pointer: Node): Node | undefined {
  const inner = pointer.childForFieldName("declarator");
  return inner ? functionDeclaratorName(inner) : undefined;
}

function functionDeclaratorName(declarator: Node): Node | undefined {
  if (declarator.type !== "function_declarator") return undefined;
  const name = declarator.childForFieldName("declarator");
  return name && FUNCTION_NAME_TYPES.has(name.type) ? name : undefined;
}

/** `typedef struct {…} Name;` is a struct, `typedef enum {…} Name;` an enum, any other typedef a type. */
function typedefDefinition(node: Node): ResolvedDefinition | undefined {
  const declarator = node.childrenForFieldName("declarator").find((d) => d.type === "type_identifier");
  if (!declarator) return undefined;
  const type = node.childForFieldName("type");
  const hasBody = type !== null && type.childForFieldName("body") !== null;
  let kind: SymbolKind = "type";
  if (hasBody && (type.type === "struct_specifier" || type.type === "union_specifier")) kind = "struct";
  else if (hasBody && type.type === "enum_specifier") kind = "enum";
  return { kind, name: declarator };
}

/** A struct/union/class/enum definition (with a body and a plain name); not a mere reference like `struct foo *p`. */
function namedWithBody(node: Node, kind: SymbolKind): ResolvedDefinition | undefined {
  const name = node.childForFieldName("name");
  if (name?.type !== "type_identifier" || node.childForFieldName("body") === null) return undefined;
  return { kind, name };
}

function firstDefined(nodes: Node[], pick: (node: Node) => Node | undefined): Node | undefined {
  for (const node of nodes) {
    const value = pick(node);
    if (value !== undefined) return value;
  }
  return undefined;
}
