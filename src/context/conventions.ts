import { readFile } from "node:fs/promises";
import path from "node:path";

/** Where project conventions are looked for, first found wins (init merges the others into the first). */
export const CONVENTION_FILES = [".parecode/conventions.md", "AGENTS.md", "CLAUDE.md"] as const;

/** Conventions are capped so a long AGENTS.md cannot crowd out the task (≈1,500 tokens). */
export const CONVENTIONS_MAX_CHARS = 6_000;

export interface Conventions {
  /** Project-relative file the text came from. */
  file: string;
  text: string;
  truncated: boolean;
}

export async function loadConventions(root: string): Promise<Conventions | null> {
  for (const file of CONVENTION_FILES) {
    let text: string;
    try {
      text = await readFile(path.join(root, file), "utf8");
    } catch {
      continue;
    }
    text = text.replace(/^\uFEFF/, "").trim();
    if (text === "") continue;
    if (text.length <= CONVENTIONS_MAX_CHARS) return { file, text, truncated: false };
    const cut = text.slice(0, CONVENTIONS_MAX_CHARS);
    const atLine = cut.lastIndexOf("\n");
    return {
      file,
      text: `${atLine > 0 ? cut.slice(0, atLine) : cut}\n[${file} cut to fit the conventions budget; read_file it for the rest]`,
      truncated: true,
    };
  }
  return null;
}
