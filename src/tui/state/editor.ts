/**
 * The input box as a value: text with newlines and a cursor (a UTF-16 index that never
 * sits inside a surrogate pair). Every edit is a pure function, so the reducer and its
 * tests need no terminal.
 */

export interface EditorState {
  text: string;
  cursor: number;
}

export const EMPTY_EDITOR: EditorState = { text: "", cursor: 0 };

export function editorOf(text: string): EditorState {
  return { text, cursor: text.length };
}

export function insertText(state: EditorState, text: string): EditorState {
  return {
    text: state.text.slice(0, state.cursor) + text + state.text.slice(state.cursor),
    cursor: state.cursor + text.length,
  };
}

/** Index of the code point before `index`. */
function prevIndex(text: string, index: number): number {
  if (index <= 0) return 0;
  const code = text.charCodeAt(index - 1);
  if (index >= 2 && code >= 0xdc00 && code <= 0xdfff) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return index - 2;
  }
  return index - 1;
}

function nextIndex(text: string, index: number): number {
  if (index >= text.length) return text.length;
  const code = text.charCodeAt(index);
  if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) return index + 2;
  return index + 1;
}

export function moveLeft(state: EditorState): EditorState {
  return { ...state, cursor: prevIndex(state.text, state.cursor) };
}

export function moveRight(state: EditorState): EditorState {
  return { ...state, cursor: nextIndex(state.text, state.cursor) };
}

const WORD = /[\p{L}\p{N}_]/u;

export function wordLeft(state: EditorState): EditorState {
  let i = state.cursor;
  while (i > 0 && !WORD.test(state.text[i - 1])) i--;
  while (i > 0 && WORD.test(state.text[i - 1])) i--;
  return { ...state, cursor: i };
}

export function wordRight(state: EditorState): EditorState {
  let i = state.cursor;
  const n = state.text.length;
  while (i < n && !WORD.test(state.text[i])) i++;
  while (i < n && WORD.test(state.text[i])) i++;
  return { ...state, cursor: i };
}

function lineStartOf(text: string, cursor: number): number {
  return text.lastIndexOf("\n", cursor - 1) + 1;
}

function lineEndOf(text: string, cursor: number): number {
  const end = text.indexOf("\n", cursor);
  return end < 0 ? text.length : end;
}

export function lineStart(state: EditorState): EditorState {
  return { ...state, cursor: lineStartOf(state.text, state.cursor) };
}

export function lineEnd(state: EditorState): EditorState {
  return { ...state, cursor: lineEndOf(state.text, state.cursor) };
}

export function deleteBack(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const from = prevIndex(state.text, state.cursor);
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const to = nextIndex(state.text, state.cursor);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

export function deleteWord(state: EditorState): EditorState {
  const { cursor: from } = wordLeft(state);
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

export function killLineStart(state: EditorState): EditorState {
  const from = lineStartOf(state.text, state.cursor);
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

export function killLineEnd(state: EditorState): EditorState {
  const to = lineEndOf(state.text, state.cursor);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

/** Row and column (in UTF-16 units) of the cursor. */
export function cursorRowCol(state: EditorState): { row: number; col: number } {
  const before = state.text.slice(0, state.cursor);
  const row = before.split("\n").length - 1;
  return { row, col: state.cursor - lineStartOf(state.text, state.cursor) };
}

/** Moves up or down one line keeping the column; undefined when already on the first/last line. */
export function moveVertical(state: EditorState, delta: -1 | 1): EditorState | undefined {
  const lines = state.text.split("\n");
  const { row, col } = cursorRowCol(state);
  const target = row + delta;
  if (target < 0 || target >= lines.length) return undefined;
  let offset = 0;
  for (let i = 0; i < target; i++) offset += lines[i].length + 1;
  return { ...state, cursor: offset + Math.min(col, lines[target].length) };
}
