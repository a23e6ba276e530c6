import { makeTempProject, runCli } from "../test/support/cli.js";
import { LEDGER_LINES, ledgerSource } from "./fixtures-ledger.js";
import { countRequestTokens } from "./request-tokens.js";

/**
 * Context added by one `read_file` with default arguments on a 1,500-line file: the
 * tool result exactly as the model receives it (`parecode tool read_file`), counted
 * as request-tokens.ts counts a tool message.
 */
export async function measureDefaultRead(): Promise<{ lines: number; tokens: number }> {
  const project = await makeTempProject({ "src/ledger.ts": ledgerSource() });
  try {
    const args = JSON.stringify({ path: "src/ledger.ts" });
    const run = await runCli(["tool", "read_file", "--json", args], { cwd: project.dir, env: project.env });
    if (run.code !== 0) throw new Error(`read_file failed: ${run.stderr || run.stdout}`);
    const counted = await countRequestTokens({ messages: [{ role: "tool", content: run.stdout.replace(/\n$/, "") }] });
    return { lines: LEDGER_LINES, tokens: counted.total };
  } finally {
    await project.cleanup();
  }
}
