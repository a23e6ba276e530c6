import path from "node:path";
import type { LanguageId } from "./types.js";

/**
 * Extension → language. Extensions absent here are not symbol-indexed at all: a map full
 * of Markdown headings or JSON keys would cost tokens and help no plan.
 */
const BY_EXTENSION: Record<string, LanguageId> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".jsx": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".py": "python",
  ".pyi": "python",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
  ".c": "c",
  ".h": "c",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".hh": "cpp",
  ".hpp": "cpp",
  ".hxx": "cpp",
  ".cs": "csharp",
  ".rb": "ruby",
  ".php": "php",
  ".kt": "kotlin",
  ".kts": "kotlin",
  ".swift": "swift",
  ".scala": "scala",
};

export function languageForPath(filePath: string): LanguageId | undefined {
  if (filePath.endsWith(".d.ts")) return "typescript";
  return BY_EXTENSION[path.extname(filePath).toLowerCase()];
}

/**
 * The @vscode/tree-sitter-wasm grammar for a language, or undefined when the package
 * ships none (those languages use the regex extractor). The package has no C grammar;
 * the C++ grammar parses C well enough to find functions, structs and typedefs.
 */
export function grammarFor(language: LanguageId): string | undefined {
  switch (language) {
    case "typescript":
    case "tsx":
    case "javascript":
    case "python":
    case "go":
    case "rust":
    case "java":
    case "cpp":
    case "ruby":
    case "php":
      return language;
    case "c":
      return "cpp";
    case "csharp":
      return "c-sharp";
    default:
      return undefined;
  }
}
