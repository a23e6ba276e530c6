/**
 * Puts the app on the terminal: Ink with line-diff (incremental) rendering, frames
 * bracketed in synchronized-output sequences (Ink does that on a TTY), bracketed paste
 * on, no alternate screen and no mouse capture, so the chat stays in the terminal's own
 * scrollback where search and copy work, in tmux and over SSH.
 */
import { render } from "ink";
import type { ViewRegistry } from "./commands/registry.js";
import { App } from "./components/app.js";
import type { Controller } from "./controller.js";
import { createTheme, ThemeContext } from "./theme.js";

const BRACKETED_PASTE_ON = "\u001b[?2004h";
const BRACKETED_PASTE_OFF = "\u001b[?2004l";

export interface MountOptions {
  controller: Controller;
  views: ViewRegistry;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Resolves when the person leaves (Ctrl+C twice, /quit) or the terminal goes away. */
export async function mountApp(options: MountOptions): Promise<void> {
  const { controller, stdout } = options;
  stdout.write(BRACKETED_PASTE_ON);
  const instance = render(
    <ThemeContext.Provider value={createTheme(options.env)}>
      <App controller={controller} views={options.views} />
    </ThemeContext.Provider>,
    {
      stdin: options.stdin,
      stdout,
      exitOnCtrlC: false,
      patchConsole: true,
      incrementalRendering: true,
      maxFps: 30,
      kittyKeyboard: { mode: "auto", flags: ["disambiguateEscapeCodes"] },
    },
  );
  // A closed terminal or a kill: cancel what runs and leave cleanly.
  const leave = () => instance.unmount();
  process.on("SIGTERM", leave);
  process.on("SIGHUP", leave);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off("SIGTERM", leave);
    process.off("SIGHUP", leave);
    stdout.write(BRACKETED_PASTE_OFF);
  }
}
