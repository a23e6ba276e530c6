/** A one-line question a model answers from knowledge: no tool call, one request. */
import type { BenchTask } from "../task-kit.js";
import { loadFixture } from "../task-kit.js";

export const oneLineQuestion: BenchTask = {
  id: "01-one-line-question",
  prompt: "In one line: what does the JavaScript expression [1, 2, 3].at(-1) evaluate to?",
  files: () => loadFixture("tiny"),
  agent: async () => "It evaluates to 3: at(-1) returns the last element.",
  check: async ({ answer }) => (/\b3\b/.test(answer) ? [] : [`the answer does not say 3: ${answer}`]),
};
