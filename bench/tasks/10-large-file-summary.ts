/**
 * Summarise a 1,500-line file: what it declares and where the function the user cares
 * about starts. The policy reads the file once with read_file's defaults and answers from
 * what that read showed; only when the read shows no outline (the first 150 lines alone)
 * does it need a search as well, as a model would. The read-then-summarise task the
 * outline-first default read is measured by (target ≤ 2,500 input tokens).
 */

import { ledgerSource } from "../fixtures-ledger.js";
import type { BenchTask } from "../task-kit.js";
import { parseSearch } from "../tool-text.js";
import { LEDGER_PATH } from "./07-large-file-question.js";

/** `911 reconcileAccount` or `37 interface ReconcileResult`: one outline line. */
const OUTLINE_LINE = /^\s*(\d+) (?:(class|interface|type|enum|struct|trait|const|module) )?([\w$.]+)$/;

export const largeFileSummary: BenchTask = {
  id: "10-large-file-summary",
  prompt: `Summarise what ${LEDGER_PATH} contains, and say on which line reconcileAccount starts.`,
  files: async () => ({ [LEDGER_PATH]: ledgerSource(), "package.json": '{ "name": "ledger", "private": true }\n' }),
  async agent(model) {
    const read = await model.call("read_file", { path: LEDGER_PATH });
    const outline = read
      .split("\n")
      .map((line) => OUTLINE_LINE.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ line: Number(m[1]), kind: m[2] ?? "function", name: m[3] }));
    let line = outline.find((entry) => entry.name === "reconcileAccount")?.line;
    if (line === undefined) {
      const [hit] = parseSearch(
        await model.call("search", { pattern: "function reconcileAccount\\b", path: LEDGER_PATH }),
      );
      if (!hit) throw new Error("reconcileAccount not found");
      line = hit.line;
    }
    const types = outline.filter((e) => e.kind !== "function").map((e) => e.name);
    const functions = outline.filter((e) => e.kind === "function").length;
    const shape =
      outline.length > 0
        ? `the ledger types (${types.join(", ")}) and ${functions} functions over them`
        : "ledger types and functions over them";
    return `${LEDGER_PATH} declares ${shape}; reconcileAccount starts on line ${line}.`;
  },
  async check({ answer }) {
    const line = ledgerSource()
      .split("\n")
      .findIndex((l) => l.startsWith("export function reconcileAccount"));
    return answer.includes(`line ${line + 1}`) ? [] : [`the answer does not give line ${line + 1}: ${answer}`];
  },
};
