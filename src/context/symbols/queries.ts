/**
 * Per-grammar tree-sitter queries. Capture contract, read by tree-extract.ts:
 *   @def.<kind>  the declaration node; <kind> is a SymbolKind
 *   @name        its name (a spec with `resolve` omits it and names the node in JS instead)
 *   @parent      (optional) the owning type when the tree does not nest it (Go receivers, Rust impls)
 * When several patterns capture the same declaration node, the earliest pattern wins, so
 * specific patterns (Go struct) come before generic ones (Go type).
 *
 * `nesting` lists node types that open a scope. A declaration under none is top-level; a
 * function under exactly one class-like declaration is a method; anything deeper is not
 * listed, so the outline stays one level deep and cheap to read.
 */
import type { Node } from "web-tree-sitter";
import { type ResolvedDefinition, resolveCppDefinition } from "./cpp-definitions.js";

export interface GrammarSpec {
  query: string;
  nesting: readonly string[];
  /**
   * For queries without @name: names a captured @def node and settles its kind, or
   * rejects it (undefined). Lets a large grammar use cheap-to-compile leaf patterns.
   */
  resolve?: (node: Node) => ResolvedDefinition | undefined;
}

const JS_COMMON = `
(function_declaration name: (_) @name) @def.function
(generator_function_declaration name: (_) @name) @def.function
(class_declaration name: (_) @name) @def.class
(class_body (method_definition name: (_) @name) @def.method)
(class_body (field_definition property: (_) @name value: [(arrow_function) (function_expression)]) @def.method)
(lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function)
(variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function)
(export_statement (lexical_declaration "const" (variable_declarator name: (identifier) @name) @def.const))
`;

const TS_COMMON = `
(function_declaration name: (_) @name) @def.function
(generator_function_declaration name: (_) @name) @def.function
(function_signature name: (_) @name) @def.function
(class_declaration name: (_) @name) @def.class
(abstract_class_declaration name: (_) @name) @def.class
(class_body (method_definition name: (_) @name) @def.method)
(class_body (abstract_method_signature name: (_) @name) @def.method)
(class_body (public_field_definition name: (_) @name value: [(arrow_function) (function_expression)]) @def.method)
(interface_declaration name: (_) @name) @def.interface
(type_alias_declaration name: (_) @name) @def.type
(enum_declaration name: (_) @name) @def.enum
(internal_module name: (_) @name) @def.module
(lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function)
(variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function)
(export_statement (lexical_declaration "const" (variable_declarator name: (identifier) @name) @def.const))
`;

const JS_NESTING = [
  "function_declaration",
  "generator_function_declaration",
  "function_expression",
  "arrow_function",
  "method_definition",
  "class_declaration",
  "class",
];

const TS_NESTING = [...JS_NESTING, "abstract_class_declaration", "interface_declaration", "function_signature"];

const PYTHON = `
(class_definition name: (identifier) @name) @def.class
(function_definition name: (identifier) @name) @def.function
`;

const GO = `
(method_declaration
  receiver: (parameter_list (parameter_declaration type: [
    (type_identifier) @parent
    (pointer_type (type_identifier) @parent)
    (generic_type type: (type_identifier) @parent)
    (pointer_type (generic_type type: (type_identifier) @parent))]))
  name: (field_identifier) @name) @def.method
(function_declaration name: (identifier) @name) @def.function
(type_spec name: (type_identifier) @name type: (struct_type)) @def.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
(type_spec name: (type_identifier) @name) @def.type
(type_alias name: (type_identifier) @name) @def.type
`;

