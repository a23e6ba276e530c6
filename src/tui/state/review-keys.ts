/**
 * The plan review's keys, as data: which review action (src/plan/review.ts) a key means,
 * or which request the front end carries out (open plan.md in the editor, read it back). While
 * a note is being typed every printable key is text; Enter keeps the note, Esc drops it.
 */
import type { ReviewAction, ReviewState } from "../../plan/index.js";

export type ReviewKeyResult =
  | { kind: "action"; action: ReviewAction }
  /** `r`: read .parecode/plan.md back into the plan. */
  | { kind: "read-back" }
  /** `E`: open .parecode/plan.md in $VISUAL/$EDITOR, then read it back. */
  | { kind: "edit" }
  | { kind: "none" };

/** The keys the review answers to, for its help lines. */
export const REVIEW_HELP: readonly string[] = [
  "↑↓ move",
  "a approve",
  "A approve all",
  "e note",
  "E edit in $EDITOR",
  "r re-read plan.md",
  "Enter run",
  "Esc cancel",
];
export const NOTE_HELP: readonly string[] = ["type the note", "Enter keeps it (empty removes it)", "Esc drops it"];

const PAGE = 5;

/**
 * `key` is a key id as the bindings table names them ("up", "enter", "escape", "backspace",
 * "ctrl+u"); typed characters arrive as key "text" with `text`, a paste as "paste".
 */
export function reviewKey(review: ReviewState, key: string, text = ""): ReviewKeyResult {
  const act = (action: ReviewAction): ReviewKeyResult => ({ kind: "action", action });
  if (review.draft !== undefined) {
    switch (key) {
      case "enter":
        return act({ type: "commit_note" });
      case "escape":
      case "ctrl+c":
        return act({ type: "discard_note" });
      case "backspace":
        return act({ type: "draft", text: Array.from(review.draft).slice(0, -1).join("") });
      case "ctrl+u":
        return act({ type: "draft", text: "" });
      case "ctrl+w":
        return act({ type: "draft", text: review.draft.replace(/\S+\s*$/, "") });
      case "text":
      case "paste":
        return act({ type: "draft", text: review.draft + text.replace(/\s*\n\s*/g, " ") });
      default:
        return { kind: "none" };
    }
  }
  switch (key) {
    case "up":
      return act({ type: "move", by: -1 });
    case "down":
      return act({ type: "move", by: 1 });
    case "pageup":
      return act({ type: "move", by: -PAGE });
    case "pagedown":
      return act({ type: "move", by: PAGE });
    case "home":
      return act({ type: "select", index: 0 });
    case "end":
      return act({ type: "select", index: review.plan.steps.length - 1 });
    case "enter":
      return act({ type: "run" });
    case "escape":
    case "ctrl+c":
      return act({ type: "cancel" });
    case "text":
      break;
    default:
      return { kind: "none" };
  }
  switch (text) {
    case "a":
    case " ":
      return act({ type: "toggle_approve" });
    case "A":
      return act({ type: "approve_all" });
    case "e":
      return act({ type: "annotate" });
    case "E":
      return { kind: "edit" };
    case "r":
      return { kind: "read-back" };
    default:
      return { kind: "none" };
  }
}
