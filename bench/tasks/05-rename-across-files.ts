/**
 * Rename an exported function used across six files (definition, re-export, imports,
 * calls, a test), leaving the similarly named `formatPriceRange` alone. Search shows
 * each whole line, so the policy edits straight from the hits (old_str is the line as
 * search printed it) and searches again to confirm nothing is left.
 */
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectAll, loadFixture } from "../task-kit.js";
import { noMatches, parseSearch } from "../tool-text.js";

const PATTERN = "\\bformatPrice\\b";

export const renameAcrossFiles: BenchTask = {
  id: "05-rename-across-files",
  prompt:
    "Rename the function formatPrice to formatMoney everywhere in the project (definition, imports, exports, calls, " +
    "tests). Do not rename formatPriceRange.",
  files: () => loadFixture("rename-across"),
  async agent(model) {
    const hits = parseSearch(await model.call("search", { pattern: PATTERN }));
    const edits = hits.map((hit) => ({
      name: "edit_file",
      args: { path: hit.path, old_str: hit.text, new_str: hit.text.replace(new RegExp(PATTERN, "g"), "formatMoney") },
    }));
    expectAll(await model.calls(edits), "Edited ", "edit");
    const left = await model.call("search", { pattern: PATTERN });
    if (!noMatches(left)) throw new Error(`formatPrice is still used:\n${left}`);
    const files = new Set(hits.map((h) => h.path));
    return `Renamed formatPrice to formatMoney: ${hits.length} lines in ${files.size} files; no uses of the old name remain.`;
  },
  check: async ({ dir }) => compareFiles(dir, await loadFixture("rename-across", "expected")),
};
