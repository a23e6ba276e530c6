/**
 * The root component is a layout and nothing more: the finished chat printed once into
 * the terminal's scrollback (<Static>), and under it the small live region — what is in
 * motion, the approval or open view, the queue, pinned files, the input, its menu, and the
 * status and stats bars — sized so it never reaches the terminal's height.
 */
import { Box, Static, Text, useApp, useStdin, useStdout } from "ink";
import { useEffect, useSyncExternalStore } from "react";
import { openInEditorSync } from "../../exec/editor.js";
import type { ViewRegistry } from "../commands/registry.js";
import type { Controller } from "../controller.js";
import { createKeyDecoder } from "../keys/decode.js";
import { layoutRows } from "../layout.js";
import type { UiState } from "../state/types.js";
import { useTheme } from "../theme.js";
import { ApprovalDialog } from "./approval-dialog.js";
import { FileChips, QueueList } from "./chips.js";
import { EntryView } from "./entry-view.js";
import { InputBox } from "./input-box.js";
import { ListMenu } from "./list-menu.js";
import { LiveRegion } from "./live-region.js";
import { StatsBar, StatusBar } from "./status-bar.js";

export interface AppProps {
  controller: Controller;
  views: ViewRegistry;
}

/** Keys from Ink's stdin, decoded by our own decoder (Ink's useInput hides Shift+Enter and pastes). */
function useKeys(controller: Controller): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    setRawMode(true);
    const decoder = createKeyDecoder();
    const onInput = (raw: string) => {
      for (const key of decoder.push(raw)) controller.dispatch({ type: "key", key });
    };
    events.on("input", onInput);
    return () => {
      events.off("input", onInput);
      setRawMode(false);
    };
  }, [controller, events, setRawMode]);
}

function useTerminal(controller: Controller): void {
  const { stdout, write } = useStdout();
  const { setRawMode } = useStdin();
  const { exit } = useApp();
  useEffect(() => {
    let reflow: NodeJS.Timeout | undefined;
    let printedWidth = stdout.columns || 80;
    const onResize = () => {
      controller.dispatch({ type: "resize", width: stdout.columns || 80, height: stdout.rows || 24 });
      // The terminal re-wraps what is on screen when the width changes, which leaves pieces
      // of the old live region behind. Once the resizing settles, the screen and scrollback
      // are cleared and the whole chat is printed again at the new width.
      if (reflow) clearTimeout(reflow);
      reflow = setTimeout(() => {
        if ((stdout.columns || 80) === printedWidth) return;
        printedWidth = stdout.columns || 80;
        write("\u001b[2J\u001b[3J\u001b[H");
        controller.dispatch({ type: "reflow" });
      }, 250);
    };
    stdout.on("resize", onResize);
    controller.setIo({
      // Erase the visible screen and home the cursor; Ink redraws the live region after it.
      clearScreen: () => write("\u001b[2J\u001b[H"),
      exit: () => exit(),
      openInEditor: (file, env) => {
        // The editor gets a cooked terminal and every key: Ink reads nothing until it exits
        // (the run blocks). A full-screen editor restores the screen it found, a line editor
        // does not, so the chat is printed again either way, as after a resize.
        setRawMode(false);
        try {
          return openInEditorSync(file, env);
        } finally {
          setRawMode(true);
          write("\u001b[2J\u001b[3J\u001b[H");
          controller.dispatch({ type: "reflow" });
        }
      },
    });
    return () => {
      if (reflow) clearTimeout(reflow);
      stdout.off("resize", onResize);
    };
  }, [controller, stdout, write, exit, setRawMode]);
}

export function App({ controller, views }: AppProps) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  useKeys(controller);
  useTerminal(controller);
  return (
    <>
      <Static key={state.epoch} items={state.entries}>
        {(entry) => <EntryView key={entry.id} entry={entry} width={state.width} timestamps={state.timestamps} />}
      </Static>
      <LiveArea state={state} views={views} />
    </>
  );
}

function LiveArea({ state, views }: { state: UiState; views: ViewRegistry }) {
  const theme = useTheme();
  const rows = layoutRows(state);
  const compact = state.width < 80;
  const overlay = state.overlay;
  const menu =
    overlay?.kind === "list" && (overlay.purpose.kind === "slash" || overlay.purpose.kind === "files") ? overlay : null;
  let middle: React.ReactNode;
  if (state.approval) {
    middle = <ApprovalDialog approval={state.approval} maxRows={rows.middle} compact={compact} />;
  } else if (overlay?.kind === "view") {
    const view = views.find(overlay.id);
    middle = view ? (
      view.render({ state, width: state.width, height: rows.middle, scroll: overlay.scroll, data: overlay.data })
    ) : (
      <Text color={theme.c("error")}>No view named {overlay.id}.</Text>
    );
  } else if (overlay?.kind === "list" && !menu) {
    middle = <ListMenu list={overlay} maxRows={rows.middle} width={state.width} />;
  } else {
    middle = <LiveRegion state={state} maxRows={rows.middle} />;
  }
  // The last column is left free: a line that fills it leaves some terminals in a pending
  // wrap, and Ink's line counting (and so its erasing) goes one row off.
  const width = Math.max(20, state.width - 1);
  return (
    <Box flexDirection="column" width={width}>
      {middle}
      <QueueList queue={state.queue} compact={compact} />
      <FileChips files={state.files} selected={state.selectedChip} />
      <InputBox
        editor={state.editor}
        maxRows={rows.inputText}
        inactive={state.approval !== null}
        width={width}
        placeholder={
          compact
            ? "ask · / cmds · @ files"
            : "Ask anything · / commands · @ attach a file · !cmd shell · Ctrl+P palette"
        }
      />
      {menu && <ListMenu list={menu} maxRows={rows.menu} width={width} />}
      <StatusBar state={state} />
      {rows.stats && <StatsBar state={state} />}
      {state.hint && (
        <Text color={theme.c("warn")} wrap="truncate-end">
          {state.hint}
        </Text>
      )}
    </Box>
  );
}
