import { describe, expect, it } from "vitest";
import { parsePlannerReply, readVerify } from "./parse-plan.js";

const step = (extra: Record<string, unknown> = {}) => ({
  description: "Add greet",
  instruction: "Create src/greet.ts exporting greet(name).",
  files: ["src/greet.ts"],
  verify: { kind: "file_changed", path: "src/greet.ts" },
  tool_budget: 6,
  category: "quick",
  bash: false,
  ...extra,
});

describe("parsePlannerReply", () => {
  it("reads a well-formed plan", () => {
    const parsed = parsePlannerReply(JSON.stringify({ steps: [step()] }));
    expect(parsed).toEqual({
      ok: true,
      warnings: [],
      steps: [
        {
          description: "Add greet",
          instruction: "Create src/greet.ts exporting greet(name).",
          files: ["src/greet.ts"],
          verify: { kind: "file_changed", path: "src/greet.ts" },
          toolBudget: 6,
          category: "quick",
          bash: false,
        },
      ],
    });
  });

  it("finds the JSON inside prose and a fence, and repairs trailing commas", () => {
    const reply = `Here is the plan:\n\`\`\`json\n{"steps": [{"title": "Do it", "instructions": "Change x.",},]}\n\`\`\`\nGood luck.`;
    const parsed = parsePlannerReply(reply);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.steps[0]).toMatchObject({ description: "Do it", instruction: "Change x.", files: [] });
  });

  it("skips a stray brace in the prose before the plan", () => {
    const parsed = parsePlannerReply(`I will rename {old} to {new}. ${JSON.stringify({ steps: [step()] })}`);
    expect(parsed.ok && parsed.steps[0].description).toBe("Add greet");
  });

  it("takes defaults where the planner left fields out, and says so for odd ones", () => {
    const parsed = parsePlannerReply(
      '[{"instruction": "Rename a to b in src/x.ts. Then stop.", "category": "huge", "verify": "sometimes"}]',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.steps[0]).toMatchObject({
      description: "Rename a to b in src/x",
      category: "standard",
      toolBudget: 10,
      bash: true,
      verify: { kind: "none" },
    });
    expect(parsed.warnings).toEqual([
      'step 1: category "huge" is not one of deep, standard, quick, search; using standard',
      'step 1: verification "sometimes" is not one of none, file_changed, pattern_absent, command_success, build_success; none',
    ]);
  });

  it("clamps the tool budget and accepts files as a comma list", () => {
    const parsed = parsePlannerReply(JSON.stringify({ steps: [step({ tool_budget: 500, files: "a.ts, b.ts" })] }));
    expect(parsed.ok && parsed.steps[0]).toMatchObject({ toolBudget: 30, files: ["a.ts", "b.ts"] });
  });

  it("reports what is wrong in words the model can act on", () => {
    expect(parsePlannerReply("I would start by reading the code.")).toEqual({
      ok: false,
      error: "the reply holds no JSON object with a steps list",
    });
    expect(parsePlannerReply('{"plan": "do it"}')).toEqual({ ok: false, error: 'the JSON has no "steps" list' });
    expect(parsePlannerReply('{"steps": []}')).toEqual({ ok: false, error: "the plan has no steps" });
    expect(parsePlannerReply('{"steps": [{"files": ["a"]}]}')).toEqual({
      ok: false,
      error: "step 1 has no instruction",
    });
    const many = JSON.stringify({ steps: Array.from({ length: 13 }, () => step()) });
    expect(parsePlannerReply(many)).toEqual({
      ok: false,
      error: "the plan has 13 steps; write at most 12, merging small ones",
    });
    const bad = parsePlannerReply('{"steps": [{"instruction": "x" "files": }');
    expect(bad.ok).toBe(false);
  });
});

describe("readVerify", () => {
  it("reads every kind from an object or a short string", () => {
    const warnings: string[] = [];
    expect(readVerify("build_success", 1, warnings)).toEqual({ kind: "build_success" });
    expect(readVerify("command_success: npm test", 1, warnings)).toEqual({
      kind: "command_success",
      command: "npm test",
    });
    expect(readVerify("file_changed src/a.ts", 1, warnings)).toEqual({ kind: "file_changed", path: "src/a.ts" });
    expect(readVerify('pattern_absent "console.log"', 1, warnings)).toEqual({
      kind: "pattern_absent",
      pattern: "console.log",
    });
    expect(readVerify({ type: "pattern-absent", pattern: "TODO", path: "src" }, 1, warnings)).toEqual({
      kind: "pattern_absent",
      pattern: "TODO",
      path: "src",
    });
    expect(readVerify(undefined, 1, warnings)).toEqual({ kind: "none" });
    expect(warnings).toEqual([]);
    expect(readVerify({ kind: "command_success" }, 2, warnings)).toEqual({ kind: "none" });
    expect(warnings).toEqual(["step 2: command_success without a command; none"]);
  });
});
