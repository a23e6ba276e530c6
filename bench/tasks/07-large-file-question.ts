/**
 * Answer a question about one function in a 1,500-line file. The policy does not read
 * the file from the top: it searches for the definition, reads that function's range,
 * and answers from the lines it read. DESIGN budget: ≤ 4,000 input tokens in all.
 */
import { ledgerSource } from "../fixtures-ledger.js";
import type { BenchTask } from "../task-kit.js";
import { parseRead, parseSearch } from "../tool-text.js";

export const LEDGER_PATH = "src/ledger.ts";

export const largeFileQuestion: BenchTask = {
  id: "07-large-file-question",
  prompt: `In ${LEDGER_PATH}, what does reconcileAccount return for a frozen account?`,
  files: async () => ({ [LEDGER_PATH]: ledgerSource(), "package.json": '{ "name": "ledger", "private": true }\n' }),
  async agent(model) {
    const [def] = parseSearch(
      await model.call("search", { pattern: "function reconcileAccount\\b", path: LEDGER_PATH }),
    );
    if (!def) throw new Error("reconcileAccount not found");
    const lines = parseRead(
      await model.call("read_file", { path: LEDGER_PATH, line_range: [def.line, def.line + 24] }),
    );
    const guard = lines.findIndex((l) => /\bfrozen\b/.test(l.text));
    const ret = lines.slice(guard).find((l) => /\breturn\b/.test(l.text));
    if (guard < 0 || !ret) throw new Error("no frozen-account branch in the lines read");
    const value = ret.text
      .trim()
      .replace(/^return\s+/, "")
      .replace(/;$/, "");
    return `It returns early, without matching anything: \`${value}\` (${LEDGER_PATH}:${ret.line}).`;
  },
  async check({ answer }) {
    const ok = /status: "skipped"/.test(answer) && /"account-frozen"/.test(answer) && /matched: 0/.test(answer);
    return ok ? [] : [`the answer misses the returned value: ${answer}`];
  },
};
