/**
 * What the walker knows about the shell at a point of the line: the directory (as `cd`
 * targets since the start) and the variables the line assigned. Values are immutable:
 * a subshell, pipeline stage or substitution works on a copy and its changes do not
 * leak; branches that may or may not run are joined, and whatever they disagree on
 * becomes unknown.
 */

import type { CwdTrail, ShellWord } from "./shell-types.js";
import type { VariableValue } from "./shell-words.js";

export interface ShellState {
  readonly cwd: CwdTrail;
  /** Variables this line assigned: a static value, or null when it is known only at run time. */
  readonly vars: ReadonlyMap<string, string | null>;
  /** Something ran that may have set any variable (eval, source, a function call): none is known. */
  readonly poisoned: boolean;
}

export const INITIAL_STATE: ShellState = { cwd: [], vars: new Map(), poisoned: false };

export function lookupVariable(state: ShellState, name: string): VariableValue {
  const value = state.vars.get(name);
  if (value === null) return "unknown";
  if (value !== undefined) return { known: value };
  return state.poisoned ? "unknown" : "environment";
}

export function withCd(state: ShellState, target: ShellWord | null): ShellState {
  if (target === null) return { ...state, cwd: null };
  // A target that depends on a variable other than HOME cannot be followed.
  const resolvable = target.segments.every((s) => s.kind !== "dynamic" && (s.kind !== "variable" || s.name === "HOME"));
  if (!resolvable || target.glob) return { ...state, cwd: null };
  // An absolute target (`/x`, `~/x`, `$HOME/x`) does not depend on where the shell was.
  const first = target.segments[0];
  const absolute =
    first?.kind === "tilde" || first?.kind === "variable" || (first?.kind === "text" && first.text.startsWith("/"));
  if (absolute) return { ...state, cwd: [target] };
  if (state.cwd === null) return state;
  return { ...state, cwd: [...state.cwd, target] };
}

export function withVariable(state: ShellState, name: string, value: string | null): ShellState {
  const vars = new Map(state.vars);
  vars.set(name, value);
  return { ...state, vars };
}

/** After something that may change any variable or the directory. */
export function poison(state: ShellState): ShellState {
  return { cwd: null, vars: new Map([...state.vars.keys()].map((k) => [k, null])), poisoned: true };
}

/** The state after one of two paths ran, not knowing which. */
export function join(a: ShellState, b: ShellState): ShellState {
  if (a === b) return a;
  const vars = new Map<string, string | null>();
  for (const name of new Set([...a.vars.keys(), ...b.vars.keys()])) {
    const left = a.vars.get(name);
    const right = b.vars.get(name);
    vars.set(name, left !== undefined && left === right ? left : null);
  }
  return { cwd: sameTrail(a.cwd, b.cwd) ? a.cwd : null, vars, poisoned: a.poisoned || b.poisoned };
}

export function sameState(a: ShellState, b: ShellState): boolean {
  if (a === b) return true;
  if (a.poisoned !== b.poisoned || !sameTrail(a.cwd, b.cwd) || a.vars.size !== b.vars.size) return false;
  for (const [name, value] of a.vars) if (b.vars.get(name) !== value || !b.vars.has(name)) return false;
  return true;
}

function sameTrail(a: CwdTrail, b: CwdTrail): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  return a.every((word, i) => word.text === b[i].text && word.value === b[i].value);
}
