import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeBytes, encodeText, loadTextFile, parseText, restoreLineEndings, writeFileAtomic } from "./file-io.js";

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), "parecode-io-")));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const utf8 = { encoding: "utf8" as const, bom: false };

describe("text decoding", () => {
  it("detects BOMs and encodings", () => {
    expect(decodeBytes(Buffer.from("\ufeffhi", "utf8"))).toEqual({
      text: "hi",
      encoding: "utf8",
      bom: true,
      lossy: false,
    });
    expect(decodeBytes(Buffer.from("\ufeffhi", "utf16le"))).toMatchObject({
      text: "hi",
      encoding: "utf16le",
      bom: true,
    });
    const be = Buffer.from("\ufeffhi", "utf16le").swap16();
    expect(decodeBytes(be)).toMatchObject({ text: "hi", encoding: "utf16be", bom: true });
  });

  it("calls NUL bytes binary and tolerates a few invalid UTF-8 bytes", () => {
    expect(decodeBytes(Buffer.from([0x61, 0x00, 0x62]))).toBeNull();
    const latin1 = Buffer.concat([Buffer.from("// (c) "), Buffer.from([0xa9]), Buffer.from(" 2020\ncode();\n")]);
    expect(decodeBytes(latin1)).toMatchObject({ lossy: true });
    expect(decodeBytes(Buffer.alloc(200, 0xff))).toBeNull();
  });

  it("splits lines and records endings", () => {
    const f = parseText("a\r\nb\nc", utf8);
    expect(f).toMatchObject({
      lines: ["a", "b", "c"],
      lineEols: ["\r\n", "\n", ""],
      finalNewline: false,
      text: "a\nb\nc",
    });
    expect(parseText("x\r\ny\r\n", utf8)).toMatchObject({ eol: "\r\n", finalNewline: true, text: "x\ny\n" });
    expect(parseText("", utf8)).toMatchObject({ lines: [], finalNewline: false, text: "" });
    expect(parseText("\n", utf8)).toMatchObject({ lines: [""], finalNewline: true, text: "\n" });
  });
});

describe("restoreLineEndings", () => {
  it("keeps untouched lines' endings and the final-newline state", () => {
    const f = parseText("a\r\nb\nc\r\n", utf8);
    expect(restoreLineEndings(f, "a\nB\nc\n")).toBe("a\r\nB\r\nc\r\n");
    expect(restoreLineEndings(f, "a\nb\nc\nd")).toBe("a\r\nb\nc\r\nd\r\n");
    expect(restoreLineEndings(parseText("a\nb", utf8), "a\nb\nc\n")).toBe("a\nb\nc");
    expect(restoreLineEndings(parseText("", utf8), "new\n")).toBe("new\n");
  });

  it("round-trips encodings", () => {
    expect(encodeText("hé", { encoding: "utf8", bom: true })).toEqual(Buffer.from("\ufeffhé", "utf8"));
    expect(encodeText("hé", { encoding: "utf16le", bom: true })).toEqual(Buffer.from("\ufeffhé", "utf16le"));
    expect(decodeBytes(encodeText("hé", { encoding: "utf16be", bom: true }))?.text).toBe("hé");
  });
});

describe("files", () => {
  it("writes atomically, leaving no temp file, and keeps the mode", async () => {
    const file = path.join(dir, "deep", "x.sh");
    await writeFileAtomic(file, "one");
    expect(readFileSync(file, "utf8")).toBe("one");
    const { chmodSync } = await import("node:fs");
    chmodSync(file, 0o750);
    await writeFileAtomic(file, "two");
    expect(statSync(file).mode & 0o777).toBe(0o750);
    expect(readdirSync(path.dirname(file))).toEqual(["x.sh"]);
  });

  it("reports what kind of failure a load was", async () => {
    writeFileSync(path.join(dir, "b.bin"), Buffer.from([0, 1, 2]));
    expect(await loadTextFile(path.join(dir, "nope"), "nope")).toMatchObject({ ok: false, reason: "missing" });
    expect(await loadTextFile(dir, ".")).toMatchObject({ ok: false, reason: "directory" });
    expect(await loadTextFile(path.join(dir, "b.bin"), "b.bin")).toMatchObject({ ok: false, reason: "binary" });
    writeFileSync(path.join(dir, "big"), "x".repeat(100));
    expect(await loadTextFile(path.join(dir, "big"), "big", 50)).toMatchObject({ ok: false, reason: "too_large" });
  });
});
