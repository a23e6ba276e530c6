/**
 * Which steps may run at once. Static, no model call: a step runs beside the next ones
 * only when none of them may run commands (their side effects are unknowable) and no two
 * list the same file (a later step that reads what an earlier one writes must wait for
 * it). Sequential by default; `parallel_steps` caps a group's size.
 */
import type { PlanStep } from "./types.js";

/** Indices of the steps to run now, starting at `start` (a step not yet done). */
export function nextGroup(steps: readonly PlanStep[], start: number, parallel: number): number[] {
  const group = [start];
  if (parallel <= 1 || !canRunBeside(steps[start])) return group;
  const claimed = new Set(steps[start].files);
  for (let j = start + 1; j < steps.length && group.length < parallel; j++) {
    const step = steps[j];
    if (step.status === "done") continue;
    if (!canRunBeside(step) || step.files.some((file) => claimed.has(file))) break;
    for (const file of step.files) claimed.add(file);
    group.push(j);
  }
  return group;
}

/** No commands, and files declared (a step that names none could touch anything). */
export function canRunBeside(step: PlanStep): boolean {
  return !step.bash && step.files.length > 0;
}

/** Files two or more of the steps changed, with the steps (1-based) that changed each. */
export function writeConflicts(changes: ReadonlyArray<{ step: number; files: readonly string[] }>): {
  files: string[];
  steps: number[];
} {
  const owners = new Map<string, Set<number>>();
  for (const change of changes) {
    for (const file of change.files) owners.set(file, (owners.get(file) ?? new Set()).add(change.step));
  }
  const files: string[] = [];
  const steps = new Set<number>();
  for (const [file, who] of owners) {
    if (who.size < 2) continue;
    files.push(file);
    for (const step of who) steps.add(step);
  }
  return { files: files.sort(), steps: [...steps].sort((a, b) => a - b) };
}
