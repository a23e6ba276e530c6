/**
 * Read a 40-line file and change one line. The policy reads the file once, picks the
 * line by what it says (the timeout, not the other 5000 in the file) and edits it with
 * its anchor. DESIGN budget: ≤ 3,500 input tokens in all.
 */
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectResult, loadFixture } from "../task-kit.js";
import { parseRead } from "../tool-text.js";

const FILE = "src/config.js";

export const smallFileEdit: BenchTask = {
  id: "08-small-file-edit",
  prompt: `In ${FILE}, raise the default request timeout from 5000 ms to 10000 ms.`,
  files: () => loadFixture("small-edit"),
  async agent(model) {
    const lines = parseRead(await model.call("read_file", { path: FILE }));
    const target = lines.find((l) => /timeout/i.test(l.text) && /\b5000\b/.test(l.text));
    if (!target) throw new Error("no timeout of 5000 in the file");
    const args = {
      path: FILE,
      old_str: target.text,
      new_str: target.text.replace("5000", "10000"),
      anchor: target.anchor,
    };
    expectResult(await model.call("edit_file", args), "Edited ", "edit");
    return `Raised the default request timeout in ${FILE} (line ${target.line}) from 5000 to 10000 ms.`;
  },
  check: async ({ dir }) => compareFiles(dir, await loadFixture("small-edit", "expected")),
};
