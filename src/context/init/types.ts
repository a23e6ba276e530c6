/** What each `parecode init` detector learns; `render.ts` turns the merged result into Markdown. */

export interface ProjectCommand {
  /** What it is for: "test", "build", "lint", "typecheck", "format", "dev", "check", "vet". */
  label: string;
  /** Exactly what to type in the project root. */
  command: string;
  /** What the command runs underneath, when that tells the model something (e.g. "vitest run"). */
  note?: string;
  /** Shown only when no other source gave a command for this label (a linter's bare CLI vs the project's script). */
  fallback?: boolean;
}

export interface Findings {
  name?: string;
  /** One-line stack facts: "TypeScript", "Node >=20", "ESM", "npm". */
  stack: string[];
  /** Main frameworks and tools found in dependencies: "React 19", "Vitest". */
  frameworks: string[];
  commands: ProjectCommand[];
  layout: string[];
  style: string[];
  tests: string[];
  /** Project-relative files that contributed. */
  sources: string[];
}

export function emptyFindings(): Findings {
  return { stack: [], frameworks: [], commands: [], layout: [], style: [], tests: [], sources: [] };
}

/** Folds detector results together in order; the first name wins and duplicates are dropped. */
export function mergeFindings(parts: Partial<Findings>[]): Findings {
  const out = emptyFindings();
  for (const part of parts) {
    out.name ??= part.name;
    for (const key of ["stack", "frameworks", "layout", "style", "tests", "sources"] as const) {
      for (const item of part[key] ?? []) if (!out[key].includes(item)) out[key].push(item);
    }
    for (const cmd of part.commands ?? []) {
      if (!out.commands.some((c) => c.command === cmd.command)) out.commands.push(cmd);
    }
  }
  const primary = new Set(out.commands.filter((c) => !c.fallback).map((c) => c.label));
  out.commands = out.commands.filter((c) => !c.fallback || !primary.has(c.label));
  return out;
}
