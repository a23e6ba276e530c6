import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { summariseStep, symbolDiff } from "./carry-forward.js";

let root = "";
afterEach(() => rm(root, { recursive: true, force: true }));

async function project(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), "parecode-carry-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}

const AUTH_BEFORE = `export class AuthError extends Error {}

export function login(user: string): boolean {
  return user !== "";
}

export function legacyCheck(): void {}
`;

const AUTH_AFTER = `export class AuthError extends Error {
  code = 401;
}

export function login(user: string): boolean {
  return user !== "";
}

export function validateToken(token: string): boolean {
  return token.length > 10;
}
`;

describe("symbolDiff", () => {
  it("names the top-level declarations added, changed and removed", async () => {
    expect(await symbolDiff("auth.ts", AUTH_BEFORE, AUTH_AFTER)).toEqual({
      added: ["validateToken"],
      changed: ["AuthError"],
      removed: ["legacyCheck"],
    });
  });
});

describe("summariseStep", () => {
  it("lists each changed file with its declarations, in a few lines and the same way every time", async () => {
    await project({ "src/auth.ts": AUTH_AFTER, "src/jwt.ts": "export function sign() {}\nexport const SECRET = 1;\n" });
    const before = new Map<string, string | null>([
      ["src/auth.ts", AUTH_BEFORE],
      ["src/jwt.ts", null],
    ]);
    const input = {
      root,
      number: 2,
      description: "Add token validation",
      changed: ["src/jwt.ts", "src/auth.ts", "notes.txt"],
      before,
      verified: "build passed",
    };
    await writeFile(path.join(root, "notes.txt"), "x\n");
    const summary = await summariseStep(input);
    expect(summary).toBe(
      [
        "Step 2 (done): Add token validation",
        "  modified notes.txt (by a command)",
        "  modified src/auth.ts: added validateToken; changed AuthError; removed legacyCheck",
        "  created src/jwt.ts: sign, SECRET",
        "  verified: build passed",
      ].join("\n"),
    );
    expect(await summariseStep(input)).toBe(summary);
  });

  it("counts files past the first four and says when nothing changed", async () => {
    await project({});
    const many = await summariseStep({
      root,
      number: 1,
      description: "Touch many",
      changed: ["a", "b", "c", "d", "e", "f"],
      before: new Map(),
    });
    expect(many.split("\n")).toHaveLength(6);
    expect(many).toContain("  deleted a");
    expect(many).toContain("  and 2 more files");
    const none = await summariseStep({ root, number: 3, description: "Look", changed: [], before: new Map() });
    expect(none).toBe("Step 3 (done): Look\n  changed no files");
  });
});
