import type { BenchTask } from "../task-kit.js";
import { oneLineQuestion } from "./01-one-line-question.js";
import { removeConsoleLogs } from "./02-remove-console-logs.js";
import { renameReactProp } from "./03-rename-react-prop.js";
import { reorganiseScss } from "./04-reorganise-scss.js";
import { renameAcrossFiles } from "./05-rename-across-files.js";
import { fixFailingTest } from "./06-fix-failing-test.js";
import { largeFileQuestion } from "./07-large-file-question.js";
import { smallFileEdit } from "./08-small-file-edit.js";
import { addFunctionPatch } from "./09-add-function-patch.js";
import { largeFileSummary } from "./10-large-file-summary.js";

/** The fixed benchmark tasks, in the order they run and print. */
export const TASKS: BenchTask[] = [
  oneLineQuestion,
  removeConsoleLogs,
  renameReactProp,
  reorganiseScss,
  renameAcrossFiles,
  fixFailingTest,
  largeFileQuestion,
  smallFileEdit,
  addFunctionPatch,
  largeFileSummary,
];
