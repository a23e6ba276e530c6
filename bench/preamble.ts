import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildPreamble } from "../src/agent/preamble.js";
import { writeConventions } from "../src/context/init/index.js";
import { countTokens } from "../src/context/tokens.js";
import { commitAll } from "../test/support/git.js";

export interface PreambleSizes {
  /** This repository's own manifests through `parecode init`, plus git status of a dirty tree. */
  typicalTokens: number;
  /** A 20,000-token AGENTS.md and 300 changed files: what the caps hold it to. */
  oversizedTokens: number;
  trimmed: string[];
}

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** Preamble tokens (o200k) for a typical project and for one whose notes would swamp the window. */
export async function measurePreamble(contextTokens = 32_768): Promise<PreambleSizes> {
  const base = await mkdtemp(path.join(tmpdir(), "parecode-preamble-"));
  try {
    const typical = path.join(base, "typical");
    for (const entry of ["package.json", "README.md", "biome.json", "tsconfig.json", "src", "test"]) {
      await cp(path.join(REPO, entry), path.join(typical, entry), { recursive: true });
    }
    commitAll(typical);
    await writeFile(path.join(typical, "README.md"), "# changed\n");
    await writeConventions(typical);
    const typicalPreamble = await buildPreamble({ root: typical, contextTokens });

    const oversized = path.join(base, "oversized");
    await cp(typical, oversized, { recursive: true });
    await rm(path.join(oversized, ".parecode"), { recursive: true, force: true });
    await writeFile(path.join(oversized, "AGENTS.md"), "- Prefer small, well-named functions.\n".repeat(2_500));
    for (let i = 0; i < 300; i++) await writeFile(path.join(oversized, `new-${i}.txt`), "x\n");
    const oversizedPreamble = await buildPreamble({ root: oversized, contextTokens });

    return {
      typicalTokens: await countTokens(typicalPreamble.text),
      oversizedTokens: await countTokens(oversizedPreamble.text),
      trimmed: oversizedPreamble.trimmed,
    };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
