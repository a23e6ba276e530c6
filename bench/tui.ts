/**
 * The interactive UI through a real terminal: the built binary in tmux against the scripted
 * server, every byte it writes captured with pipe-pane. Measures idle memory, bytes written
 * per streamed token with a short and a long session behind it (must not grow with
 * history: finished messages are printed once into the scrollback), and whether any frame
 * while streaming cleared the screen (it must not).
 */
import { execFileSync } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { countTokens } from "../src/context/tokens.js";
import { CLI_PATH, makeTempProject } from "../test/support/cli.js";
import { type RecordedRequest, type ScriptedTurn, startScriptedServer } from "../test/support/scripted-server.js";
import { shellQuote, startTmux, type TmuxSession } from "../test/support/tmux.js";

/** The answer streamed while measuring: Markdown paragraphs, a list and code, ~450 tokens. */
export const MEASURED_ANSWER = [
  "## What changed",
  "The loader now reads the project file after the user file, so a project can tighten the rules but never loosen them without being trusted first.",
  "- `load.ts` validates every key and names the line of a mistake.\n- `resolve.ts` picks the profile in a fixed order.\n- `write.ts` keeps comments by appending blocks instead of rewriting the file.",
  "```ts\nexport function pick(profiles: Profile[], name?: string): Profile | undefined {\n  return profiles.find((p) => p.name === name) ?? profiles[0];\n}\n```",
  "Tests cover a missing file, a file that does not parse, an unknown key with its line number, and a profile whose key comes from the environment.",
  "Nothing else in the codebase parses TOML, so the mapping from snake_case keys to the camelCase types lives in exactly one place and is easy to review.",
  "The next step is to surface these messages in the doctor command, so a broken setup is explained before the first task instead of during it.",
].join("\n\n");

const FILLER = "A finished paragraph of an earlier answer, printed once into the scrollback and never redrawn.";
const CLEAR_SEQUENCES = ["\u001b[2J", "\u001b[3J", "\u001bc"];

export interface StreamMeasurement {
  messages: number;
  bytes: number;
  tokens: number;
  bytesPerToken: number;
  clearedScreen: boolean;
}

function lastTask(request: RecordedRequest): string {
  const messages = request.body.messages as Array<{ role: string; content: string | null }>;
  const text = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  return text.slice(text.lastIndexOf("[Current task]") + 1);
}

/** Answers "fill N" with N short paragraphs (N messages in the chat) and "measure" with the paced answer. */
function policy(request: RecordedRequest): ScriptedTurn {
  const task = lastTask(request);
  const fill = /fill (\d+)/.exec(task);
  if (fill) return { text: Array.from({ length: Number(fill[1]) }, (_, i) => `${i + 1}. ${FILLER}`).join("\n\n") };
  if (task.includes("measure")) return { text: MEASURED_ANSWER, chunkDelayMs: 25 };
  return { text: "ok" };
}

async function withUi<T>(run: (tmux: TmuxSession, log: string) => Promise<T>): Promise<T> {
  const server = await startScriptedServer({ policy });
  const project = await makeTempProject({ "README.md": "# bench\n" });
  const log = path.join(tmpdir(), `parecode-tui-bytes-${process.pid}-${Date.now()}.bin`);
  let tmux: TmuxSession | undefined;
  try {
    await project.writeConfig(
      `[profiles.bench]\nprovider = "openai"\nendpoint = "${server.openaiBaseUrl}"\nmodel = "bench"\napi_key = "k"\ncontext_tokens = 200000\n`,
    );
    tmux = await startTmux({
      command: `${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)}`,
      cwd: project.dir,
      env: { ...project.env, TERM: "xterm-256color" },
      width: 120,
      height: 40,
    });
    tmux.pipeTo(log);
    await tmux.waitFor(/● ready/, 20_000);
    return await run(tmux, log);
  } finally {
    await tmux?.close();
    await server.close();
    await project.cleanup();
    await import("node:fs/promises").then((fs) => fs.rm(log, { force: true }));
  }
}

/** The status bar idle and the stats bar counting `tasks` finished tasks. */
function readyAfter(tasks: number): RegExp {
  return new RegExp(`● ready[^\\n]*\\ntasks ${tasks} ·`);
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => ({ size: 0 }))).size;
}

/** Fills the chat with about `messages` finished messages, then streams MEASURED_ANSWER. */
export async function measureStreaming(messages: number): Promise<StreamMeasurement> {
  return withUi(async (tmux, log) => {
    // Each prompt adds itself, its answer's paragraphs and a result line.
    const perPrompt = 50;
    let added = 0;
    let prompts = 0;
    while (added < messages) {
      const paragraphs = Math.max(1, Math.min(perPrompt, messages - added - 2));
      tmux.send(`fill ${paragraphs}`, { literal: true });
      tmux.send("Enter");
      prompts++;
      added += paragraphs + 2;
      await tmux.waitFor(readyAfter(prompts), 60_000);
    }
    await new Promise((r) => setTimeout(r, 300));
    const before = await sizeOf(log);
    tmux.send("measure", { literal: true });
    tmux.send("Enter");
    await tmux.waitFor(readyAfter(prompts + 1), 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const bytes = (await readFile(log)).subarray(before);
    const text = bytes.toString("latin1");
    const tokens = await countTokens(MEASURED_ANSWER);
    return {
      messages: added,
      bytes: bytes.length,
      tokens,
      bytesPerToken: bytes.length / tokens,
      clearedScreen: CLEAR_SEQUENCES.some((seq) => text.includes(seq)),
    };
  });
}

/** Resident memory of the UI's node process once it sits idle at the prompt, in MB. */
export async function measureIdleRss(): Promise<number> {
  return withUi(async (tmux) => {
    await new Promise((r) => setTimeout(r, 1_500));
    const shell = tmux.panePid();
    const children = execFileSync("pgrep", ["-P", String(shell)], { encoding: "utf8" })
      .trim()
      .split("\n");
    const node = children.map(Number).find((pid) => {
      try {
        return execFileSync("cat", [`/proc/${pid}/cmdline`], { encoding: "utf8" }).includes("parecode");
      } catch {
        return false;
      }
    });
    if (!node) throw new Error("could not find the UI's process");
    const status = await readFile(`/proc/${node}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return kb / 1024;
  });
}
