/**
 * Files a person pinned to the conversation (the TUI's `@` chips) and shell output they
 * shared (`!cmd`), turned into preamble sections. Each file is read fresh for every task,
 * so the model always sees its current text, and sits in the system prompt under its own
 * cap: the history budget never compresses or drops it.
 */
import { readFile, stat } from "node:fs/promises";
import {
  ATTACHED_FILES_MAX_TOKENS,
  ATTACHED_FILES_PRIORITY,
  GIT_STATUS_PRIORITY,
  type PreambleSection,
} from "../context/preamble.js";
import { resolveInProject } from "../tools/path-safety.js";

/** Larger files are not read whole: the section's cap would cut them anyway. */
const MAX_FILE_BYTES = 256 * 1024;
/** Shell output shared with the model, per command. */
export const SHELL_NOTE_MAX_TOKENS = 600;

export interface AttachedSections {
  sections: PreambleSection[];
  /** Files that could not be attached, each with the reason, for the person to see. */
  problems: string[];
}

export async function attachedFileSections(root: string, files: readonly string[]): Promise<AttachedSections> {
  const sections: PreambleSection[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const resolved = resolveInProject(root, file);
    if ("error" in resolved) {
      problems.push(`${file}: ${resolved.error}`);
      continue;
    }
    try {
      const info = await stat(resolved.absolute);
      if (!info.isFile()) {
        problems.push(`${file}: not a file`);
        continue;
      }
      const buffer = await readFile(resolved.absolute);
      const head = buffer.subarray(0, MAX_FILE_BYTES);
      if (head.includes(0)) {
        problems.push(`${file}: a binary file, not attached`);
        continue;
      }
      const text = head.toString("utf8");
      const more = buffer.length > MAX_FILE_BYTES ? "\n[… file continues; read_file for the rest]" : "";
      sections.push({
        name: `Attached file ${resolved.relative}`,
        text: `${text}${more}`,
        maxTokens: ATTACHED_FILES_MAX_TOKENS,
        priority: ATTACHED_FILES_PRIORITY,
        more: `read_file ${resolved.relative}`,
      });
    } catch (err) {
      problems.push(`${file}: ${(err as NodeJS.ErrnoException).code ?? "cannot be read"}`);
    }
  }
  return { sections, problems };
}

/** A command the person ran themselves and its output, for the next task's model call. */
export interface ShellNote {
  command: string;
  output: string;
  isError: boolean;
}

export function shellNoteSection(notes: readonly ShellNote[]): PreambleSection | undefined {
  if (notes.length === 0) return undefined;
  const text = notes
    .map((note) => `$ ${note.command}${note.isError ? " (failed)" : ""}\n${note.output.trimEnd()}`)
    .join("\n\n");
  return {
    name: "Commands the user ran before this task",
    text,
    maxTokens: SHELL_NOTE_MAX_TOKENS * Math.min(notes.length, 3),
    // Cheaper to lose than the user's files or the conventions, dearer than git status.
    priority: GIT_STATUS_PRIORITY - 0.5,
    more: "run the command again with bash",
  };
}
