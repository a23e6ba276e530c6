import { describe, expect, it } from "vitest";
import { escapeControl } from "./terminal-text.js";

describe("escapeControl", () => {
  it("turns escape sequences into visible text", () => {
    expect(escapeControl("a\u001b[2Jb\u001b]0;pwned\u0007c")).toBe("a\\x1b[2Jb\\x1b]0;pwned\\x07c");
  });

  it("shows both halves of a line a carriage return would overwrite", () => {
    expect(escapeControl("echo safe\rrm -rf ~")).toBe("echo safe\\rrm -rf ~");
    expect(escapeControl("echo safe\rrm -rf ~", { keepNewlines: true })).toBe("echo safe\\rrm -rf ~");
  });

  it("escapes newlines and tabs unless kept; a kept newline keeps its CRLF form", () => {
    expect(escapeControl("a\nb\tc")).toBe("a\\nb\\tc");
    expect(escapeControl("a\nb\tc", { keepNewlines: true })).toBe("a\nb\\tc");
    expect(escapeControl("a\nb\tc", { keepNewlines: true, keepTabs: true })).toBe("a\nb\tc");
    expect(escapeControl("one\r\ntwo\r", { keepNewlines: true })).toBe("one\r\ntwo\\r");
  });

  it("escapes DEL, C1 controls (the 8-bit CSI) and NUL", () => {
    expect(escapeControl("a\u007fb\u009b31mc\u0000")).toBe("a\\x7fb\\x9b31mc\\x00");
  });

  it("makes bidi overrides and isolates visible so they cannot reorder a command", () => {
    expect(escapeControl("rm \u202eexe.txt")).toBe("rm \\u202eexe.txt");
    expect(escapeControl("a\u2066b\u2069c\u202ad")).toBe("a\\u2066b\\u2069c\\u202ad");
  });

  it("leaves ordinary text, emoji, CJK and accents alone", () => {
    const text = "Grüße — 你好 👋 «ok» ‏";
    expect(escapeControl(text)).toBe(text);
  });
});
