/**
 * Reading a piped stdin: to the end as UTF-8, saying once on stderr when an open stdin
 * stays silent (a CI step that leaves stdin open would otherwise look like a hang), and
 * adding what was piped to a task given as an argument, as `codex exec` and `claude -p`
 * do: `cat error.log | parecode "why does this fail?"`.
 */

/** How long an open, silent stdin is waited for before parecode says it is waiting. */
export const STDIN_NOTICE_MS = 2_000;

export interface ReadStdinOptions {
  /** Called once when no data has arrived after `noticeMs`. */
  onWaiting?: () => void;
  noticeMs?: number;
}

export async function readStdin(stream: NodeJS.ReadableStream, options: ReadStdinOptions = {}): Promise<string> {
  const chunks: Buffer[] = [];
  const timer = options.onWaiting ? setTimeout(options.onWaiting, options.noticeMs ?? STDIN_NOTICE_MS) : undefined;
  timer?.unref();
  try {
    for await (const chunk of stream) {
      clearTimeout(timer);
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface PipedTask {
  text: string;
  /** Set when the piped text was cut to fit: characters kept of how many. */
  cut?: { kept: number; total: number };
}

/**
 * The task with the piped text after it as context, cut to `maxChars` (a share of the
 * model's window) with a note saying so. The fence is longer than any backtick run in
 * the text, so the text cannot close it early.
 */
export function withPipedInput(task: string, piped: string, maxChars: number): PipedTask {
  const body = piped.replace(/\s+$/, "");
  if (body.trim() === "") return { text: task };
  const cut = body.length > maxChars ? { kept: maxChars, total: body.length } : undefined;
  const shown = cut ? body.slice(0, maxChars) : body;
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  const note = cut
    ? `\n[stdin was cut to its first ${cut.kept.toLocaleString("en-US")} of ${cut.total.toLocaleString("en-US")} characters]`
    : "";
  return { text: `${task}\n\nInput piped to parecode on stdin:\n${fence}\n${shown}\n${fence}${note}`, cut };
}
