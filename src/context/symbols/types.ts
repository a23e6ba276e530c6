/**
 * The symbol vocabulary shared by the extractor, the outline and the project map.
 * Kept free of tree-sitter types so callers (read_file, plan generation) never load wasm
 * just to name a symbol.
 */

export type SymbolKind =
  | "function"
  | "class"
  | "interface"
  | "type"
  | "enum"
  | "struct"
  | "trait"
  | "method"
  | "const"
  | "module";

export interface FileSymbol {
  name: string;
  kind: SymbolKind;
  /** 1-based line of the declaration's first line (decorators and doc comments excluded). */
  line: number;
  /** 1-based last line, when the extractor knows where the declaration ends. */
  endLine?: number;
  /** The enclosing class, struct, trait or impl'd type, for methods. */
  parent?: string;
  /** Visible outside its file/module by the language's own rule (export, pub, Capitalised, public). */
  exported?: boolean;
}

/** Languages we recognise by file extension; a subset has tree-sitter grammars. */
export type LanguageId =
  | "typescript"
  | "tsx"
  | "javascript"
  | "python"
  | "go"
  | "rust"
  | "java"
  | "c"
  | "cpp"
  | "csharp"
  | "ruby"
  | "php"
  | "kotlin"
  | "swift"
  | "scala";
