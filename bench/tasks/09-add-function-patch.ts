/**
 * Add a function and wire it in, in one patch_file call with two hunks: the new
 * function after `mean`, and a new field in `describe`'s result after `median`. The
 * policy reads the file, locates both places in the lines it read, and builds the
 * hunks (with their context lines) from those lines.
 */
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectResult, loadFixture } from "../task-kit.js";
import { buildPatch, parseRead, type ReadLine } from "../tool-text.js";

const FILE = "src/stats.ts";

const VARIANCE = [
  "",
  "/** Population variance: the mean of the squared deviations from the mean; 0 when empty. */",
  "export function variance(values: number[]): number {",
  "  if (values.length === 0) return 0;",
  "  const m = mean(values);",
  "  return mean(values.map((value) => (value - m) ** 2));",
  "}",
];

export const addFunctionPatch: BenchTask = {
  id: "09-add-function-patch",
  prompt:
    `In ${FILE}, add an exported variance(values: number[]): number (population variance, 0 for an empty array) ` +
    "right after mean, and include it as `variance` in describe's result, after median. Use one patch_file call.",
  files: () => loadFixture("add-function"),
  async agent(model) {
    const lines = parseRead(await model.call("read_file", { path: FILE }));
    const meanStart = find(lines, 0, (t) => t.startsWith("export function mean("));
    const meanEnd = find(lines, meanStart, (t) => t === "}");
    const describeStart = find(lines, meanEnd, (t) => t.startsWith("export function describe("));
    const medianField = find(lines, describeStart, (t) => /^\s+median: /.test(t));
    const indent = /^\s*/.exec(lines[medianField].text)?.[0] ?? "    ";
    const patch = buildPatch(lines, [
      { start: lines[meanEnd].line + 1, remove: 0, insert: VARIANCE },
      { start: lines[medianField].line + 1, remove: 0, insert: [`${indent}variance: variance(values),`] },
    ]);
    expectResult(await model.call("patch_file", { path: FILE, patch }), "Patched ", "patch");
    return `Added variance() after mean() in ${FILE} and a variance field in describe(), in one two-hunk patch.`;
  },
  check: async ({ dir }) => compareFiles(dir, await loadFixture("add-function", "expected")),
};

/** Index (into `lines`) of the first line at or after `from` whose text passes `test`. */
function find(lines: ReadLine[], from: number, test: (text: string) => boolean): number {
  const index = lines.findIndex((l, i) => i >= from && test(l.text));
  if (index < 0) throw new Error(`${FILE}: an expected line is missing from what was read`);
  return index;
}
