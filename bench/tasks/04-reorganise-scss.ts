/**
 * Reorganise an SCSS file: variables to the top, `.card …` rules nested under `.card`.
 * The policy reads the whole (short) file, rebuilds it from the lines it read and
 * writes it back in one call. The result is compared exactly.
 */
import type { BenchTask } from "../task-kit.js";
import { compareFiles, expectResult, loadFixture } from "../task-kit.js";
import { parseRead } from "../tool-text.js";

const FILE = "styles/card.scss";
const PARENT = ".card";

interface Block {
  selector: string;
  body: string[];
}

export const reorganiseScss: BenchTask = {
  id: "04-reorganise-scss",
  prompt:
    `Reorganise ${FILE}: move every $variable to the top of the file (keep their order), then nest the ` +
    "`.card …` rules (`.card .title`, `.card:hover`, …) inside the `.card` block in their current order, using `&` " +
    "for pseudo-classes, with a blank line between blocks. Change nothing else.",
  files: () => loadFixture("scss-reorganise"),
  async agent(model) {
    const lines = parseRead(await model.call("read_file", { path: FILE })).map((l) => l.text);
    const { variables, blocks } = parse(lines);
    const children = blocks.filter((b) => isChild(b.selector));
    const rendered = blocks
      .filter((b) => !isChild(b.selector))
      .map((b) => (b.selector === PARENT ? renderParent(b, children) : render(b, "")));
    const content = `${[variables.join("\n"), ...rendered].join("\n\n")}\n`;
    expectResult(await model.call("write_file", { path: FILE, content, overwrite: true }), "Replaced ", "write");
    return `Moved ${variables.length} variables to the top and nested ${children.length} rules under ${PARENT}.`;
  },
  check: async ({ dir }) => compareFiles(dir, await loadFixture("scss-reorganise", "expected")),
};

/** Top-level `$name: value;` lines and `selector { … }` blocks (closing brace in column 0). */
function parse(lines: string[]): { variables: string[]; blocks: Block[] } {
  const variables: string[] = [];
  const blocks: Block[] = [];
  let open: Block | undefined;
  for (const line of lines) {
    if (open) {
      if (line === "}") {
        blocks.push(open);
        open = undefined;
      } else open.body.push(line);
    } else if (line.startsWith("$")) variables.push(line);
    else if (line.endsWith("{")) open = { selector: line.slice(0, -1).trim(), body: [] };
  }
  return { variables, blocks };
}

function isChild(selector: string): boolean {
  return selector.startsWith(`${PARENT} `) || selector.startsWith(`${PARENT}:`);
}

function render(block: Block, indent: string): string {
  return [`${indent}${block.selector} {`, ...block.body.map((l) => `${indent}${l}`), `${indent}}`].join("\n");
}

function renderParent(parent: Block, children: Block[]): string {
  const nested = children.map((c) => {
    const rest = c.selector.slice(PARENT.length);
    return render({ selector: rest.startsWith(":") ? `&${rest}` : rest.trim(), body: c.body }, "  ");
  });
  return [`${parent.selector} {`, ...parent.body, ...nested.flatMap((n) => ["", n]), "}"].join("\n");
}
