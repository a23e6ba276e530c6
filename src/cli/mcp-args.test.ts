import { describe, expect, it } from "vitest";
import { UsageError } from "../core/errors.js";
import { parseCli } from "./args.js";

describe("parecode mcp arguments", () => {
  it("reads add with a command after --, keeping the command's own flags", () => {
    expect(
      parseCli([
        "mcp",
        "add",
        "gh",
        "--profile",
        "work",
        "--env",
        "GITHUB_TOKEN=ghp_x",
        "--scope",
        "backend,docs",
        "--timeout",
        "20",
        "--",
        "npx",
        "-y",
        "@modelcontextprotocol/server-github",
        "--verbose",
      ]),
    ).toEqual({
      kind: "mcp",
      action: "add",
      server: {
        name: "gh",
        profile: "work",
        command: ["npx", "-y", "@modelcontextprotocol/server-github", "--verbose"],
        env: { GITHUB_TOKEN: "ghp_x" },
        scope: ["backend", "docs"],
        timeout: 20,
      },
    });
  });

  it("reads add with --url and headers", () => {
    expect(parseCli(["mcp", "add", "docs", "--url", "https://x/mcp", "--header", "Authorization: Bearer t"])).toEqual({
      kind: "mcp",
      action: "add",
      server: { name: "docs", url: "https://x/mcp", headers: { Authorization: "Bearer t" } },
    });
  });

  it("reads the other actions", () => {
    expect(parseCli(["mcp", "list", "--profile", "p"])).toEqual({ kind: "mcp", action: "list", profile: "p" });
    expect(parseCli(["mcp", "tools", "gh"])).toEqual({ kind: "mcp", action: "tools", name: "gh", profile: undefined });
    expect(parseCli(["mcp", "logs", "gh", "--lines", "10"])).toEqual({
      kind: "mcp",
      action: "logs",
      name: "gh",
      lines: 10,
    });
    expect(parseCli(["mcp", "remove", "gh"])).toEqual({
      kind: "mcp",
      action: "remove",
      name: "gh",
      profile: undefined,
    });
    expect(parseCli(["mcp", "serve"])).toEqual({ kind: "mcp", action: "serve", trustProject: false });
    expect(parseCli(["mcp", "serve", "--permission-mode", "read-only", "--trust-project", "--no-sandbox"])).toEqual({
      kind: "mcp",
      action: "serve",
      permissionMode: "read-only",
      trustProject: true,
      sandbox: "off",
    });
    expect(parseCli(["mcp"])).toEqual({ kind: "mcp", action: "help" });
  });

  it("names the fix for mistakes", () => {
    expect(() => parseCli(["mcp", "add", "gh"])).toThrow(/say how to reach the server: -- COMMAND ARGS/);
    expect(() => parseCli(["mcp", "add", "gh", "--url", "u", "--", "x"])).toThrow(/either --url URL or -- COMMAND/);
    expect(() => parseCli(["mcp", "add", "gh", "--env", "NOVALUE", "--", "x"])).toThrow(
      /"NOVALUE" is not --env KEY=VALUE/,
    );
    expect(() => parseCli(["mcp", "tools"])).toThrow(/give the server's name/);
    expect(() => parseCli(["mcp", "logs", "gh", "--lines", "0"])).toThrow(/--lines must be a whole number/);
    expect(() => parseCli(["mcp", "frobnicate"])).toThrow(UsageError);
    expect(() => parseCli(["mcp", "serve", "--permission-mode", "yolo"])).toThrow(/must be one of ask, accept-edits/);
    expect(() => parseCli(["mcp", "serve", "--allow-bash", "--permission-mode", "accept-edits"])).toThrow(
      /--allow-bash means --permission-mode trust, which contradicts --permission-mode accept-edits/,
    );
  });

  it("keeps --allow-writes and --allow-bash as aliases of the modes they amount to", () => {
    const mode = (...flags: string[]) =>
      (parseCli(["mcp", "serve", ...flags]) as { permissionMode?: string }).permissionMode;
    expect(mode("--allow-writes")).toBe("accept-edits");
    expect(mode("--allow-bash")).toBe("trust");
    expect(mode("--allow-writes", "--allow-bash")).toBe("trust");
    expect(mode("--allow-writes", "--permission-mode", "accept-edits")).toBe("accept-edits");
  });
});
