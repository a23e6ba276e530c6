/**
 * Remove every console.log call from src/ (four files, some calls sharing a line with
 * code that stays, two identical lines in one file, one outside src/ that stays).
 * The policy searches, reads only the span of hits in each file, edits bottom-up with
 * anchors (so earlier line numbers stay valid), and searches again to confirm.
 */
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectAll, loadFixture } from "../task-kit.js";
import { byFile, noMatches, parseRead, parseSearch } from "../tool-text.js";

/** A console.log(...) call with its ";", arguments with at most one level of parentheses. */
const CALL = /\s*console\.log\((?:[^()]|\([^()]*\))*\);?/;

export const removeConsoleLogs: BenchTask = {
  id: "02-remove-console-logs",
  prompt: "Remove all console.log calls from src/. Keep everything else as it is.",
  files: () => loadFixture("console-logs"),
  async agent(model) {
    const files = byFile(parseSearch(await model.call("search", { pattern: "console\\.log\\(", path: "src" })));
    const reads = await model.calls(
      [...files].map(([file, hits]) => ({
        name: "read_file",
        args: { path: file, line_range: [hits[0].line, hits[hits.length - 1].line] },
      })),
    );
    const edits = [...files.keys()].flatMap((file, i) => {
      const lines = parseRead(reads[i]).filter((l) => CALL.test(l.text));
      return lines.reverse().map((l) => {
        const rest = l.text.replace(CALL, "");
        // A line that was only the call goes, newline and all; otherwise the call is cut out.
        const whole = rest.trim() === "";
        return {
          name: "edit_file",
          args: { path: file, old_str: whole ? `${l.text}\n` : l.text, new_str: whole ? "" : rest, anchor: l.anchor },
        };
      });
    });
    expectAll(await model.calls(edits), "Edited ", "edit");
    const left = await model.call("search", { pattern: "console\\.log\\(", path: "src" });
    if (!noMatches(left)) throw new Error(`console.log calls remain:\n${left}`);
    return `Removed ${edits.length} console.log calls from ${files.size} files in src/; none remain.`;
  },
  check: async ({ dir }) => compareFiles(dir, await loadFixture("console-logs", "expected")),
};
