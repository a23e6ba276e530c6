import { describe, expect, it } from "vitest";
import { locateKeys } from "./toml-locate.js";

const TEXT = `# comment with [profiles.fake] and key = 1
default_profile = "local" # trailing

[profiles.local]
endpoint = "http://localhost:11434"
notes = """
[profiles.inside_string]
context_tokens = 1
"""
list = [
  "a", # comment
  ["nested"],
]
context_tokens = "lots"

[profiles."my box"]
model = 'x'
quirks.send_strict = "yes"

[profiles]
inline = { endpoint = "http://x", quirks = { stream_usage = 1 } }

[[profiles.local.mcp_servers]]
name = "brave"
`;

describe("locateKeys", () => {
  const loc = locateKeys(TEXT);
  it("finds top-level keys and keys under table headers", () => {
    expect(loc.lineOf(["default_profile"])).toBe(2);
    expect(loc.lineOf(["profiles", "local"])).toBe(4);
    expect(loc.lineOf(["profiles", "local", "endpoint"])).toBe(5);
  });

  it("skips multi-line strings and arrays", () => {
    expect(loc.lineOf(["profiles", "local", "context_tokens"])).toBe(14);
    // Only the real [profiles] header (line 20) defines it, not the text inside the string.
    expect(loc.lineOf(["profiles", "inside_string"])).toBe(20);
  });

  it("handles quoted table names and dotted keys", () => {
    expect(loc.lineOf(["profiles", "my box", "model"])).toBe(17);
    expect(loc.lineOf(["profiles", "my box", "quirks", "send_strict"])).toBe(18);
  });

  it("handles inline tables", () => {
    expect(loc.lineOf(["profiles", "inline", "endpoint"])).toBe(21);
    expect(loc.lineOf(["profiles", "inline", "quirks", "stream_usage"])).toBe(21);
  });

  it("falls back to the nearest written ancestor for a missing key", () => {
    expect(loc.lineOf(["profiles", "my box", "endpoint"])).toBe(16);
    expect(loc.lineOf(["profiles", "local", "mcp_servers", "0", "name"])).toBe(24);
    expect(loc.lineOf(["profiles", "local", "mcp_servers", "0", "url"])).toBe(23);
    expect(loc.lineOf(["nowhere"])).toBeUndefined();
  });

  it("numbers the elements of arrays of tables, with their sub-tables and inline tables", () => {
    const text = `[[mcp_servers]]
name = "a"

[[profiles.local.mcp_servers]]
name = "b"
[profiles.local.mcp_servers.env]
KEY = "1"

[[profiles.local.mcp_servers]]
name = "c"
command = ["x"]
[profiles.local.mcp_servers.env]
KEY = "2"

[[mcp_servers]]
name = "d"
inline = [{ url = "u" }, { url = "v" }]
`;
    const at = locateKeys(text);
    expect(at.lineOf(["mcp_servers", "0", "name"])).toBe(2);
    expect(at.lineOf(["mcp_servers", "1", "name"])).toBe(16);
    expect(at.lineOf(["profiles", "local", "mcp_servers", "0", "name"])).toBe(5);
    expect(at.lineOf(["profiles", "local", "mcp_servers", "0", "env", "KEY"])).toBe(7);
    expect(at.lineOf(["profiles", "local", "mcp_servers", "1"])).toBe(9);
    expect(at.lineOf(["profiles", "local", "mcp_servers", "1", "command"])).toBe(11);
    expect(at.lineOf(["profiles", "local", "mcp_servers", "1", "env", "KEY"])).toBe(13);
    expect(at.lineOf(["mcp_servers", "1", "inline", "1", "url"])).toBe(17);
    expect(at.lineOf(["mcp_servers", "1", "timeout"])).toBe(15);
  });
});
