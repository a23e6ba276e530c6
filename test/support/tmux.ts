/**
 * Drives a real terminal: a program started in a detached tmux session, keys sent with
 * send-keys, the screen read with capture-pane — the way a person would use it. Each
 * session gets its own tmux server socket, so tests never touch a developer's tmux.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TmuxSession {
  /** Sends keys as tmux names them ("y", "Enter", "Escape", "C-c") or literal text with `literal`. */
  send(keys: string, options?: { literal?: boolean }): void;
  /** The visible screen as text (no colours). */
  screen(): string;
  /** Waits until the screen matches; throws with the last screen when it does not in time. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  resize(width: number, height: number): void;
  /** Appends every byte the program writes to the terminal to `file` (tmux pipe-pane). */
  pipeTo(file: string): void;
  /** The pid of the shell tmux started (the program runs as its child). */
  panePid(): number;
  /** Ends the session and its program. */
  close(): Promise<void>;
}

export interface TmuxOptions {
  /** The command line to run, already quoted for sh. */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  width?: number;
  height?: number;
}

export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function startTmux(options: TmuxOptions): Promise<TmuxSession> {
  const dir = await mkdtemp(path.join(tmpdir(), "parecode-tmux-"));
  const socket = path.join(dir, "sock");
  const script = path.join(dir, "run.sh");
  // The program runs with exactly the given environment; its exit code is printed after it.
  const exports = Object.entries(options.env)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `export ${key}=${shellQuote(value as string)}`)
    .join("\n");
  await writeFile(
    script,
    `#!/bin/sh\n${exports}\ncd ${shellQuote(options.cwd)}\n${options.command}\necho "[exit $?]"\nsleep 600\n`,
    { mode: 0o755 },
  );
  const tmux = (...args: string[]) =>
    execFileSync("tmux", ["-S", socket, ...args], { encoding: "utf8", env: { ...process.env, TMUX: "" } });
  tmux(
    "new-session",
    "-d",
    "-s",
    "t",
    "-x",
    String(options.width ?? 120),
    "-y",
    String(options.height ?? 40),
    `sh ${shellQuote(script)}`,
  );
  const screen = () => tmux("capture-pane", "-p", "-t", "t");
  return {
    send(keys, opts = {}) {
      tmux("send-keys", "-t", "t", ...(opts.literal ? ["-l", keys] : [keys]));
    },
    screen,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      for (;;) {
        last = screen();
        if (pattern.test(last)) return last;
        if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${last}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    resize(width, height) {
      tmux("resize-window", "-t", "t", "-x", String(width), "-y", String(height));
    },
    pipeTo(file) {
      tmux("pipe-pane", "-o", "-t", "t", `cat >> ${shellQuote(file)}`);
    },
    panePid() {
      return Number(tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").trim());
    },
    async close() {
      try {
        tmux("kill-server");
      } catch {
        // Already gone.
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
