/**
 * Rename a React prop (`columns` → `allColumns`) in its interface, destructuring, uses
 * and the JSX that passes it, leaving `columnsCount` and another component's own
 * `columns` state alone. The policy searches, reads the hit lines it will change, edits
 * each line with its anchor, and searches again to see only the unrelated hits remain.
 */
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectAll, loadFixture } from "../task-kit.js";
import { byFile, parseRead, parseSearch, type SearchHit } from "../tool-text.js";

const COMPONENT = "src/components/DataTable.tsx";
const WORD = /\bcolumns\b/g;

/** Inside the component every `columns` is the prop; elsewhere only `<DataTable columns=` is. */
const isProp = (path: string, text: string) => path === COMPONENT || /<DataTable\b[^>]*\bcolumns=/.test(text);

export const renameReactProp: BenchTask = {
  id: "03-rename-react-prop",
  prompt:
    "Rename the `columns` prop of DataTable (src/components/DataTable.tsx) to `allColumns`: the props interface, " +
    "the destructuring, every use in the component and every place that passes it. Leave `columnsCount` and other " +
    "components alone.",
  files: () => loadFixture("react-rename"),
  async agent(model) {
    const search = () => model.call("search", { pattern: "\\bcolumns\\b", path: "src" });
    const hits = parseSearch(await search()).filter((h) => isProp(h.path, h.text));
    const files = [...byFile(hits)];
    const reads = await model.calls(
      files.map(([path, fileHits]) => ({ name: "read_file", args: { path, line_range: span(fileHits) } })),
    );
    const edits = files.flatMap(([path, fileHits], i) => {
      const wanted = new Set(fileHits.map((h) => h.line));
      return parseRead(reads[i])
        .filter((l) => wanted.has(l.line))
        .map((l) => ({
          name: "edit_file",
          args: { path, old_str: l.text, new_str: l.text.replace(WORD, "allColumns"), anchor: l.anchor },
        }));
    });
    expectAll(await model.calls(edits), "Edited ", "edit");
    const left = parseSearch(await search()).filter((h) => isProp(h.path, h.text));
    if (left.length > 0) throw new Error(`the prop is still used: ${left.map((h) => `${h.path}:${h.line}`)}`);
    return `Renamed the DataTable prop columns → allColumns in ${edits.length} lines across ${files.length} files.`;
  },
  check: async ({ dir }) => compareFiles(dir, await loadFixture("react-rename", "expected")),
};

function span(hits: SearchHit[]): [number, number] {
  return [hits[0].line, hits[hits.length - 1].line];
}
