/**
 * A regex outline of a source file: the declarations a model needs to navigate (with
 * line numbers for read_file's line_range). Used when no parser-based outline is
 * available; it prefers missing an odd declaration to listing noise such as `if (`.
 */
import path from "node:path";

type Lang = "js" | "py" | "go" | "rust" | "java" | "c";

const EXTENSIONS: Record<string, Lang> = {
  ".ts": "js",
  ".tsx": "js",
  ".mts": "js",
  ".cts": "js",
  ".js": "js",
  ".jsx": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".py": "py",
  ".pyi": "py",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
  ".kt": "java",
  ".cs": "java",
  ".c": "c",
  ".h": "c",
  ".cc": "c",
  ".cpp": "c",
  ".cxx": "c",
  ".hpp": "c",
  ".hh": "c",
};

const KEYWORDS =
  /^(if|for|while|switch|catch|return|else|do|try|with|new|throw|delete|typeof|await|yield|sizeof|case)\b/;

const PATTERNS: Record<Lang, RegExp[]> = {
  js: [
    /^\s*(export\s+)?(default\s+)?(declare\s+)?(async\s+)?function\b/,
    /^\s*(export\s+)?(default\s+)?(declare\s+)?(abstract\s+)?class\s+\w/,
    /^\s*(export\s+)?(declare\s+)?(interface|enum|namespace|module)\s+[\w$.]/,
    /^\s*(export\s+)?(declare\s+)?type\s+[\w$]+\s*(<[^=]*>)?\s*=/,
    /^\s*(export\s+)?(const|let|var)\s+[\w$]+\s*(:[^=]+)?=\s*(async\s+)?(function\b|(\([^)]*\)|[\w$]+)\s*(:[^=]+)?=>)/,
    // Class members: an indented name followed by a parameter list and an opening brace.
    /^\s+((public|private|protected|static|readonly|async|override|abstract|get|set)\s+)*[#\w$]+\s*(<[^>]*>)?\([^;]*\)\s*(:\s*[^;{=]+)?\{\s*$/,
  ],
  py: [/^\s*(async\s+)?def\s+\w+/, /^\s*class\s+\w+/],
  go: [/^func\b/, /^type\s+\w+/, /^\s+\w+\s+(struct|interface)\s*\{/],
  rust: [
    /^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"[^"]*"\s+)?fn\s+\w+/,
    /^\s*(pub(\([^)]*\))?\s+)?(struct|enum|trait|union|type|mod)\s+\w+/,
    /^\s*(unsafe\s+)?impl\b/,
    /^\s*macro_rules!\s*\w+/,
  ],
  java: [
    /^\s*((public|private|protected|internal|static|final|abstract|sealed|data|open|partial)\s+)*(class|interface|enum|record|object|struct)\s+\w+/,
    /^\s*((public|private|protected|internal|static|final|abstract|synchronized|native|override|async|virtual)\s+)+[\w<>[\],.? ]+\s+\w+\s*\([^;]*$/,
    /^\s*fun\s+/,
  ],
  c: [
    /^\s*(typedef\s+)?(struct|union|enum|class)\s+\w+[^;]*$/,
    /^\s*namespace\s+\w+/,
    /^\s*#define\s+\w+\(/,
    // A function definition starts at column 0: return type, name, '(' and no ';'.
    /^[A-Za-z_][\w\s*&:<>,~]*[\s*&]~?[\w:]+\s*\([^;]*$/,
  ],
};

const MAX_ENTRIES = 400;
const MAX_ENTRY_CHARS = 160;

/** The outline as `N: declaration` lines, or null for a language it does not know. */
export function fallbackOutline(filePath: string, source: string): string | null {
  const lang = EXTENSIONS[path.extname(filePath).toLowerCase()];
  if (!lang) return null;
  const patterns = PATTERNS[lang];
  const out: string[] = [];
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length && out.length < MAX_ENTRIES; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === "" || KEYWORDS.test(trimmed) || /^(\/\/|\*|\/\*|#(?!define))/.test(trimmed)) continue;
    if (!patterns.some((p) => p.test(line))) continue;
    const indent = (/^\s*/.exec(line.replace(/\t/g, "  "))?.[0] ?? "").slice(0, 12);
    let text = trimmed.replace(/\s*\{\s*$/, "");
    if (text.length > MAX_ENTRY_CHARS) text = `${text.slice(0, MAX_ENTRY_CHARS)}…`;
    out.push(`${i + 1}: ${indent}${text}`);
  }
  return out.join("\n");
}
