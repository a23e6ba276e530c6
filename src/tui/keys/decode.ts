/**
 * Raw terminal input → key presses. Ink splits what it reads into text runs and single
 * escape sequences; this turns those into the keys the UI acts on. Written by hand
 * because the distinctions matter here and Ink's `useInput` hides them: Enter (`\r`)
 * versus Ctrl+J (`\n`), Shift+Enter in its three encodings (kitty `CSI 13;2u`, xterm
 * `CSI 27;2;13~`, and `ESC CR` which many terminals send for it), bracketed paste, and a
 * typed line arriving in one chunk with its Enter (`text\r`), which must still submit.
 */

export type KeyName =
  | "char"
  | "paste"
  | "enter"
  | "newline"
  | "backspace"
  | "delete"
  | "tab"
  | "escape"
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "pageup"
  | "pagedown";

export interface KeyPress {
  name: KeyName;
  /** The typed text for "char" (one or more characters) and "paste"; the letter for Ctrl/Alt chords. */
  text?: string;
  ctrl?: boolean;
  alt?: boolean;
  shift?: boolean;
}

export interface KeyDecoder {
  /** One input event as Ink emits it (a text run or one escape sequence). */
  push(raw: string): KeyPress[];
}

const PASTE_START = "\u001b[200~";
const PASTE_END = "\u001b[201~";

export function createKeyDecoder(): KeyDecoder {
  let pasting: string | null = null;
  return {
    push(raw) {
      const out: KeyPress[] = [];
      let rest = raw;
      while (rest !== "") {
        if (pasting !== null) {
          const end = rest.indexOf(PASTE_END);
          if (end < 0) {
            pasting += rest;
            return out;
          }
          pasting += rest.slice(0, end);
          out.push({ name: "paste", text: normalisePaste(pasting) });
          pasting = null;
          rest = rest.slice(end + PASTE_END.length);
          continue;
        }
        const start = rest.indexOf(PASTE_START);
        if (start < 0) {
          out.push(...decodeChunk(rest));
          return out;
        }
        out.push(...decodeChunk(rest.slice(0, start)));
        pasting = "";
        rest = rest.slice(start + PASTE_START.length);
      }
      return out;
    },
  };
}

function normalisePaste(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * Escape sequences and the text between them. Ink already splits its input this way, but
 * a test or a terminal may hand over several at once.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const SEQUENCE = /\u001b(?:\u001b?\[[\d;:]*[A-Za-z~]|\u001b?O[A-Za-z]|[\s\S])?/g;

/** A chunk with no paste markers: escape sequences and text with control characters in it. */
export function decodeChunk(chunk: string): KeyPress[] {
  const out: KeyPress[] = [];
  let last = 0;
  for (const match of chunk.matchAll(SEQUENCE)) {
    out.push(...decodeText(chunk.slice(last, match.index)));
    out.push(decodeEscape(match[0]));
    last = match.index + match[0].length;
  }
  out.push(...decodeText(chunk.slice(last)));
  return out;
}

function decodeText(chunk: string): KeyPress[] {
  if (chunk === "") return [];
  const out: KeyPress[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") out.push({ name: "char", text });
    text = "";
  };
  for (const ch of chunk) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f) {
      text += ch;
      continue;
    }
    flush();
    out.push(controlKey(code));
  }
  flush();
  return out;
}

function controlKey(code: number): KeyPress {
  if (code === 0x0d) return { name: "enter" };
  if (code === 0x0a) return { name: "newline", ctrl: true, text: "j" };
  if (code === 0x09) return { name: "tab" };
  if (code === 0x7f || code === 0x08) return { name: "backspace" };
  if (code === 0x1b) return { name: "escape" };
  if (code === 0) return { name: "char", ctrl: true, text: " " };
  if (code < 0x20) return { name: "char", ctrl: true, text: String.fromCharCode(code + 0x60) };
  return { name: "char", text: String.fromCodePoint(code) };
}

const CSI_TILDE: Record<string, KeyName> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "3": "delete",
  "5": "pageup",
  "6": "pagedown",
};

const CSI_LETTER: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};

function withModifiers(key: KeyPress, modifier: number | undefined): KeyPress {
  if (modifier === undefined || modifier <= 1) return key;
  const bits = modifier - 1;
  const out = { ...key };
  if (bits & 1) out.shift = true;
  if (bits & 2) out.alt = true;
  if (bits & 4) out.ctrl = true;
  return out;
}

function decodeEscape(seq: string): KeyPress {
  if (seq === "\u001b" || seq === "\u001b\u001b") return { name: "escape" };
  if (seq === "\u001b\r") return { name: "enter", alt: true };
  if (seq === "\u001b\n") return { name: "newline", alt: true };
  if (seq === "\u001b\u007f" || seq === "\u001b\b") return { name: "backspace", alt: true };
  if (seq === "\u001b[Z") return { name: "tab", shift: true };
  // ESC ESC [A and friends: Alt with a navigation key.
  if (seq.startsWith("\u001b\u001b")) return { ...decodeEscape(seq.slice(1)), alt: true };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
  const csi = /^\u001b\[([\d;:]*)([A-Za-z~])$/.exec(seq);
  if (csi) return decodeCsi(csi[1], csi[2]);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
  const ss3 = /^\u001bO([A-Za-z])$/.exec(seq);
  if (ss3) {
    const name = CSI_LETTER[ss3[1]];
    return name ? { name } : { name: "char", text: "" };
  }
  // ESC + a character: Alt+char (Alt+B, Alt+F word moves; Alt+Enter handled above).
  const rest = seq.slice(1);
  if (Array.from(rest).length === 1) return { name: "char", text: rest, alt: true };
  return { name: "char", text: "" };
}

function decodeCsi(params: string, final: string): KeyPress {
  const parts = params.split(";").map((p) => p.split(":")[0]);
  const modifier = parts[1] === undefined || parts[1] === "" ? undefined : Number(parts[1]);
  if (final === "~") {
    // xterm modifyOtherKeys: CSI 27 ; mod ; code ~
    if (parts[0] === "27" && parts[2] !== undefined) return withModifiers(fromCodePoint(Number(parts[2])), modifier);
    const name = CSI_TILDE[parts[0] ?? ""];
    return name ? withModifiers({ name }, modifier) : { name: "char", text: "" };
  }
  if (final === "u") return withModifiers(fromCodePoint(Number(parts[0])), modifier);
  const name = CSI_LETTER[final];
  return name ? withModifiers({ name }, modifier) : { name: "char", text: "" };
}

/** The key a kitty / modifyOtherKeys code point stands for. */
function fromCodePoint(code: number): KeyPress {
  if (!Number.isFinite(code)) return { name: "char", text: "" };
  if (code === 13) return { name: "enter" };
  if (code === 9) return { name: "tab" };
  if (code === 127 || code === 8) return { name: "backspace" };
  if (code === 27) return { name: "escape" };
  if (code === 10) return { name: "newline" };
  if (code < 0x20) return controlKey(code);
  return { name: "char", text: String.fromCodePoint(code) };
}

/** A stable name for a key press, as the bindings table writes it: "ctrl+c", "shift+enter", "up". */
export function keyId(key: KeyPress): string {
  const mods = `${key.ctrl ? "ctrl+" : ""}${key.alt ? "alt+" : ""}${key.shift ? "shift+" : ""}`;
  if (key.name === "char") return mods === "" ? "text" : `${mods}${(key.text ?? "").toLowerCase()}`;
  if (key.name === "newline" && key.ctrl && !key.alt) return "ctrl+j";
  return `${mods}${key.name}`;
}
