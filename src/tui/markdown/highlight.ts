/**
 * Code highlighting: lowlight (highlight.js grammars as a syntax tree instead of HTML)
 * with the languages a coding agent meets most, turned into lines of scoped tokens the
 * code block component colours. highlight.js is the best-kept highlighter that bundles
 * as plain JS; only these grammars are bundled (the full set is ~1 MB).
 */
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import csharp from "highlight.js/lib/languages/csharp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import go from "highlight.js/lib/languages/go";
import ini from "highlight.js/lib/languages/ini";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import kotlin from "highlight.js/lib/languages/kotlin";
import makefile from "highlight.js/lib/languages/makefile";
import markdown from "highlight.js/lib/languages/markdown";
import php from "highlight.js/lib/languages/php";
import python from "highlight.js/lib/languages/python";
import ruby from "highlight.js/lib/languages/ruby";
import rust from "highlight.js/lib/languages/rust";
import scss from "highlight.js/lib/languages/scss";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import swift from "highlight.js/lib/languages/swift";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { createLowlight } from "lowlight";

export interface CodeToken {
  text: string;
  /** The innermost highlight.js scope without its prefix ("keyword", "string"), if any. */
  scope?: string;
}

const lowlight = createLowlight({
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  makefile,
  markdown,
  php,
  python,
  ruby,
  rust,
  scss,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
});
lowlight.registerAlias({ ini: ["toml"], bash: ["sh", "zsh", "console"], xml: ["html", "svg", "vue"] });

interface HastNode {
  type: string;
  value?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
}

/** Highlights `code` as `lang`; an unknown or missing language gives plain lines. */
export function highlightLines(code: string, lang: string): CodeToken[][] {
  const name = lang.toLowerCase();
  const text = code.replace(/\n$/, "");
  if (name === "" || !lowlight.registered(name)) return text.split("\n").map((line) => [{ text: line }]);
  let tree: HastNode;
  try {
    tree = lowlight.highlight(name, text) as unknown as HastNode;
  } catch {
    return text.split("\n").map((line) => [{ text: line }]);
  }
  const lines: CodeToken[][] = [[]];
  const walk = (node: HastNode, scope: string | undefined) => {
    if (node.type === "text") {
      const parts = (node.value ?? "").split("\n");
      parts.forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part !== "") lines[lines.length - 1].push(scope ? { text: part, scope } : { text: part });
      });
      return;
    }
    const classes = node.properties?.className;
    const own = Array.isArray(classes)
      ? classes.find((c): c is string => typeof c === "string" && c.startsWith("hljs-"))?.slice(5)
      : undefined;
    for (const child of node.children ?? []) walk(child, own ?? scope);
  };
  walk(tree, undefined);
  return lines;
}
