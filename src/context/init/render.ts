/**
 * Findings → the compact Markdown sent with every request. Every line costs tokens on
 * every call, so sections are omitted when empty and facts are kept to one line each.
 */
import type { ReadmeSummary } from "./readme.js";
import type { Findings } from "./types.js";

/** An existing agent-instructions file whose rules must travel with the generated conventions. */
export interface InheritedRules {
  file: string;
  text: string;
}

/** Marker text the generated block is delimited by; stripped from inherited files so the block stays parseable. */
export const MARKER_PATTERN = /<!--\s*parecode:init:(start|end)[^>]*-->/g;

export function renderConventions(
  findings: Findings,
  readme: ReadmeSummary | undefined,
  inherited: InheritedRules[],
  fallbackName: string,
): string {
  const name = findings.name ?? shortTitle(readme?.title) ?? fallbackName;
  const out: string[] = [`# Project: ${name}`];
  const about = describe(name, readme);
  if (about) out.push(about);
  if (findings.stack.length > 0) out.push(`Stack: ${findings.stack.join(", ")}`);
  if (findings.frameworks.length > 0) out.push(`Main libraries: ${findings.frameworks.join(", ")}`);

  if (findings.commands.length > 0) {
    out.push("", "## Commands");
    for (const c of findings.commands) out.push(`- ${c.label}: \`${c.command}\`${c.note ? ` (${c.note})` : ""}`);
  }
  section(out, "Layout", findings.layout);
  section(out, "Style", findings.style);
  section(out, "Tests", findings.tests);

  for (const rules of inherited) {
    out.push("", `## From ${rules.file}`, demoteHeadings(rules.text.replace(MARKER_PATTERN, "").trim()));
  }
  return out.join("\n");
}

function section(out: string[], title: string, lines: string[]): void {
  if (lines.length === 0) return;
  out.push("", `## ${title}`, ...lines.map((l) => `- ${l}`));
}

/** The README description, prefixed by its title when the title says more than the name does. */
function describe(name: string, readme: ReadmeSummary | undefined): string | undefined {
  if (!readme) return undefined;
  const title = readme.title && normalise(readme.title) !== normalise(name) ? readme.title : undefined;
  if (title && readme.description) return `${title}: ${readme.description}`;
  return readme.description ?? title;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A README title is a usable project name only when it is short (not a tagline). */
function shortTitle(title: string | undefined): string | undefined {
  return title && title.length <= 40 ? title : undefined;
}

/** Nests an inherited file's headings under our `## From X` heading, leaving code blocks alone. */
export function demoteHeadings(text: string): string {
  let inFence = false;
  return text
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      if (inFence || !/^#{1,6}\s/.test(line)) return line;
      const level = line.match(/^#+/)?.[0].length ?? 1;
      return `${"#".repeat(Math.min(6, level + 2))}${line.slice(level)}`;
    })
    .join("\n");
}
