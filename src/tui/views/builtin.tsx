/**
 * The views that ship with the UI: stats, config, tool outputs, a text view (for /init's
 * preview and command output too long for the chat) and help.
 */
import { writeConventions } from "../../context/init/index.js";
import type { ViewSpec } from "../commands/registry.js";
import { KEY_BINDINGS } from "../keys/bindings.js";
import { statsLines } from "./stats-view.js";
import { ViewFrame, type ViewLine } from "./view-frame.js";

export interface TextViewData {
  title?: string;
  lines: ViewLine[];
}

function isTextData(data: unknown): data is TextViewData {
  return typeof data === "object" && data !== null && Array.isArray((data as TextViewData).lines);
}

export const statsView: ViewSpec = {
  id: "stats",
  title: "Stats",
  render: (p) => (
    <ViewFrame title="Stats" lines={statsLines(p.state, p.width)} scroll={p.scroll} height={p.height} width={p.width} />
  ),
};

export const configView: ViewSpec = {
  id: "config",
  title: "Config",
  render: (p) => (
    <ViewFrame
      title="Config"
      lines={isTextData(p.data) ? p.data.lines : []}
      scroll={p.scroll}
      height={p.height}
      width={p.width}
    />
  ),
};

export function toolLines(outputs: { summary: string; output: string; isError: boolean }[]): ViewLine[] {
  const lines: ViewLine[] = [];
  for (const item of [...outputs].reverse()) {
    lines.push({
      text: `${item.isError ? "✗" : "✓"} ${item.summary}`,
      bold: true,
      role: item.isError ? "error" : undefined,
    });
    for (const line of item.output.replace(/\t/g, "    ").split("\n")) lines.push({ text: `  ${line}`, dim: true });
    lines.push({ text: "" });
  }
  return lines.length > 0 ? lines : [{ text: "No tool calls yet in this session.", dim: true }];
}

export const toolsView: ViewSpec = {
  id: "tools",
  title: "Tool calls (newest first)",
  render: (p) => (
    <ViewFrame
      title="Tool calls, newest first"
      lines={toolLines(p.state.toolOutputs)}
      scroll={p.scroll}
      height={p.height}
      width={p.width}
    />
  ),
};

export const textView: ViewSpec = {
  id: "text",
  title: "Text",
  render: (p) => {
    const data = isTextData(p.data) ? p.data : { lines: [] };
    return (
      <ViewFrame title={data.title ?? ""} lines={data.lines} scroll={p.scroll} height={p.height} width={p.width} />
    );
  },
};

export interface InitPreviewData {
  root: string;
  text: string;
  sources: string[];
}

function isInitData(data: unknown): data is InitPreviewData {
  return typeof data === "object" && data !== null && typeof (data as InitPreviewData).text === "string";
}

export const initView: ViewSpec = {
  id: "init",
  title: "conventions.md preview",
  help: "Enter saves",
  render: (p) => {
    const data = isInitData(p.data) ? p.data : { text: "", sources: [], root: "" };
    const lines: ViewLine[] = [
      { text: `From ${data.sources.join(", ") || "the project layout"}:`, dim: true },
      ...data.text.split("\n").map((text) => ({ text })),
    ];
    return (
      <ViewFrame
        title=".parecode/conventions.md (preview)"
        help="Enter saves"
        lines={lines}
        scroll={p.scroll}
        height={p.height}
        width={p.width}
      />
    );
  },
  async onKey(key, ctx, data) {
    if (key !== "enter" || !isInitData(data)) return;
    ctx.closeView();
    try {
      const result = await writeConventions(data.root);
      const verb = { created: "Wrote", updated: "Updated", unchanged: "Unchanged:" }[result.action];
      ctx.notice(`${verb} ${result.path}; every task now reads it.`);
    } catch (err) {
      ctx.notice(`Could not write .parecode/conventions.md: ${(err as Error).message}`, "error");
    }
  },
};

export function helpLines(commands: { name: string; args?: string; description: string }[]): string[] {
  const width = Math.max(...commands.map((c) => c.name.length + (c.args ? c.args.length + 1 : 0))) + 2;
  const lines = ["Commands (type / for the menu, Ctrl+P for the palette):"];
  for (const c of commands) lines.push(`  /${`${c.name}${c.args ? ` ${c.args}` : ""}`.padEnd(width)} ${c.description}`);
  lines.push("", "Keys:");
  const keyWidth = Math.max(...KEY_BINDINGS.map((b) => b.label.length)) + 2;
  const seen = new Set<string>();
  for (const b of KEY_BINDINGS) {
    if (b.scope === "list" || seen.has(b.label + b.description)) continue;
    seen.add(b.label + b.description);
    lines.push(`  ${b.label.padEnd(keyWidth)} ${b.description}`);
  }
  lines.push(
    "",
    "In menus: ↑↓ choose · Enter pick · Tab complete · Esc close.  !cmd runs a shell command.  @ attaches a file.",
  );
  return lines;
}

export const BUILTIN_VIEWS: ViewSpec[] = [statsView, configView, toolsView, textView, initView];
