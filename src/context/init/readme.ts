/** The README's title and first prose paragraph: what the project is, in a sentence or two. */
import type { ProjectDir } from "./probe.js";
import { readText } from "./probe.js";

export interface ReadmeSummary {
  file: string;
  title?: string;
  description?: string;
}

/** Descriptions past this are marketing or install steps; the model needs only the gist. */
const MAX_DESCRIPTION_CHARS = 300;
/** The gist is near the top; reading further finds install steps, not a description. */
const MAX_LINES = 80;

export async function readReadme(project: ProjectDir): Promise<ReadmeSummary | undefined> {
  const candidates = [...project.files].filter((f) => /^readme(\.(md|markdown|rst|txt))?$/i.test(f));
  // Markdown first, then any other spelling, in a fixed order.
  candidates.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const file = candidates[0];
  if (!file) return undefined;
  const text = await readText(project.root, file);
  if (text === undefined) return undefined;
  return { file, ...summariseReadme(text) };
}

function rank(name: string): number {
  return /\.md$/i.test(name) ? 0 : /\.markdown$/i.test(name) ? 1 : 2;
}

export function summariseReadme(text: string): { title?: string; description?: string } {
  const lines = text
    .replace(/<!--[\s\S]*?-->/g, "")
    .split(/\r?\n/)
    .slice(0, MAX_LINES);
  let title: string | undefined;
  const paragraph: string[] = [];
  let inFence = false;
  let i = 0;
  if (lines[0]?.trim() === "---") {
    // YAML front matter.
    const end = lines.indexOf("---", 1);
    i = end > 0 ? end + 1 : 0;
  }
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence;
      if (paragraph.length > 0) break;
      continue;
    }
    if (inFence) continue;
    const next = lines[i + 1]?.trim() ?? "";
    const atx = line.match(/^#{1,6}\s+(.*?)\s*#*$/);
    const setext = line !== "" && /^(=+|-+)$/.test(next) && !isNoise(line);
    if (atx || setext) {
      if (paragraph.length > 0) break;
      const heading = clean(atx ? atx[1] : line);
      if (!title && heading) title = heading;
      if (setext) i++;
      continue;
    }
    if (line === "") {
      if (paragraph.length > 0) break;
      continue;
    }
    if (isNoise(line)) {
      if (paragraph.length > 0) break;
      // Centred HTML headers (`<h1 align="center">Name</h1>`) are where many READMEs keep the title.
      const h1 = line.match(/<h1[^>]*>(.*?)<\/h1>/i);
      if (!title && h1) title = clean(h1[1]) || undefined;
      continue;
    }
    // A blockquote tagline ("> Process execution for humans") is still the description.
    paragraph.push(line.replace(/^>\s*/, ""));
  }
  const description = cap(clean(paragraph.join(" ")));
  return { title: title || undefined, description: description || undefined };
}

/** Badges, HTML blocks, images, tables, rules, lists and link-only lines say nothing about the project. */
function isNoise(line: string): boolean {
  if (/^(\[!\[|!\[|<|\||={3,}|-{3,}|\*{3,}|>\s*\[!)/.test(line)) return true;
  if (/^([-*+]|\d+[.)])\s/.test(line)) return true;
  const withoutLinks = line.replace(/!?\[[^\]]*\]\([^)]*\)/g, "").replace(/[\s|·•-]/g, "");
  return withoutLinks === "";
}

function clean(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[\^[^\]]*\]/g, "")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__)(.*?)\1/g, "$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** Cuts at the last sentence end that fits, else at a word, marking the cut. */
function cap(text: string): string {
  if (text.length <= MAX_DESCRIPTION_CHARS) return text;
  const cut = text.slice(0, MAX_DESCRIPTION_CHARS);
  const sentence = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("! "), cut.lastIndexOf("? "));
  if (sentence > MAX_DESCRIPTION_CHARS / 2) return cut.slice(0, sentence + 1);
  const word = cut.lastIndexOf(" ");
  return `${cut.slice(0, word > 0 ? word : cut.length)}…`;
}
