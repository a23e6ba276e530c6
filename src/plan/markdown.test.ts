import { describe, expect, it } from "vitest";
import { applyMarkdownEdits, parsePlanMarkdown, renderPlanMarkdown } from "./markdown.js";
import type { Plan, PlanStep } from "./types.js";

function step(extra: Partial<PlanStep> = {}): PlanStep {
  return {
    description: "Add greet",
    instruction: "Create src/greet.ts exporting greet(name).\nKeep it small.",
    files: ["src/greet.ts"],
    verify: { kind: "file_changed", path: "src/greet.ts" },
    toolBudget: 6,
    category: "quick",
    bash: false,
    approved: true,
    status: "pending",
    ...extra,
  };
}

function plan(steps: PlanStep[]): Plan {
  return {
    version: 1,
    id: "2025-01-02T10-20-30-123Z",
    task: "add a greeting",
    createdAt: "2025-01-02T10:20:30.123Z",
    status: "review",
    steps,
    planner: { model: "m", usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
  };
}

describe("plan.md", () => {
  it("reads back exactly the steps it wrote", () => {
    const steps = [
      step(),
      step({
        description: "Remove logs",
        verify: { kind: "pattern_absent", pattern: "console\\.log", path: "src" },
        category: "standard",
        bash: true,
        annotation: "keep the error logs\nbut only those",
      }),
      step({ verify: { kind: "command_success", command: "npm test -- greet" }, files: [], category: "deep" }),
      step({ verify: { kind: "build_success" }, status: "done", summary: "Step 4 (done): x\n  created a.ts" }),
    ];
    const text = renderPlanMarkdown(plan(steps));
    expect(text).toContain(
      "## Step 2: Remove logs\n- files: src/greet.ts\n- verify: pattern_absent\n- pattern: console\\.log\n- verify path: src\n",
    );
    expect(text).toContain("> Note: keep the error logs\n> but only those");
    expect(text).toContain("> Result: Step 4 (done): x\n>   created a.ts");
    const parsed = parsePlanMarkdown(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.id).toBe("2025-01-02T10-20-30-123Z");
    expect(parsed.steps).toEqual(
      steps.map(({ description, instruction, files, verify, category, toolBudget, bash, annotation }) => {
        const edited = { description, instruction, files, verify, category, toolBudget, bash };
        return annotation ? { ...edited, annotation } : edited;
      }),
    );
  });

  it("applies edits to steps not yet done, adds and removes steps, and names each change", () => {
    const original = plan([step({ status: "done", summary: "s" }), step(), step()]);
    const text = renderPlanMarkdown(original)
      .replace("## Step 1: Add greet", "## Step 1: Renamed after it ran")
      .replace(
        "- tool budget: 6\n- bash: no\n- status: pending\n\nCreate",
        "- tool budget: 9\n- bash: no\n- status: pending\n\nPlease create",
      )
      .replace(/## Step 3:[\s\S]*$/, "## Step 3: New last step\n- files: b.ts\n\nDo b.\n\n> Note: carefully\n");
    const parsed = parsePlanMarkdown(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const { plan: next, changed } = applyMarkdownEdits(original, parsed.steps);
    expect(changed).toEqual(["step 2 edited", "step 3 edited"]);
    expect(next.steps[0].description).toBe("Add greet");
    expect(next.steps[1]).toMatchObject({ toolBudget: 9, approved: true });
    expect(next.steps[1].instruction).toMatch(/^Please create/);
    expect(next.steps[2]).toMatchObject({ description: "New last step", files: ["b.ts"], annotation: "carefully" });

    const shorter = parsePlanMarkdown(renderPlanMarkdown(original).replace(/## Step 3:[\s\S]*$/, ""));
    if (!shorter.ok) throw new Error(shorter.error);
    expect(applyMarkdownEdits(original, shorter.steps).changed).toEqual(["step 3 removed"]);
    const longer = parsePlanMarkdown(`${renderPlanMarkdown(original)}\n## Step 4: More\n\nDo more.\n`);
    if (!longer.ok) throw new Error(longer.error);
    const added = applyMarkdownEdits(original, longer.steps);
    expect(added.changed).toEqual(["step 4 added"]);
    expect(added.plan.steps[3]).toMatchObject({ approved: false, status: "pending", category: "standard" });
  });

  it("says what is wrong with a plan.md it cannot use", () => {
    expect(parsePlanMarkdown("# just notes\n")).toEqual({
      ok: false,
      error: 'plan.md has no "## Step N: title" headings',
    });
    expect(parsePlanMarkdown("## Step 1: x\n- category: huge\n\ndo\n")).toEqual({
      ok: false,
      error: 'step 1 in plan.md: category "huge" is not one of deep, standard, quick, search',
    });
    expect(parsePlanMarkdown("## Step 1: x\n- tool budget: lots\n\ndo\n")).toEqual({
      ok: false,
      error: 'step 1 in plan.md: tool budget must be a whole number of at least 1 (got "lots")',
    });
    expect(parsePlanMarkdown("## Step 1: x\n- verify: command_success\n\ndo\n")).toEqual({
      ok: false,
      error: "step 1: command_success without a command; none (in plan.md)",
    });
  });
});
