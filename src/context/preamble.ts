/**
 * The preamble budget: conventions, attached files, plan summaries and git status go in
 * front of every call, so each has its own cap and all of them share one total. On a 32k
 * local model an unbounded preamble eats a quarter of the window before the task starts.
 * Sections are cut at line boundaries with a one-line note saying how to get the rest;
 * when the total is still too big, the least important sections give way first.
 */

export interface PreambleSection {
  /** Shown as the section's heading (`## name`) and in cut notes. */
  name: string;
  text: string;
  /** This section's own cap, heading and cut note included. */
  maxTokens: number;
  /** Lower = more important, trimmed last. Ties: the later section is trimmed first. */
  priority: number;
  /** How the model gets what was cut, e.g. `read_file .parecode/conventions.md`. */
  more?: string;
}

export interface PreambleOptions {
  maxTokens: number;
  count: (text: string) => number;
}

export interface PreambleResult {
  text: string;
  tokens: number;
  /** Names of sections cut or dropped, in the order it happened, each once. */
  trimmed: string[];
  /** Names of sections left out entirely (also listed in `trimmed`). */
  dropped: string[];
}

/** Default caps per section, in o200k tokens. */
export const PLAN_SUMMARY_MAX_TOKENS = 600;
export const ATTACHED_FILES_MAX_TOKENS = 2_000;
/** Matches conventions.ts's ~6,000-character cap. */
export const CONVENTIONS_MAX_TOKENS = 1_500;
export const GIT_STATUS_MAX_TOKENS = 200;

/**
 * Default priorities: the plan is the goal itself; attached files were asked for by the
 * user; conventions shape every edit; git status is cheapest to get again (`git status`).
 */
export const PLAN_SUMMARY_PRIORITY = 0;
export const ATTACHED_FILES_PRIORITY = 1;
export const CONVENTIONS_PRIORITY = 2;
export const GIT_STATUS_PRIORITY = 3;

/** Below this a section is more note than content, so it is dropped instead of cut. */
export const MIN_SECTION_TOKENS = 32;

export const PREAMBLE_SHARE = 0.15;
export const PREAMBLE_MIN_TOKENS = 512;
export const PREAMBLE_MAX_TOKENS = 4_000;

/** The whole preamble's cap: 15% of the window, between 512 and 4,000 tokens. */
export function defaultPreambleMaxTokens(contextTokens: number): number {
  const share = Math.floor(contextTokens * PREAMBLE_SHARE);
  return Math.min(PREAMBLE_MAX_TOKENS, Math.max(PREAMBLE_MIN_TOKENS, share));
}

interface Rendered {
  section: PreambleSection;
  index: number;
  /** The rendered block (heading + body), or undefined once dropped. */
  block: string | undefined;
}

export function assemblePreamble(sections: PreambleSection[], options: PreambleOptions): PreambleResult {
  const { count } = options;
  const trimmed: string[] = [];
  const dropped: string[] = [];
  const mark = (name: string, gone: boolean): void => {
    if (!trimmed.includes(name)) trimmed.push(name);
    if (gone && !dropped.includes(name)) dropped.push(name);
  };

  const parts: Rendered[] = [];
  sections.forEach((section, index) => {
    if (section.text.trim() === "") return;
    const fit = fitSection(section, section.maxTokens, count);
    if (fit.cut) mark(section.name, fit.block === undefined);
    parts.push({ section, index, block: fit.block });
  });

  const join = (): string =>
    parts
      .map((p) => p.block)
      .filter((b): b is string => b !== undefined)
      .join("\n\n");

  let text = join();
  let tokens = text === "" ? 0 : count(text);
  const order = [...parts].sort((a, b) => b.section.priority - a.section.priority || b.index - a.index);
  for (const part of order) {
    // Joining can cost a token or two more than the parts, so a section may take two cuts.
    for (let attempt = 0; attempt < 3 && tokens > options.maxTokens && part.block !== undefined; attempt++) {
      const current = count(part.block);
      const fit = fitSection(part.section, current - (tokens - options.maxTokens), count);
      part.block = fit.block;
      mark(part.section.name, fit.block === undefined);
      text = join();
      tokens = text === "" ? 0 : count(text);
    }
    if (tokens <= options.maxTokens) break;
  }
  return { text, tokens, trimmed, dropped };
}

interface Fit {
  /** Undefined when nothing useful fits. */
  block: string | undefined;
  cut: boolean;
}

/**
 * The section as `## name\n<body>` within `cap` tokens. Always cut from the original
 * text, so the note's line counts refer to the whole section however often it is cut.
 */
function fitSection(section: PreambleSection, cap: number, count: (text: string) => number): Fit {
  const heading = `## ${section.name}\n`;
  const body = section.text.trim();
  const whole = heading + body;
  if (count(whole) <= cap) return { block: whole, cut: false };
  if (cap < MIN_SECTION_TOKENS) return { block: undefined, cut: true };

  const lines = body.split("\n");
  const total = lines.length === 1 ? "1 line" : `${lines.length} lines`;
  const note = (shown: string): string =>
    `[${section.name} cut: ${shown} of ${total} shown; ${section.more ?? "the rest is left out to save context"}]`;
  const build = (shown: number): string => `${heading}${lines.slice(0, shown).join("\n")}\n${note(String(shown))}`;

  // Largest line count that fits; token counts grow with the prefix, so binary search.
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(build(mid)) <= cap) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return { block: build(lo), cut: true };
  return { block: cutFirstLine(lines[0], heading, note("part of the first"), cap, count), cut: true };
}

/** One line longer than the cap (minified code, a long path list): cut inside it. */
function cutFirstLine(
  line: string,
  heading: string,
  note: string,
  cap: number,
  count: (text: string) => number,
): string | undefined {
  const chars = Array.from(line);
  const build = (n: number): string => `${heading}${chars.slice(0, n).join("")}…\n${note}`;
  let lo = 0;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(build(mid)) <= cap) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 && count(build(lo)) <= cap ? build(lo) : undefined;
}
