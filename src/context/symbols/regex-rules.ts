/**
 * Line-based declaration patterns for the regex extractor (regex-fallback.ts). Each
 * pattern captures the name in group `n`; `p` (optional) captures an owner type.
 * `top` rules apply outside any container, `member` rules at a container's first
 * indentation level. Approximate on purpose: this runs only where no grammar loads.
 */
import type { LanguageId, SymbolKind } from "./types.js";

export interface RegexRule {
  re: RegExp;
  /** Undefined: opens a container without being listed (Rust impl, Swift extension). */
  kind?: SymbolKind;
  /** The declaration's body holds methods (class, impl, trait). */
  opens?: boolean;
  /** Match only at column 0; keeps nested functions and local consts out. */
  col0?: boolean;
  /** A bare `Name(` line: a constructor only when Name is the container's own name. */
  ctorOnly?: boolean;
}

export interface RegexLanguage {
  top: RegexRule[];
  member: RegexRule[];
  /** Exported by the language's convention, given the declaration line and name. */
  exported?: (line: string, name: string) => boolean;
}

const JS_TOP: RegexRule[] = [
  {
    re: /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*(?<n>[\w$]+)/,
    kind: "function",
    col0: true,
  },
  {
    re: /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?class\s+(?<n>[\w$]+)/,
    kind: "class",
    opens: true,
  },
  { re: /^(?:export\s+)?(?:declare\s+)?interface\s+(?<n>[\w$]+)/, kind: "interface" },
  { re: /^(?:export\s+)?(?:declare\s+)?type\s+(?<n>[\w$]+)\s*(?:<[^=]*>)?\s*=/, kind: "type", col0: true },
  { re: /^(?:export\s+)?(?:declare\s+)?(?:const\s+)?enum\s+(?<n>[\w$]+)/, kind: "enum" },
  { re: /^(?:export\s+)?(?:declare\s+)?(?:namespace|module)\s+(?<n>[\w$.]+)\s*\{/, kind: "module", col0: true },
  {
    re: /^(?:export\s+)?(?:const|let|var)\s+(?<n>[\w$]+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)?\s*(?::[^=]+)?=>|\(|[\w$]+\s*=>)/,
    kind: "function",
    col0: true,
  },
  { re: /^export\s+const\s+(?<n>[\w$]+)/, kind: "const", col0: true },
];

const JS_MEMBER: RegexRule[] = [
  {
    re: /^(?:(?:public|private|protected|static|async|readonly|abstract|override|get|set|declare)\s+)*\*?(?<n>#?[\w$]+)\s*(?:<[^>]*>)?\s*\(/,
    kind: "method",
  },
  {
    re: /^(?:(?:public|private|protected|static|readonly)\s+)*(?<n>#?[\w$]+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^)]*\)|[\w$]+)\s*(?::[^=]+)?=>/,
    kind: "method",
  },
];

const C_TOP: RegexRule[] = [
  {
    re: /^(?:typedef\s+)?struct\s+(?<n>\w+)\s*(?:final\s*)?(?::[^{]*)?\{?\s*$/,
    kind: "struct",
    opens: true,
    col0: true,
  },
  {
    re: /^(?:template\s*<.*>\s*)?class\s+(?:\w+\s+)?(?<n>\w+)\s*(?:final\s*)?(?::[^{;]*)?\{?\s*$/,
    kind: "class",
    opens: true,
  },
  { re: /^(?:typedef\s+)?enum\s+(?:class\s+|struct\s+)?(?<n>\w+)\s*(?::\s*\w+\s*)?\{?\s*$/, kind: "enum", col0: true },
  { re: /^namespace\s+(?<n>[\w:]+)\s*\{/, kind: "module", col0: true },
  {
    // A definition (no trailing `;`) whose return type precedes the name; `p` keeps `Foo::` for out-of-class methods.
    re: /^(?!(?:if|for|while|switch|return|else|do|case|typedef|using)\b)(?:[\w:<>,*&~]+\s+)+[*&]*(?:(?<p>\w+)::)?(?<n>~?\w+)\s*\((?:[^;]*\)\s*(?:const\s*)?(?:\{.*)?|[^;)]*)$/,
    kind: "function",
    col0: true,
  },
];

const C_MEMBER: RegexRule[] = [
  {
    re: /^(?!(?:return|delete|new|using|typedef|friend)\b)(?:(?:virtual|static|inline|explicit|constexpr)\s+)*(?:[\w:<>,*&]+\s+)+[*&]*(?<n>~?\w+|operator\S+)\s*\(/,
    kind: "method",
  },
  // Constructors and destructors have no return type.
  { re: /^(?:explicit\s+|virtual\s+)*(?<n>~?\w+)\s*\(/, kind: "method", ctorOnly: true },
];

const JAVA_MODS =
  "(?:(?:public|protected|private|internal|static|final|abstract|synchronized|native|default|strictfp|virtual|override|async|sealed|readonly|extern|unsafe|partial|new)\\s+)*";

const JAVA_LIKE: Pick<RegexLanguage, "top" | "member"> = {
  top: [
    {
      re: new RegExp(`^(?:@\\w+(?:\\([^)]*\\))?\\s+)*${JAVA_MODS}(?:class|record)\\s+(?<n>\\w+)`),
      kind: "class",
      opens: true,
    },
    {
      re: new RegExp(`^(?:@\\w+\\s+)*${JAVA_MODS}(?:interface|@interface)\\s+(?<n>\\w+)`),
      kind: "interface",
      opens: true,
    },
    { re: new RegExp(`^(?:@\\w+\\s+)*${JAVA_MODS}enum\\s+(?<n>\\w+)`), kind: "enum", opens: true },
    { re: new RegExp(`^${JAVA_MODS}struct\\s+(?<n>\\w+)`), kind: "struct", opens: true },
    { re: /^namespace\s+(?<n>[\w.]+)/, kind: "module", col0: true },
  ],
  member: [
    {
      re: new RegExp(
        `^(?:@\\w+(?:\\([^)]*\\))?\\s+)*${JAVA_MODS}(?:<[^>]+>\\s+)?(?!(?:return|new|throw|else)\\b)[\\w<>\\[\\],.?]+\\s+(?<n>\\w+)\\s*\\(`,
      ),
      kind: "method",
    },
    { re: new RegExp(`^${JAVA_MODS}(?<n>\\w+)\\s*\\(`), kind: "method", ctorOnly: true },
  ],
};

export const REGEX_LANGUAGES: Partial<Record<LanguageId, RegexLanguage>> = {
  typescript: { top: JS_TOP, member: JS_MEMBER, exported: (line) => line.startsWith("export") },
  tsx: { top: JS_TOP, member: JS_MEMBER, exported: (line) => line.startsWith("export") },
  javascript: { top: JS_TOP, member: JS_MEMBER, exported: (line) => line.startsWith("export") },
  python: {
    top: [
      { re: /^class\s+(?<n>\w+)/, kind: "class", opens: true, col0: true },
      { re: /^(?:async\s+)?def\s+(?<n>\w+)/, kind: "function", col0: true },
    ],
    member: [{ re: /^(?:async\s+)?def\s+(?<n>\w+)/, kind: "method" }],
    exported: (_line, name) => !name.startsWith("_"),
  },
  go: {
    top: [
      { re: /^func\s*\(\s*\w*\s*\*?(?<p>\w+)(?:\[[^\]]*\])?\s*\)\s*(?<n>\w+)/, kind: "method", col0: true },
      { re: /^func\s+(?<n>\w+)/, kind: "function", col0: true },
      { re: /^type\s+(?<n>\w+)(?:\[[^\]]*\])?\s+struct\b/, kind: "struct", col0: true },
      { re: /^type\s+(?<n>\w+)(?:\[[^\]]*\])?\s+interface\b/, kind: "interface", col0: true },
      { re: /^type\s+(?<n>\w+)/, kind: "type", col0: true },
    ],
    member: [],
    exported: (_line, name) => /^[A-Z]/.test(name),
  },
  rust: {
    top: [
      {
        re: /^(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe|extern\s+"[^"]*")\s+)*fn\s+(?<n>\w+)/,
        kind: "function",
        col0: true,
      },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?struct\s+(?<n>\w+)/, kind: "struct", col0: true },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?union\s+(?<n>\w+)/, kind: "struct", col0: true },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?enum\s+(?<n>\w+)/, kind: "enum", col0: true },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?trait\s+(?<n>\w+)/, kind: "trait", opens: true, col0: true },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?type\s+(?<n>\w+)/, kind: "type", col0: true },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?mod\s+(?<n>\w+)/, kind: "module", col0: true },
      { re: /^(?:pub(?:\([^)]*\))?\s+)?(?:const|static)\s+(?:mut\s+)?(?<n>\w+)/, kind: "const", col0: true },
      { re: /^(?:unsafe\s+)?impl\b(?:<[^{]*?>)?\s+(?:[^{]*?\bfor\s+)?(?:[\w]+::)*(?<n>\w+)/, opens: true, col0: true },
    ],
    member: [
      { re: /^(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe|extern\s+"[^"]*")\s+)*fn\s+(?<n>\w+)/, kind: "method" },
    ],
    exported: (line) => line.startsWith("pub"),
  },
  c: { top: C_TOP, member: C_MEMBER },
  cpp: { top: C_TOP, member: C_MEMBER },
  java: { ...JAVA_LIKE, exported: (line) => /\bpublic\b/.test(line) },
  csharp: { ...JAVA_LIKE, exported: (line) => /\bpublic\b/.test(line) },
  kotlin: {
    top: [
      { re: /^(?:\w+\s+)*(?:class|object)\s+(?<n>\w+)/, kind: "class", opens: true },
      { re: /^(?:\w+\s+)*interface\s+(?<n>\w+)/, kind: "interface", opens: true },
      { re: /^(?:\w+\s+)*fun\s+(?:<[^>]+>\s+)?(?:[\w.]+\.)?(?<n>\w+)/, kind: "function", col0: true },
      { re: /^(?:\w+\s+)*typealias\s+(?<n>\w+)/, kind: "type", col0: true },
    ],
    member: [{ re: /^(?:\w+\s+)*fun\s+(?:<[^>]+>\s+)?(?<n>\w+)/, kind: "method" }],
  },
  swift: {
    top: [
      { re: /^(?:\w+\s+)*(?:class|actor)\s+(?<n>\w+)/, kind: "class", opens: true },
      { re: /^(?:\w+\s+)*struct\s+(?<n>\w+)/, kind: "struct", opens: true },
      { re: /^(?:\w+\s+)*enum\s+(?<n>\w+)/, kind: "enum", opens: true },
      { re: /^(?:\w+\s+)*protocol\s+(?<n>\w+)/, kind: "interface", opens: true },
      { re: /^(?:\w+\s+)*extension\s+(?<n>\w+)/, opens: true },
      { re: /^(?:\w+\s+)*func\s+(?<n>\w+)/, kind: "function", col0: true },
    ],
    member: [{ re: /^(?:[\w@]+\s+)*func\s+(?<n>\w+)/, kind: "method" }],
  },
  scala: {
    top: [
      { re: /^(?:\w+\s+)*(?:class|object)\s+(?<n>\w+)/, kind: "class", opens: true },
      { re: /^(?:\w+\s+)*trait\s+(?<n>\w+)/, kind: "trait", opens: true },
      { re: /^def\s+(?<n>\w+)/, kind: "function", col0: true },
    ],
    member: [{ re: /^(?:\w+\s+)*def\s+(?<n>\w+)/, kind: "method" }],
  },
  ruby: {
    top: [
      { re: /^\s*module\s+(?<n>[\w:]+)/, kind: "module" },
      { re: /^\s*class\s+(?<n>[\w:]+)/, kind: "class", opens: true },
      { re: /^def\s+(?:self\.)?(?<n>\w+[?!=]?)/, kind: "function", col0: true },
    ],
    member: [{ re: /^def\s+(?:self\.)?(?<n>\w+[?!=]?)/, kind: "method" }],
  },
  php: {
    top: [
      { re: /^(?:(?:abstract|final|readonly)\s+)*class\s+(?<n>\w+)/, kind: "class", opens: true },
      { re: /^interface\s+(?<n>\w+)/, kind: "interface", opens: true },
      { re: /^trait\s+(?<n>\w+)/, kind: "trait", opens: true },
      { re: /^enum\s+(?<n>\w+)/, kind: "enum", opens: true },
      { re: /^function\s+(?<n>\w+)/, kind: "function", col0: true },
    ],
    member: [
      { re: /^(?:(?:public|protected|private|static|abstract|final)\s+)*function\s+&?(?<n>\w+)/, kind: "method" },
    ],
  },
};
