import { describe, expect, it } from "vitest";
import { createVerificationTracker } from "./verification.js";

describe("proof of completion", () => {
  it("a passing check after the last edit verifies, a failing one fails, none leaves it unverified", () => {
    const t = createVerificationTracker();
    t.edited(["a.ts"]);
    t.command("npm test", true);
    t.edited(["b.ts"]);
    t.command("npm test", false);
    t.edited(["c.ts"]);
    expect(t.verdict(["a.ts", "b.ts", "c.ts"])).toEqual({
      verification: [
        { file: "a.ts", status: "failed", check: "npm test" },
        { file: "b.ts", status: "failed", check: "npm test" },
        { file: "c.ts", status: "unverified" },
      ],
      proof: "failed",
    });
  });

  it("judges each command by its latest run, and any failing command fails the file", () => {
    const t = createVerificationTracker();
    t.edited(["a.ts"]);
    t.command("npm test", false);
    t.command("npm test", true);
    expect(t.verdict(["a.ts"]).verification[0]).toEqual({ file: "a.ts", status: "verified", check: "npm test" });
    t.hook("tsc --noEmit", "on_edit: tsc --noEmit", false);
    t.hook("npm run lint", "on_task_done: npm run lint", true);
    expect(t.verdict(["a.ts"])).toEqual({
      verification: [{ file: "a.ts", status: "failed", check: "on_edit: tsc --noEmit" }],
      proof: "failed",
    });
  });

  it("a file a command changed counts as changed by the latest command that was not a check", () => {
    const t = createVerificationTracker();
    t.command("sed -i s/a/b/ notes.md", true);
    t.command("npm test", true);
    t.command("touch later.txt", true);
    expect(t.verdict(["notes.md"]).verification[0].status).toBe("unverified");
    t.command("npm test", true);
    expect(t.verdict(["notes.md"])).toEqual({
      verification: [{ file: "notes.md", status: "verified", check: "npm test" }],
      proof: "verified",
    });
    expect(t.verdict([]).proof).toBe("none");
  });
});
