import { describe, expect, it } from "vitest";
import { createOutputStyle } from "../output-style.js";
import { doctorReport, renderJson, renderPlain } from "./render.js";
import { fail, ok, warn } from "./types.js";

const report = doctorReport([
  ok("config", "valid"),
  warn("config-permissions", "readable by others", "chmod 600 /x"),
  fail("profile:test", "connection refused\u001b[2J", "start the server"),
]);

function tty(): NodeJS.WriteStream {
  return { isTTY: true } as NodeJS.WriteStream;
}

describe("doctor rendering", () => {
  it("colours marks on a terminal, and not with NO_COLOR or TERM=dumb", () => {
    const coloured = renderPlain(report, createOutputStyle(tty(), {}));
    expect(coloured).toContain("\u001b[32m✓\u001b[39m config");
    expect(coloured).toContain("\u001b[33m!\u001b[39m");
    expect(coloured).toContain("\u001b[31m✗\u001b[39m");
    for (const env of [{ NO_COLOR: "" }, { TERM: "dumb" }]) {
      expect(renderPlain(report, createOutputStyle(tty(), env))).not.toContain("\u001b[");
    }
  });

  it("aligns messages after the longest id, escapes control characters and ends with the counts", () => {
    const text = renderPlain(report, createOutputStyle(tty(), { NO_COLOR: "1" }));
    expect(text).toBe(
      [
        "✓ config              valid",
        "! config-permissions  readable by others  → chmod 600 /x",
        "✗ profile:test        connection refused\\x1b[2J  → start the server",
        "",
        "problems found: 1 ok, 1 warning, 1 failed",
        "",
      ].join("\n"),
    );
    expect(renderPlain(doctorReport([ok("a", "b")]), createOutputStyle(tty(), { NO_COLOR: "1" }))).toContain(
      "parecode is ready: 1 ok, 0 warnings, 0 failed",
    );
  });

  it("prints one JSON object with ok false when any check failed, and only the fields that are set", () => {
    const parsed = JSON.parse(renderJson(report));
    expect(parsed.ok).toBe(false);
    expect(parsed.checks[0]).toEqual({ id: "config", status: "ok", message: "valid" });
    expect(JSON.parse(renderJson(doctorReport([ok("a", "b"), warn("c", "d", "e")]))).ok).toBe(true);
  });
});
