/**
 * Fix a failing test: the policy runs the tests, reads the failing assertion at the
 * location the runner printed, finds the function under test with search, reads it,
 * fixes the boundary comparison the doc comment contradicts, and re-runs the tests.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectResult, loadFixture } from "../task-kit.js";
import { firstFileLocation, parseRead, parseSearch } from "../tool-text.js";

const TEST = "node --test";

export const fixFailingTest: BenchTask = {
  id: "06-fix-failing-test",
  prompt: "The tests fail (run them with `node --test`). Find the bug in src/ and fix it so they pass.",
  files: () => loadFixture("failing-test"),
  async agent(model) {
    const run = await model.call("bash", { command: TEST });
    // TAP ("not ok 2 - name", Node 20 off a TTY) or spec ("✖ name (1.2ms)", newer Node).
    const failed = /^(?:not ok \d+ - (.+)|✖ (.+?)(?: \([\d.]+m?s\))?)$/m.exec(run);
    const name = failed?.[1] ?? failed?.[2];
    const where = failed && firstFileLocation(run.slice(failed.index));
    if (!name || !where) throw new Error(`no failing test found in:\n${run.slice(0, 400)}`);

    const testLines = parseRead(
      await model.call("read_file", { path: where.path, line_range: [where.line, where.line + 2] }),
    );
    const fn = testLines.map((l) => /assert\.\w+\((\w+)\(/.exec(l.text)?.[1]).find(Boolean);
    if (!fn) throw new Error(`no call under test near ${where.path}:${where.line}`);
    const [def] = parseSearch(await model.call("search", { pattern: `function ${fn}\\b`, path: "src" }));
    if (!def) throw new Error(`${fn} is not defined in src/`);

    const body = parseRead(
      await model.call("read_file", { path: def.path, line_range: [Math.max(1, def.line - 1), def.line + 5] }),
    );
    // "… or more" in the doc and a failing "exactly the minimum" test: the comparison must be inclusive.
    const strict = body.find((l) => /\b\w+ > [A-Z_]+\b/.test(l.text));
    if (!strict) throw new Error(`no strict comparison in ${fn}`);
    const fixed = strict.text.replace(/ > ([A-Z_]+)\b/, " >= $1");
    expectResult(
      await model.call("edit_file", { path: def.path, old_str: strict.text, new_str: fixed, anchor: strict.anchor }),
      "Edited ",
      "fix",
    );
    const rerun = await model.call("bash", { command: TEST });
    if (!/^(?:# |ℹ )fail 0$/m.test(rerun)) throw new Error(`tests still fail:\n${rerun.slice(0, 400)}`);
    return `Fixed ${fn} in ${def.path}: orders of exactly the minimum now ship free (> became >=). "${name}" passes; all tests pass.`;
  },
  async check({ dir }) {
    const problems = await compareFiles(dir, await loadFixture("failing-test", "expected"));
    try {
      await promisify(execFile)(process.execPath, ["--test"], { cwd: dir });
    } catch {
      problems.push("node --test still fails");
    }
    return problems;
  },
};
