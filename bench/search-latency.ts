import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSearchTool } from "../src/tools/search.js";

export interface SearchLatency {
  /** Files in the tree that the search sees (ignored ones excluded). */
  files: number;
  rgMs: number;
  fallbackMs: number;
}

const DIRS = 200;
const FILES_PER_DIR = 105;

/**
 * Builds a temporary tree of 21,000 small searchable files (plus an ignored folder) and
 * times one whole-project search with ripgrep and with the JS fallback, median of 3 each.
 */
export async function measureSearchLatency(): Promise<SearchLatency> {
  const root = await mkdtemp(path.join(tmpdir(), "parecode-search-bench-"));
  try {
    await writeFile(path.join(root, ".gitignore"), "ignored/\n*.log\n");
    for (let d = 0; d < DIRS; d += 1) {
      const dir = path.join(root, "src", `pkg${d}`);
      await mkdir(dir, { recursive: true });
      await Promise.all(
        Array.from({ length: FILES_PER_DIR }, (_, f) =>
          writeFile(
            path.join(dir, `file${f}.ts`),
            `export const value${f} = ${f};\n// ${f % 97 === 0 ? "needle" : "hay"} ${d}\nexport function f${f}() { return value${f}; }\n`,
          ),
        ),
      );
    }
    await mkdir(path.join(root, "ignored"), { recursive: true });
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => writeFile(path.join(root, "ignored", `x${i}.ts`), "needle\n")),
    );
    const time = async (forceFallback: boolean) => {
      const tool = createSearchTool({ root, forceFallback });
      const runs: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        await tool.execute(
          { pattern: "needle \\d+" },
          { signal: new AbortController().signal, callId: "bench", turn: 1 },
        );
        runs.push(performance.now() - started);
      }
      return runs.sort((a, b) => a - b)[1];
    };
    const rgMs = await time(false);
    const fallbackMs = await time(true);
    return { files: DIRS * FILES_PER_DIR + 1, rgMs: Math.round(rgMs), fallbackMs: Math.round(fallbackMs) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
