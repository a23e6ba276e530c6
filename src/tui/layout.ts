/**
 * Rows for each part of the live region. Ink redraws the live region line by line; once
 * it is as tall as the terminal, Ink clears the whole screen on every frame (flicker, and
 * the scrollback above is wiped). So every part gets a bounded share and the total stays
 * below the terminal's height.
 */
import type { UiState } from "./state/types.js";

export interface LayoutRows {
  /** Text rows of the input box (its border adds two). */
  inputText: number;
  /** The slash or @ menu under the input. */
  menu: number;
  /** Whether the stats bar fits. */
  stats: boolean;
  /** What is left for the streaming answer, an approval, a view or the palette. */
  middle: number;
}

export function layoutRows(state: UiState): LayoutRows {
  const compact = state.width < 80;
  const height = Math.max(8, state.height);
  const lines = state.editor.text.split("\n").length;
  const inputCap = compact || height < 20 ? 3 : 8;
  const inputText = Math.min(lines, inputCap);
  const inputRows = inputText + 2 + (lines > inputCap ? 1 : 0);
  const overlay = state.overlay;
  const menuOpen = overlay?.kind === "list" && (overlay.purpose.kind === "slash" || overlay.purpose.kind === "files");
  const menu = menuOpen ? Math.min(overlay.items.length + 1, height < 20 ? 4 : 9) : 0;
  const queueRows =
    state.queue.length === 0
      ? 0
      : Math.min(state.queue.length, compact ? 1 : 3) + (state.queue.length > (compact ? 1 : 3) ? 1 : 0);
  const chipRows =
    state.files.length === 0 ? 0 : Math.ceil((state.files.join("  ").length + 12) / Math.max(20, state.width));
  const stats = height >= 12;
  const fixed = inputRows + menu + queueRows + chipRows + 1 + (stats ? 1 : 0) + (state.hint ? 1 : 0);
  // One spare row: the terminal's last line holds the cursor after a frame.
  const middle = Math.max(2, height - fixed - 2);
  return { inputText, menu, stats, middle };
}
