/**
 * Where plans live: `.parecode/plans/{id}.json` (the whole plan, machine-readable, one
 * per plan) and `.parecode/plan.md` (the current plan for people, rewritten as it runs).
 * Writes go to a temporary file first, so a reader never sees half a plan.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { applyMarkdownEdits, parsePlanMarkdown, renderPlanMarkdown } from "./markdown.js";
import { PlanError } from "./plan-error.js";
import type { Plan } from "./types.js";

export interface PlanStore {
  /** Project-relative, for messages. */
  readonly markdownPath: string;
  jsonPath(plan: Pick<Plan, "id">): string;
  save(plan: Plan): Promise<void>;
  /**
   * The plan with the edits made in plan.md since this store last wrote it (when plan.md
   * still holds this plan, and was changed by someone else). Throws PlanError when
   * plan.md cannot be read as a plan.
   */
  readBack(plan: Plan): Promise<{ plan: Plan; changed: string[] }>;
  /** The plan plan.md names, else the newest saved one; undefined when there is none. */
  latest(): Promise<Plan | undefined>;
}

export function createPlanStore(root: string): PlanStore {
  const dir = path.join(root, ".parecode");
  const plansDir = path.join(dir, "plans");
  const markdown = path.join(dir, "plan.md");
  const jsonFile = (id: string) => path.join(plansDir, `${id}.json`);
  /** plan.md as this store last wrote it: a file still equal to it holds no edits. */
  let written: string | undefined;

  const load = async (id: string): Promise<Plan | undefined> => {
    let text: string;
    try {
      text = await readFile(jsonFile(id), "utf8");
    } catch {
      return undefined;
    }
    try {
      const plan = JSON.parse(text) as Plan;
      if (plan.version !== 1 || !Array.isArray(plan.steps)) throw new Error("not a plan of this version");
      return plan;
    } catch (err) {
      throw new PlanError(
        `.parecode/plans/${id}.json cannot be read (${(err as Error).message}); delete it or restore it from the plan.md you have.`,
      );
    }
  };

  return {
    markdownPath: ".parecode/plan.md",
    jsonPath: (plan) => path.join(".parecode", "plans", `${plan.id}.json`),
    async save(plan) {
      await mkdir(plansDir, { recursive: true });
      await writeAtomic(jsonFile(plan.id), `${JSON.stringify(plan, null, 2)}\n`);
      written = renderPlanMarkdown(plan);
      await writeAtomic(markdown, written);
    },
    async readBack(plan) {
      let text: string;
      try {
        text = await readFile(markdown, "utf8");
      } catch {
        return { plan, changed: [] };
      }
      if (text === written) return { plan, changed: [] };
      const parsed = parsePlanMarkdown(text);
      if (!parsed.ok)
        throw new PlanError(`${parsed.error}. Fix .parecode/plan.md, or delete it to run the plan as saved.`);
      if (parsed.id !== undefined && parsed.id !== plan.id) return { plan, changed: [] };
      return applyMarkdownEdits(plan, parsed.steps);
    },
    async latest() {
      const text = await readFile(markdown, "utf8").catch(() => "");
      const named = /<!-- parecode plan (\S+?)\.?\s/.exec(text)?.[1];
      if (named) {
        const plan = await load(named);
        if (plan) return plan;
      }
      const ids = (await readdir(plansDir).catch(() => [] as string[]))
        .filter((name) => name.endsWith(".json"))
        .map((name) => name.slice(0, -".json".length))
        .sort();
      const newest = ids.at(-1);
      return newest ? load(newest) : undefined;
    },
  };
}

/** A file-name-safe, sortable id: 2025-01-02T10-20-30-123Z. */
export function newPlanId(now: Date = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-");
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}
