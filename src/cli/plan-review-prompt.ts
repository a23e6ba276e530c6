/**
 * Review of a plan on a terminal, one line at a time: run it all, leave it for later,
 * edit .parecode/plan.md in $EDITOR, or add a note to a step. The transitions are the
 * plan module's review reducer; this file only reads lines and prints.
 */
import path from "node:path";
import { createInterface } from "node:readline";
import { escapeControl } from "../core/terminal-text.js";
import { openInEditor } from "../exec/editor.js";
import { createReviewState, type Plan, type PlanService, type ReviewState, reviewReducer } from "../plan/index.js";
import type { OutputStyle } from "./output-style.js";
import { renderPlan } from "./plan-printer.js";

export interface ReviewPromptOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  style: OutputStyle;
  service: PlanService;
  root: string;
  env: NodeJS.ProcessEnv;
  redact(text: string): string;
}

export interface ReviewDecision {
  /** run: approved, go; later: keep the plan saved, not run. */
  decision: "run" | "later";
  plan: Plan;
}

const HELP =
  "y run every step · n not now (kept; parecode plan --resume runs it) · e edit in $EDITOR · a N add a note to step N";

export async function reviewOnTerminal(plan: Plan, options: ReviewPromptOptions): Promise<ReviewDecision> {
  const { output, style } = options;
  let state: ReviewState = createReviewState(plan);
  const count = () => state.plan.steps.length;
  for (;;) {
    const left = state.plan.steps.filter((step) => step.status !== "done").length;
    const what =
      left === 1
        ? count() === 1
          ? "this step"
          : "the last step"
        : left < count()
          ? `the ${left} steps left`
          : `all ${left} steps`;
    const answer = (await ask(options, `Run ${what}? [y/N/e/a N] `)).trim().toLowerCase();
    if (answer === "y" || answer === "yes") {
      state = reviewReducer(reviewReducer(state, { type: "approve_all" }), { type: "run" });
      await options.service.save(state.plan);
      return { decision: "run", plan: state.plan };
    }
    if (answer === "" || answer === "n" || answer === "no") return { decision: "later", plan: state.plan };
    if (answer === "e" || answer === "edit") {
      state = reviewReducer(state, { type: "open_editor" });
      await options.service.save(state.plan);
      const failed = await openInEditor(path.join(options.root, ".parecode", "plan.md"), options.env);
      if (failed) {
        state = reviewReducer(state, { type: "editor_failed", reason: failed });
      } else {
        try {
          const back = await options.service.readBack(state.plan);
          state = reviewReducer(state, { type: "edited", plan: back.plan, changed: back.changed });
          if (back.changed.length > 0) await options.service.save(state.plan);
        } catch (err) {
          state = reviewReducer(state, { type: "editor_failed", reason: (err as Error).message });
        }
      }
      output.write(renderPlan(state.plan, style, options.redact));
      if (state.message) output.write(`${style.dim(escapeControl(state.message))}\n`);
      continue;
    }
    const note = /^a(?:nnotate)?\s*(\d+)?$/.exec(answer);
    if (note) {
      const number = Number(note[1] ?? "1");
      if (number < 1 || number > count()) {
        output.write(`There is no step ${number}; the steps are 1 to ${count()}.\n`);
        continue;
      }
      const text = await ask(options, `Note for step ${number}: `);
      state = [
        { type: "select", index: number - 1 } as const,
        { type: "annotate" } as const,
        { type: "draft", text } as const,
        { type: "commit_note" } as const,
      ].reduce(reviewReducer, state);
      await options.service.save(state.plan);
      if (state.message) output.write(`${style.dim(state.message)}\n`);
      continue;
    }
    output.write(`${style.dim(HELP)}\n`);
  }
}

function ask(options: Pick<ReviewPromptOptions, "input" | "output">, question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: options.input, output: options.output, terminal: false });
    let answered = false;
    options.output.write(question);
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once("close", () => {
      if (!answered) resolve("");
    });
  });
}