const RUST = `
(impl_item
  type: [
    (type_identifier) @parent
    (generic_type type: (type_identifier) @parent)
    (scoped_type_identifier name: (type_identifier) @parent)]
  body: (declaration_list (function_item name: (identifier) @name) @def.method))
(trait_item body: (declaration_list (function_signature_item name: (identifier) @name) @def.method))
(function_item name: (identifier) @name) @def.function
(struct_item name: (type_identifier) @name) @def.struct
(union_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(trait_item name: (type_identifier) @name) @def.trait
(type_item name: (type_identifier) @name) @def.type
(mod_item name: (identifier) @name) @def.module
(const_item name: (identifier) @name) @def.const
(static_item name: (identifier) @name) @def.const
`;

const JAVA = `
(class_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(annotation_type_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.method
`;

/**
 * C and C++ share the cpp grammar. Leaf patterns only: the grammar is so large that each
 * pattern with child steps adds ~5 ms to the query's compile; cpp-definitions.ts checks
 * the shapes (which declarator names a function, which struct has a body) and names the
 * node. Method names may arrive qualified (Foo::bar); tree-extract splits them.
 */
const CPP = `
(function_definition) @def.function
(declaration) @def.function
(field_declaration) @def.method
(type_definition) @def.type
(struct_specifier) @def.struct
(union_specifier) @def.struct
(class_specifier) @def.class
(enum_specifier) @def.enum
(alias_declaration) @def.type
(namespace_definition) @def.module
`;

const CSHARP = `
(class_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(struct_declaration name: (identifier) @name) @def.struct
(interface_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.method
(namespace_declaration name: (_) @name) @def.module
(file_scoped_namespace_declaration name: (_) @name) @def.module
`;

const RUBY = `
(module name: (_) @name) @def.module
(class name: (_) @name) @def.class
(method name: (_) @name) @def.method
(singleton_method name: (_) @name) @def.method
`;

const PHP = `
(function_definition name: (name) @name) @def.function
(class_declaration name: (name) @name) @def.class
(interface_declaration name: (name) @name) @def.interface
(trait_declaration name: (name) @name) @def.trait
(enum_declaration name: (name) @name) @def.enum
(method_declaration name: (name) @name) @def.method
(namespace_definition name: (namespace_name) @name) @def.module
`;

/** Keyed by @vscode/tree-sitter-wasm grammar name (see languages.ts grammarFor). */
export const GRAMMAR_SPECS: Record<string, GrammarSpec> = {
  typescript: { query: TS_COMMON, nesting: TS_NESTING },
  tsx: { query: TS_COMMON, nesting: TS_NESTING },
  javascript: { query: JS_COMMON, nesting: JS_NESTING },
  python: { query: PYTHON, nesting: ["class_definition", "function_definition", "lambda"] },
  go: { query: GO, nesting: ["function_declaration", "method_declaration", "func_literal"] },
  rust: { query: RUST, nesting: ["function_item", "impl_item", "trait_item", "closure_expression"] },
  java: {
    query: JAVA,
    nesting: [
      "class_declaration",
      "record_declaration",
      "interface_declaration",
      "annotation_type_declaration",
      "enum_declaration",
      "method_declaration",
      "constructor_declaration",
      "lambda_expression",
      "object_creation_expression",
    ],
  },
  cpp: {
    query: CPP,
    resolve: resolveCppDefinition,
    nesting: [
      "function_definition",
      "class_specifier",
      "struct_specifier",
      "union_specifier",
      "enum_specifier",
      "lambda_expression",
    ],
  },
  "c-sharp": {
    query: CSHARP,
    nesting: [
      "class_declaration",
      "record_declaration",
      "struct_declaration",
      "interface_declaration",
      "enum_declaration",
      "method_declaration",
      "constructor_declaration",
      "local_function_statement",
      "lambda_expression",
    ],
  },
  ruby: { query: RUBY, nesting: ["class", "method", "singleton_method", "block", "do_block", "lambda"] },
  php: {
    query: PHP,
    nesting: [
      "function_definition",
      "class_declaration",
      "interface_declaration",
      "trait_declaration",
      "enum_declaration",
      "method_declaration",
      "anonymous_function",
      "anonymous_function_creation_expression",
      "arrow_function",
    ],
  },
};
