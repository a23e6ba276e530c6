/**
 * Opening a file in the person's own editor ($VISUAL, else $EDITOR) and waiting for it.
 * The setting may carry its own arguments ("code --wait", "emacs -nw"), so it runs through
 * the shell with the path quoted. Both forms resolve to why the edit did not happen, or
 * undefined once the editor exited 0.
 */
import { spawn, spawnSync } from "node:child_process";

/** The editor command the environment names, or undefined when none is set. */
export function editorCommand(env: NodeJS.ProcessEnv): string | undefined {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || undefined;
}

function shellLine(editor: string, file: string): string {
  return `${editor} '${file.replaceAll("'", "'\\''")}'`;
}

function noEditor(file: string): string {
  return `Set $EDITOR (e.g. export EDITOR=vim) to edit it here, or edit ${file} yourself.`;
}

function outcome(editor: string, code: number | null, signal: NodeJS.Signals | null): string | undefined {
  if (code === 0) return undefined;
  return `${editor} ${signal ? `was stopped by ${signal}` : `exited ${code}`}; the file was not read back`;
}

/** Runs the editor on the file with the terminal handed to it; the caller's input must be idle meanwhile. */
export function openInEditor(file: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const editor = editorCommand(env);
  if (!editor) return Promise.resolve(noEditor(file));
  return new Promise((resolve) => {
    const child = spawn(shellLine(editor, file), { shell: true, stdio: "inherit", env });
    child.on("error", (err) => resolve(`${editor} could not be started: ${err.message}`));
    child.on("close", (code, signal) => resolve(outcome(editor, code, signal)));
  });
}

/**
 * The same, blocking: a full-screen UI that reads stdin itself (Ink) must not read a single
 * key while the editor owns the terminal, and a blocked event loop is the one sure way.
 */
export function openInEditorSync(file: string, env: NodeJS.ProcessEnv): string | undefined {
  const editor = editorCommand(env);
  if (!editor) return noEditor(file);
  const run = spawnSync(shellLine(editor, file), { shell: true, stdio: "inherit", env });
  if (run.error) return `${editor} could not be started: ${run.error.message}`;
  return outcome(editor, run.status, run.signal);
}
